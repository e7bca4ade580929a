"""Read values exactly as ``importer validate`` will: through a one-value mapping compiled by the
project's own compiler, so every share the draft states is what validating will find.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder, parse_mapping

_TEMPLATE = """
profiles:
  - source: INSTORE
    identifiers:
      - {{type: externalId, value: {{value: probe}}}}
    fields:
      v: {spec}
"""
#: a phone is probed where the draft puts it, on a mobile channel: a landline is not read there
_MOBILE = """
profiles:
  - source: INSTORE
    identifiers:
      - {{type: externalId, value: {{value: probe}}}}
    commChannels:
      - {{type: mobile, value: {spec}}}
"""

#: the cells a probe reads: the value, then the columns its spec names (``region``)
Reader = Callable[..., Any]


@cache
def reader(spec: str) -> Reader:
    """A function of a value (and the cells ``spec`` reads after it, in ``c``, ``d``, ...) that
    gives what ``spec`` makes of it, or None when the row would be rejected or left without it.

    ``spec`` is a value spec in YAML flow style reading column ``v``, e.g.
    ``{column: v, as: phone, region: IN}``.
    """
    phone = "as: phone" in spec
    mapping = parse_mapping((_MOBILE if phone else _TEMPLATE).format(spec=spec), "<probe>")
    build = Builder(mapping, ["v", "c", "d"]).build

    def read(value: str, *others: str) -> Any:
        cells = [value, *others, "", ""][:3]
        try:
            body, _ = build(cells)
        except RowRejected:
            return None
        if phone:
            return next(iter(body["profiles"][0].get("commChannels", [])), {}).get("value")
        return body["profiles"][0].get("fields", {}).get("v")

    return read


@cache
def accepts(spec: str) -> bool:
    """Whether the mapping loader accepts ``spec`` (a value spec in flow style)."""
    try:
        parse_mapping(_TEMPLATE.format(spec=spec), "<probe>")
    except ConfigError:
        return False
    return True


def reads(spec: str, value: str, *others: str) -> bool:
    """Whether ``spec`` reads ``value`` (with ``others`` as its other cells) without rejecting."""
    return reader(spec)(value, *others) is not None
