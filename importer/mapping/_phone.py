"""Phone numbers to the API's digits with country code, through phonenumbers, with a fast path.

The fast path handles the common ``+<digits>`` shape with phonenumbers' own metadata, compiled once,
and gives the very answers ``parse`` + ``is_valid_number`` give (tests compare them on generated
input); anything else goes through the library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneMetadata

_INTERNATIONAL = re.compile(r"\+([1-9][0-9]{2,17})")
_MIN_NSN, _MAX_NSN = 2, 17
_CODES = {str(cc): cc for cc in COUNTRY_CODE_TO_REGION_CODE}
_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "has no valid country code",
    NumberParseException.NOT_A_NUMBER: "is not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "is too short",
    NumberParseException.TOO_SHORT_NSN: "is too short",
    NumberParseException.TOO_LONG: "is too long",
}
_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)


class InvalidPhone(ValueError):
    """The text is not a valid phone number; the message says why."""


def e164_digits(text: str, region: str | None) -> str:
    """Return the number's country code and national number as digits, or raise InvalidPhone."""
    match = _INTERNATIONAL.fullmatch(text)
    if match is not None:
        fast = _fast(match.group(1))
        if fast is not None:
            return fast
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidPhone(_REASONS.get(exc.error_type, "is not a phone number")) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def international(digits: str) -> str | None:
    """``digits`` (ASCII, country code first) when valid, InvalidPhone when not, None when only
    the library can tell."""
    if not 3 <= len(digits) <= 18 or digits[0] == "0":
        return None
    return _fast(digits)


def _fast(digits: str) -> str | None:
    """The answer for ``+digits`` when certain without ``parse``; None asks the library."""
    # calling codes are prefix-free: at most one of the first 1, 2, 3 digits is one
    if digits[:1] in _CODES:
        size = 1
    elif digits[:2] in _CODES:
        size = 2
    elif digits[:3] in _CODES:
        size = 3
    else:
        return None  # the library explains a bad country code best
    nsn = digits[size:]
    if not _MIN_NSN <= len(nsn) <= _MAX_NSN or nsn[0] == "0":
        return None
    code = digits[:size]
    check = _CHECKS.get(code)
    if check is None:
        check = _CHECKS[code] = _check_for(_CODES[code])
    verdict = check(nsn)
    if verdict is None:
        return None
    if not verdict:
        raise InvalidPhone("is not a valid phone number")
    return digits


#: calling code (as text) -> nsn -> True (valid) / False (invalid) / None (ask the library).
_CHECKS: dict[str, Callable[[str], bool | None]] = {}


def _check_for(cc: int) -> Callable[[str], bool | None]:
    rules = _rules(cc)
    if rules is None:
        return lambda nsn: None
    prefix, valid = rules._prefix, rules.valid
    if prefix is None:
        return valid
    match = prefix.match

    def check(nsn: str) -> bool | None:
        # parse may strip a national prefix here: leave such numbers to the library
        return None if match(nsn) is not None else valid(nsn)

    return check


class _Rules:
    """One calling code's parsing and validity rules, compiled once."""

    def __init__(self, prefix: re.Pattern[str] | None, valid: Callable[[str], bool]) -> None:
        self._prefix = prefix
        self.valid = valid


def _type_check(metadata: PhoneMetadata) -> Callable[[str], bool]:
    """True when phonenumbers' number type for ``nsn`` under this metadata is not UNKNOWN.

    That is: the general pattern matches and so does some type's pattern whose possible lengths
    allow the number's length; the type patterns are joined into one regex per length.
    """
    general = metadata.general_desc
    if general is None or not general.national_number_pattern:
        return lambda nsn: False
    general_re = re.compile(general.national_number_pattern)
    general_lengths = frozenset(general.possible_length or ())
    names = _TYPE_DESCS if metadata.same_mobile_and_fixed_line_pattern else (*_TYPE_DESCS, "mobile")
    descs = [
        d
        for d in (getattr(metadata, n, None) for n in names)
        if d is not None and d.national_number_pattern
    ]
    by_length: dict[int, re.Pattern[str] | None] = {}

    def types_for(length: int) -> re.Pattern[str] | None:
        patterns = [
            d.national_number_pattern
            for d in descs
            if not d.possible_length or length in d.possible_length
        ]
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def valid(nsn: str) -> bool:
        length = len(nsn)
        if general_lengths and length not in general_lengths:
            return False
        if general_re.fullmatch(nsn) is None:
            return False
        try:
            types = by_length[length]
        except KeyError:
            types = by_length[length] = types_for(length)
        return types is not None and types.fullmatch(nsn) is not None

    return valid


@cache
def _rules(cc: int) -> _Rules | None:
    regions = COUNTRY_CODE_TO_REGION_CODE.get(cc, ())
    if not regions:
        return None
    main = phonenumbers.region_code_for_country_code(cc)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(cc, main)
    if metadata is None:
        return None
    prefix_text = metadata.national_prefix_for_parsing
    prefix = re.compile(prefix_text) if prefix_text else None
    if len(regions) == 1:
        return _Rules(prefix, _type_check(metadata))
    candidates = []
    for region in regions:
        meta = PhoneMetadata.metadata_for_region(region.upper(), None)
        if meta is None:
            continue
        leading = re.compile(meta.leading_digits) if meta.leading_digits is not None else None
        candidates.append((leading, _type_check(meta)))

    def valid(nsn: str) -> bool:
        # region_code_for_number, then is_valid_number_for_region on the region it picks
        for leading, check in candidates:
            if leading is not None:
                if leading.match(nsn):
                    return check(nsn)
            elif check(nsn):
                return True
        return False

    return _Rules(prefix, valid)
