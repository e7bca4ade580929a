"""Phone numbers through phonenumbers, with fast paths for the common shapes.

``library`` is the reference: ``parse`` + ``is_valid_number`` + ``region_code_for_number``.
``international`` (digits after a ``+``) and ``national`` (digits read in a region) give the very
same answers from phonenumbers' own metadata, compiled once, for the shapes they are sure of,
and None for the rest, which then go to the library (tests compare them on generated input).
A parse costs ~50 us; a million rows cannot afford one each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneMetadata

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
#: (digits with country code, region of the number, extension or "")
Reading = tuple[str, str, str]


class InvalidPhone(ValueError):
    """The text is not a valid phone number; the message says why."""


def library(text: str, region: str | None) -> Reading:
    """What phonenumbers itself answers for ``text`` read in ``region``; InvalidPhone if invalid."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidPhone(_REASONS.get(exc.error_type, "is not a phone number")) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("is not a valid phone number")
    digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    return digits, phonenumbers.region_code_for_number(number) or "", number.extension or ""


def international(digits: str) -> tuple[str, str] | None:
    """``+digits`` (ASCII): (digits, region) when valid, InvalidPhone when not, None when only
    the library can tell."""
    if not 3 <= len(digits) <= 18 or digits[0] == "0":
        return None
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
    rules = _rules(_CODES[digits[:size]])
    if rules is None or (rules.prefix is not None and rules.prefix.match(nsn) is not None):
        return None  # parse may strip a national prefix here: leave such numbers to the library
    region = rules.region_of(nsn)
    if region is None:
        raise InvalidPhone("is not a valid phone number")
    return digits, region


def national(digits: str, region: str) -> tuple[str, str] | None:
    """``digits`` (ASCII) read as ``parse(digits, region)`` reads them: (digits with country
    code, region of the number) when valid, InvalidPhone when not, None when only the library
    can tell. A port of parse's steps for a number without ``+``, for regions whose rules are
    plain enough (see _Plan)."""
    plan = _plan(region)
    if plan is None or not 3 <= len(digits) <= 20:
        return None
    if plan.idd is not None:
        m = plan.idd.match(digits)
        if m is not None and digits[m.end() : m.end() + 1] != "0":
            return None  # dialled with the region's international prefix: the library
    cc, own = plan.cc, plan
    nsn = digits
    if digits.startswith(plan.cc_text):
        rest = plan.strip(digits[len(plan.cc_text) :])
        if rest is None:
            return None
        if (not plan.general(digits) and plan.general(rest)) or plan.length(digits) == "long":
            nsn, own = rest, plan.main  # the country code was written without its +
            if own is None:
                return None
    if len(nsn) < _MIN_NSN:
        raise InvalidPhone("is too short")
    stripped = own.strip(nsn)
    if stripped is None:
        return None
    if own.length(stripped) not in ("short", "local", "invalid"):
        nsn = stripped
    if len(nsn) < _MIN_NSN:
        raise InvalidPhone("is too short")
    if len(nsn) > _MAX_NSN:
        raise InvalidPhone("is too long")
    if not nsn.strip("0"):
        return None
    rules = _rules(cc)
    if rules is None:
        return None
    found = rules.region_of(nsn)
    if found is None:
        raise InvalidPhone("is not a valid phone number")
    return plan.cc_text + nsn, found


class _Plan:
    """One region's parsing rules (international and national prefixes, lengths), compiled."""

    def __init__(self, meta: PhoneMetadata) -> None:
        self.cc = meta.country_code
        self.cc_text = str(self.cc)
        self.idd = re.compile(meta.international_prefix) if meta.international_prefix else None
        prefix = meta.national_prefix_for_parsing
        self.prefix = re.compile(prefix) if prefix else None
        self.transform = bool(meta.national_prefix_transform_rule)
        pattern = meta.general_desc.national_number_pattern
        self._general = re.compile(pattern) if pattern else None
        self.lengths = sorted(meta.general_desc.possible_length or ())
        self.local = frozenset(meta.general_desc.possible_length_local_only or ())
        self.main: _Plan | None = self

    def general(self, number: str) -> bool:
        return self._general is not None and self._general.fullmatch(number) is not None

    def length(self, number: str) -> str:
        """phonenumbers' _test_number_length for an unknown type, as a word."""
        n = len(number)
        if n in self.local:
            return "local"
        if n == self.lengths[0]:
            return "possible"
        if n < self.lengths[0]:
            return "short"
        if n > self.lengths[-1]:
            return "long"
        return "possible" if n in self.lengths else "invalid"

    def strip(self, number: str) -> str | None:
        """phonenumbers' national prefix stripping; None when a transform rule would apply."""
        if not number or self.prefix is None:
            return number
        m = self.prefix.match(number)
        if m is None:
            return number
        if self.transform and m.groups() and m.groups()[-1] is not None:
            return None
        if self.general(number) and not self.general(number[m.end() :]):
            return number
        return number[m.end() :]


@cache
def _plan(region: str) -> _Plan | None:
    meta = PhoneMetadata.metadata_for_region(region, None)
    if meta is None or not meta.general_desc.possible_length:
        return None
    plan = _Plan(meta)
    main = phonenumbers.region_code_for_country_code(plan.cc)
    if main != region:
        # once the country code is read from the digits, parse goes on with its main region
        main_meta = PhoneMetadata.metadata_for_region_or_calling_code(plan.cc, main)
        ok = main_meta is not None and main_meta.general_desc.possible_length
        plan.main = _Plan(main_meta) if ok else None
    return plan


class _Rules:
    """One calling code's validity rules: ``region_of(nsn)`` is the region of a valid number
    (phonenumbers' region_code_for_number), None for an invalid one."""

    def __init__(
        self, prefix: re.Pattern[str] | None, region_of: Callable[[str], str | None]
    ) -> None:
        self.prefix = prefix
        self.region_of = region_of


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
        check = _type_check(metadata)
        return _Rules(prefix, lambda nsn: main if check(nsn) else None)
    candidates = []
    for region in regions:
        meta = PhoneMetadata.metadata_for_region(region.upper(), None)
        if meta is None:
            continue
        leading = re.compile(meta.leading_digits) if meta.leading_digits is not None else None
        candidates.append((region, leading, _type_check(meta)))

    def region_of(nsn: str) -> str | None:
        # region_code_for_number, then is_valid_number_for_region on the region it picks
        for region, leading, check in candidates:
            if leading is not None:
                if leading.match(nsn):
                    return region if check(nsn) else None
            elif check(nsn):
                return region
        return None

    return _Rules(prefix, region_of)


#: the order phonenumbers tries the types of a valid number in (``_number_type_helper``)
_TYPE_ORDER = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
               "uan", "voicemail")  # fmt: skip
_Desc = tuple[frozenset[int], "re.Pattern[str] | None"]


def number_type(digits: str) -> int:
    """phonenumbers' ``number_type`` of a valid number given as E.164 digits (no ``+``), from
    the same metadata compiled once: a ``PhoneNumberType`` value (UNKNOWN when not known)."""
    size = next((n for n in (1, 2, 3) if digits[:n] in _CODES), 0)
    if not size:
        return phonenumbers.PhoneNumberType.UNKNOWN
    cc, nsn = _CODES[digits[:size]], digits[size:]
    rules = _rules(cc)
    region = rules.region_of(nsn) if rules is not None else None
    if region is None:
        return phonenumbers.PhoneNumberType.UNKNOWN
    return _typer(cc, region)(nsn)


@cache
def _typer(cc: int, region: str) -> Callable[[str], int]:
    meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    kinds = phonenumbers.PhoneNumberType
    if meta is None:
        return lambda nsn: kinds.UNKNOWN

    def desc(name: str) -> _Desc | None:
        found = getattr(meta, name, None)
        if found is None:
            return None
        pattern = found.national_number_pattern
        return frozenset(found.possible_length or ()), re.compile(pattern) if pattern else None

    def matches(nsn: str, found: _Desc | None) -> bool:
        if found is None or found[1] is None:
            return False
        if found[0] and len(nsn) not in found[0]:
            return False
        return found[1].fullmatch(nsn) is not None

    general, fixed, mobile = desc("general_desc"), desc("fixed_line"), desc("mobile")
    ordered = [(desc(name), getattr(kinds, name.upper())) for name in _TYPE_ORDER]
    same = meta.same_mobile_and_fixed_line_pattern

    def kind(nsn: str) -> int:
        if not matches(nsn, general):
            return kinds.UNKNOWN
        for found, which in ordered:
            if matches(nsn, found):
                return which
        if matches(nsn, fixed):
            return kinds.FIXED_LINE_OR_MOBILE if same or matches(nsn, mobile) else kinds.FIXED_LINE
        if not same and matches(nsn, mobile):
            return kinds.MOBILE
        return kinds.UNKNOWN

    return kind
