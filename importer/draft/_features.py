"""Which mapping keys this build's loader accepts: the draft uses the better form when it can.

Each feature is probed by loading a tiny mapping that uses it, so the drafter follows the mapping
language as it grows without a version table to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from importer._exceptions import ConfigError
from importer.mapping import parse_mapping

_PROBE = """
profiles:
  - source: INSTORE
    identifiers:
      - type: mobile
        value: {value}
    commChannels:
      - type: mobile
        value: m
{channel}
{extra}
{top}
"""


def _accepts(value: str = "m", channel: str = "", extra: str = "", top: str = "") -> bool:
    text = _PROBE.format(value=value, channel=channel, extra=extra, top=top)
    try:
        parse_mapping(text, "<probe>")
    except ConfigError:
        return False
    return True


@dataclass(frozen=True)
class Features:
    """Mapping keys the draft may use beyond the basic ones."""

    #: ``region: {column: Country}``: each row's phone region from a column
    region_column: bool = False
    #: ``as: name`` with ``part: first|last``: names parsed, titles and suffixes left out
    name_parts: bool = False
    #: ``on_invalid: drop``: leave a bad optional value out instead of rejecting the row
    on_invalid: bool = False
    #: ``decimal: "."``: the decimal mark of ``as: number``
    decimal: bool = False
    #: ``subscribed`` on a channel: the customer's consent
    subscribed: bool = False
    #: ``first_of``: the first non-empty of several value specs (several phone columns)
    first_of: bool = False
    #: ``settings.continuation``: rows continuing the customer above are no customers
    continuation: bool = False
    #: a landline is no mobile (``not_mobile``): a phone column that may hold landlines can be
    #: tried after the mobile, its landlines left out rather than sent as mobiles
    not_mobile: bool = False


def _refuses_landlines() -> bool:
    """Whether a mobile identifier refuses a London landline (a behaviour, not a key)."""
    from importer._exceptions import RowRejected
    from importer.mapping import Builder

    mapping = parse_mapping(_PROBE.format(value="m", channel="", extra="", top=""), "<probe>")
    try:
        Builder(mapping, ["m"]).build(["+44 20 7946 0018"])
    except RowRejected:
        return True
    return False


@cache
def detect() -> Features:
    """The features this build's mapping loader accepts."""
    return Features(
        region_column=_accepts("{column: m, as: phone, region: {column: c}}"),
        name_parts=_accepts(extra="    firstName: {column: n, as: name, part: first}"),
        on_invalid=_accepts(extra="    fields: {x: {column: d, as: date, on_invalid: drop}}"),
        decimal=_accepts(extra="    fields: {x: {column: p, as: number, decimal: '.'}}"),
        subscribed=_accepts(channel="        subscribed: {column: s, as: bool}"),
        first_of=_accepts("{first_of: [{column: m, as: phone}, {column: n, as: phone}]}"),
        continuation=_accepts(top="settings: {continuation: {when_empty: [m]}}"),
        not_mobile=_refuses_landlines(),
    )
