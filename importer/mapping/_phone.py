"""A mobile cell to the API's digits with country code, read in the row's own country.

The rules (README.md, "Phone numbers and regions"):

- written with ``+`` or ``00``, a number carries its own country: valid -> sent, with a
  ``country_mismatch`` warning when that is not the row's country;
- otherwise it is read as a national number of the row's region: valid -> sent;
- bare digits invalid there but valid as the international digits of the row's own country
  (the ``+`` Excel lost) -> sent; valid only as another country's -> ``ambiguous_mobile``;
  valid both ways in the row's country, as two different numbers -> ``ambiguous_mobile``;
  valid as a national number (a trunk 0 lost) and as another country's number (a + lost) ->
  ``ambiguous_mobile`` (in a mobile identifier or channel, when both readings are mobiles);
- an extension is left out with a ``phone_extension`` warning;
- anything else -> ``invalid_mobile``, naming the value and the region it was read in.

A mapping without any region keeps the old reading: every number is international, with or
without its ``+``. ``read`` tries the fast paths of ``_phonefast`` and falls back on the library;
``read_slow`` is the same rules through the library alone (tests compare the two).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import phonenumbers

from importer.mapping._numbers import exact_digits
from importer.mapping._phonefast import (
    InvalidPhone,
    Reading,
    international,
    library,
    national,
)
from importer.mapping._phonetype import not_mobile_type, number_type, written_without_trunk
from importer.mapping._problems import Kept, LocalWarning, reject, show, warning
from importer.mapping._region import Unresolved

#: characters a number may be written with that the fast path reads past
_SEPARATORS = str.maketrans("", "", " -()")
_DIGIT = re.compile(r"\d")

Region = str | Unresolved | None


class Where:
    """Which region a value's numbers are read in, for the messages: the column that holds it
    (None for a constant or ``settings.region``), whether the mapping has a region at all, and
    whether the value is a mobile identifier or channel (only mobile readings count there)."""

    __slots__ = ("column", "regional", "mobile")

    def __init__(self, column: str | None, regional: bool, mobile: bool = False) -> None:
        self.column = column
        self.regional = regional
        self.mobile = mobile


NO_REGION = Where(None, regional=False)


def read(value: str, region: Region, column: str | None, where: Where = NO_REGION) -> str:
    """The digits to send for ``value``; RowRejected, or Kept with the digits and warnings."""
    text = value.strip()
    if text.isdigit() and text.isascii():
        plain = text
    elif text.isascii() and "x" not in text and "e" not in text and "E" not in text:
        plain = text.translate(_SEPARATORS)
    else:
        plain = ""
    found = _fast(plain, text, region, column, where) if plain else None
    if found is not None:
        return found
    return read_slow(value, region, column, where)


def _fast(plain: str, text: str, region: Region, column: str | None, where: Where) -> str | None:
    """The answer when the fast paths are sure of it and it needs no warning; None otherwise."""
    lead = plain[0]
    digits = plain[1:] if lead == "+" else plain
    if not digits.isdigit():
        return None
    try:
        if lead == "+" or digits.startswith("00") or not where.regional:
            found = international(digits[2:] if digits.startswith("00") else digits)
            if found is None or isinstance(region, Unresolved):
                return None
            if where.column is not None and region is not None and found[1] != region:
                return None  # a warning to write: the slow path
            return found[0]
        if not isinstance(region, str):
            return None
        try:
            found = national(digits, region)
        except InvalidPhone:
            # the + Excel lost, in the row's own country; anything else: the slow path explains
            found = international(digits) if digits[0] != "0" else None
            return found[0] if found is not None and found[1] == region else None
        if found is None or (found[1] != region and where.column is not None):
            return None
        if digits[0] != "0" and plain == text:
            # bare digits may also be a number whose + was lost (see _lost_plus): the slow path
            # weighs the readings, unless the national one is a mobile and nothing else counts
            cc = _cc(region)
            own = digits.startswith(cc)
            try:
                other = international(digits)
            except InvalidPhone:
                other = False
            if other and other[0] == found[0]:
                return found[0]
            if own and (other is None or (other and other[1] == region)):
                return None  # may read two ways in the row's own country
            if other is None:  # only the library tells: ask it, as _as_international does
                try:
                    other = library("+" + digits, None)[:2]
                except InvalidPhone:
                    other = False
                if other and other[0] == found[0]:
                    return found[0]
            if other is False and not (own and found[0].startswith(cc + cc)):
                return found[0]
            kind = number_type(found[0])
            mobile = kind in _MOBILE_TYPES
            if mobile and written_without_trunk(found[0], kind):
                return found[0]  # its usual national form: nothing was lost (see _lost_plus)
            if mobile and other and where.mobile and number_type(other[0]) not in _MOBILE_TYPES:
                return found[0]  # the + reading is no mobile: not meant here (see _lost_plus)
            if other is not False or not mobile:
                return None  # a second reading: the slow path weighs it and says why
        return found[0]
    except InvalidPhone:
        return None  # the slow path says why, with every reading


#: how a ``not_mobile`` rejection names each type that is not allowed in a mobile identifier or
#: channel. An allow-list decides (``not_mobile_type``): only MOBILE and FIXED_LINE_OR_MOBILE
#: (the US, Canada, ..., whose plans do not tell a mobile from a landline) pass.
_NOT_MOBILE = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "a fixed line (landline)",
    phonenumbers.PhoneNumberType.TOLL_FREE: "a toll-free number",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number",
    phonenumbers.PhoneNumberType.UAN: "a company's universal access number",
    phonenumbers.PhoneNumberType.VOICEMAIL: "a voicemail access number",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "a personal (follow-me) number",
    phonenumbers.PhoneNumberType.PAGER: "a pager number",
    phonenumbers.PhoneNumberType.VOIP: "a VoIP number",
    phonenumbers.PhoneNumberType.UNKNOWN: "a number of no known type",
}


def mobile_only(read: Callable[..., str], column: str | None) -> Callable[..., str]:
    """``read`` for a mobile identifier or channel: a number that cannot be a mobile (its type,
    as phonenumbers says) is rejected ``not_mobile``, naming the number and its type."""

    def check(digits: str, value: str) -> None:
        found = not_mobile_type(digits)
        what = None if found is None else _NOT_MOBILE.get(found, "not a mobile's type")
        if what is not None:
            raise reject(column, value, f"reads as +{digits}, {what}: not a mobile", "not_mobile")

    def read_mobile(value: str, *region: Any) -> str:
        try:
            digits = read(value, *region)
        except Kept as kept:
            check(kept.value, value)
            raise
        check(digits, value)
        return digits

    return read_mobile


def read_slow(value: str, region: Region, column: str | None, where: Where = NO_REGION) -> str:
    """``read`` through the library alone."""
    text = exact_digits(value.strip(), column)
    warnings: list[LocalWarning] = []
    lead = text.lstrip("( \t")
    if lead.startswith(("+", "＋", "00")) or not where.regional:
        # the number carries its own country (or the mapping has no region at all)
        written = "+" + lead[2:] if lead.startswith("00") else lead
        if not where.regional and not written.startswith(("+", "＋")):
            written = "+" + written  # no region anywhere: every number is international
        reading = _library(written, value, column)
        _extension(reading, value, column, warnings)
        if isinstance(region, str) and reading[1] != region and where.column is not None:
            warnings.append(_mismatch(value, reading, region, column, where))
        elif isinstance(region, Unresolved):
            why = f"{_region_name(where)} {show(region.text)} {region.why}"
            message = f"{column}: {why}; the number carries its own country"
            warnings.append(warning("unknown_region", column, message))
        return _done(reading[0], warnings)
    if not isinstance(region, str):
        raise reject(column, value, _no_region(region, where), "unknown_region")
    try:
        reading: Reading | None = library(text, region)
    except InvalidPhone:
        reading = None
    if reading is not None:
        _extension(reading, value, column, warnings)
        other = _as_international(text, region) if text.isdigit() else None
        if other is not None and other[1] == region and other[0] != reading[0]:
            raise reject(
                column,
                value,
                f"reads two ways in {region}: +{reading[0]} as a national number, or "
                f"+{other[0]} as international digits without their +; not guessed",
                "ambiguous_mobile",
            )
        if text.isdigit() and text[0] != "0":
            _lost_plus(value, text, reading, other, region, column, where.mobile)
        if reading[1] != region and where.column is not None:
            warnings.append(_mismatch(value, reading, region, column, where))
        return _done(reading[0], warnings)
    other = _as_international(text, region)
    if other is None:
        raise reject(column, value, f"is not a valid phone number in {region}", "invalid_mobile")
    if other[1] != region:
        raise reject(
            column,
            value,
            f"is not a valid number in {region}; as international digits it would be "
            f"+{other[0]} ({other[1]}), another country's: not guessed",
            "ambiguous_mobile",
        )
    _extension(other, value, column, warnings)
    return _done(other[0], warnings)


#: number types a mobile, or a number that may be one, has
_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def _lost_plus(
    value: str,
    text: str,
    reading: Reading,
    other: Reading | None,
    region: str,
    column: str | None,
    mobile: bool,
) -> None:
    """Bare digits valid as a national number of the region (its trunk 0 lost) that also read as
    another country's number with its + lost: ``ambiguous_mobile`` naming both, unless, in a
    mobile identifier or channel, that other reading is not a mobile (it could not be meant), or
    the digits are the national number's usual form (a plan that writes it without a trunk).
    A national reading that is not a mobile there (many plans, Germany's first, accept digit
    strings of nearly any length as landlines) is also ``ambiguous_mobile`` when the digits
    begin with the region's own country code (a + Excel lost, giving the code twice)."""
    if other is not None and other[0] == reading[0]:
        return
    kind = number_type(reading[0])
    if kind in _MOBILE_TYPES:
        # a real mobile of the plan's own lengths stands unless the + reading is as possible:
        # only when a trunk prefix was lost (Germany's 0172 … written 172 …); digits in their
        # usual national form (China's 138 …, the US's 201 …) lost nothing, and a + lost on a
        # foreign number is no likelier there than on any national number
        if (
            other is None
            or (mobile and number_type(other[0]) not in _MOBILE_TYPES)
            or written_without_trunk(reading[0], kind)
        ):
            return
        raise reject(
            column,
            value,
            f"reads two ways: +{reading[0]} as a national number of {region}, "
            f"or +{other[0]} ({other[1] or 'no single country'}) with its + lost; not guessed",
            "ambiguous_mobile",
        )
    cc = _cc(region)
    twice = text.startswith(cc) and reading[0].startswith(cc + cc)
    if not twice and other is None:
        return
    if twice:
        plus = (
            f"as +{text} it is not a valid number"
            if other is None
            else f"as +{other[0]} ({other[1] or 'no single country'}), its + lost, it is valid"
        )
        why = (
            f"begins with {region}'s country code {cc}: as a national number it would be "
            f"+{reading[0]}, the code twice (valid only as a landline of {region}); {plus}; "
            "not guessed"
        )
    else:
        assert other is not None
        why = (
            f"reads two ways: +{reading[0]} as a national number of {region} (valid only as a "
            f"landline), or +{other[0]} ({other[1] or 'no single country'}) with its + lost; "
            "not guessed"
        )
    raise reject(
        column,
        value,
        why,
        "ambiguous_mobile",
    )


def _as_international(text: str, region: str) -> Reading | None:
    """Bare digits read as a number whose ``+`` was lost; None unless that reading is valid."""
    try:
        extension = library(text, region)[2]
    except InvalidPhone:
        extension = ""
    core = text[: text.rfind(extension)] if extension else text
    core = re.sub(r"\D+$", "", core.rstrip())
    if re.search(r"[^\d\s\-.()/]", core):
        return None
    digits = "".join(_DIGIT.findall(core))
    if not digits or digits[0] == "0":
        return None
    try:
        digits, found, _ = library("+" + digits, None)
    except InvalidPhone:
        return None
    return digits, found, extension


def _library(text: str, value: str, column: str | None) -> Reading:
    try:
        return library(text, None)
    except InvalidPhone as exc:
        raise reject(column, value, str(exc), "invalid_mobile") from None


def _extension(
    reading: Reading, value: str, column: str | None, warnings: list[LocalWarning]
) -> None:
    if reading[2]:
        message = (
            f"{column}: {show(value)}: extension {reading[2]} left out, the number sent "
            f"is {reading[0]}"
        )
        warnings.append(warning("phone_extension", column, message))


def _mismatch(
    value: str, reading: Reading, region: str, column: str | None, where: Where
) -> LocalWarning:
    message = (
        f"{column}: {show(value)} is a number of {reading[1] or 'no single country'}, "
        f"{_region_name(where)} says {region}: sent as {reading[0]}"
    )
    return warning("country_mismatch", column, message)


def _no_region(region: Unresolved | None, where: Where) -> str:
    if isinstance(region, Unresolved):
        said = f"{show(region.text)} {region.why}"
        return f"has no + or 00, and {_region_name(where)} {said}: no region to read it in"
    return f"has no + or 00, and {_region_name(where)} is empty: no region to read it in"


def _region_name(where: Where) -> str:
    return f"the row's {where.column}" if where.column else "the region"


def _done(digits: str, warnings: list[LocalWarning]) -> str:
    if warnings:
        raise Kept(digits, warnings)
    return digits


_CC: dict[str, str] = {}


def _cc(region: str) -> str:
    found = _CC.get(region)
    if found is None:
        found = _CC[region] = str(phonenumbers.country_code_for_region(region))
    return found
