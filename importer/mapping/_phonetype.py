"""The type of a valid number (mobile, fixed line, toll-free, ...), as phonenumbers'
``number_type`` says, from its metadata compiled once: a mobile identifier or channel takes no
number whose type no mobile has (``not_mobile``). Tests compare it with the library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from importer.mapping._phonefast import calling_code, validity

#: the order phonenumbers tries the types of a valid number in (``_number_type_helper``)
_TYPE_ORDER = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
               "uan", "voicemail")  # fmt: skip
_Desc = tuple[frozenset[int], "re.Pattern[str]"]
#: an opening parenthesis that starts a capturing group
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")


def not_mobile_type(digits: str) -> int | None:
    """The ``number_type`` of a valid number (E.164 digits) unless it is MOBILE or
    FIXED_LINE_OR_MOBILE, in which case None: an allow-list, so a type nobody listed (a
    personal number, a pager, VoIP, a fixed line, toll-free, ...) is never taken for a mobile.
    The check of every mobile, so it stops as soon as the number is surely mobile-capable."""
    for size in (1, 2, 3):
        screen = _SCREENS.get(digits[:size])
        if screen is None and (cc := calling_code(digits[:size])) is not None:
            screen = _SCREENS[digits[:size]] = _screen(cc)
        if screen is not None:
            return screen(digits[size:])
    return None


#: calling code (text) -> the not-mobile screen of its numbers
_SCREENS: dict[str, Callable[[str], int | None]] = {}


def _screen(cc: int) -> Callable[[str], int | None]:
    regions = COUNTRY_CODE_TO_REGION_CODE[cc]
    if len(regions) == 1:
        return _typer(cc, regions[0]).screen  # type: ignore[attr-defined,no-any-return]
    rules = validity(cc)

    def screen(nsn: str) -> int | None:
        region = rules.region_of(nsn) if rules is not None else None
        if region is None:  # no region's plan holds it: not known to be a mobile
            return phonenumbers.PhoneNumberType.UNKNOWN
        return _typer(cc, region).screen(nsn)  # type: ignore[attr-defined,no-any-return]

    return screen


def number_type(digits: str) -> int:
    """phonenumbers' ``number_type`` of a valid number given as E.164 digits (no ``+``), from
    the same metadata compiled once: a ``PhoneNumberType`` value (UNKNOWN when not known)."""
    cc, nsn = _split(digits)
    if cc is None:
        return phonenumbers.PhoneNumberType.UNKNOWN
    regions = COUNTRY_CODE_TO_REGION_CODE[cc]
    if len(regions) == 1:  # the number is valid: its code's one region is its own
        return _typer(cc, regions[0])(nsn)
    rules = validity(cc)
    region = rules.region_of(nsn) if rules is not None else None
    if region is None:
        return phonenumbers.PhoneNumberType.UNKNOWN
    return _typer(cc, region)(nsn)


def _split(digits: str) -> tuple[int | None, str]:
    """E.164 digits -> (calling code, national significant number); calling codes are
    prefix-free, so at most one of the first 1, 2, 3 digits is one."""
    for size in (1, 2, 3):
        cc = calling_code(digits[:size])
        if cc is not None:
            return cc, digits[size:]
    return None, digits


@cache
def _typer(cc: int, region: str) -> Callable[[str], int]:
    """``_number_type_helper`` for one region, its type patterns sorted by length once."""
    meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    kinds = phonenumbers.PhoneNumberType
    if meta is None:
        return lambda nsn: kinds.UNKNOWN

    def desc(name: str) -> _Desc | None:
        found = getattr(meta, name, None)
        if found is None or not found.national_number_pattern:
            return None  # phonenumbers matches no number against a desc without a pattern
        return frozenset(found.possible_length or ()), re.compile(found.national_number_pattern)

    general, fixed, mobile = desc("general_desc"), desc("fixed_line"), desc("mobile")
    ordered = [(desc(name), getattr(kinds, name.upper())) for name in _TYPE_ORDER]
    same = meta.same_mobile_and_fixed_line_pattern
    by_length: dict[int, tuple[Any, ...]] = {}

    def fits(found: _Desc | None, length: int) -> re.Pattern[str] | None:
        if found is None or (found[0] and length not in found[0]):
            return None
        return found[1]

    def plan(length: int) -> tuple[Any, ...]:
        # one regex whose first fully matching alternative is the type phonenumbers answers:
        # the special types in its order, then fixed line, then mobile
        parts = [(k, p) for d, k in ordered if (p := fits(d, length)) is not None]
        fixed_re, mobile_re = fits(fixed, length), fits(mobile, length)
        if fixed_re is not None:
            parts.append((kinds.FIXED_LINE, fixed_re))
        if mobile_re is not None and not same:
            parts.append((kinds.MOBILE, mobile_re))
        # the patterns' own groups made non-capturing, so the group that matched is named
        joined = "|".join(
            f"(?P<t{n}>{_CAPTURING.sub('(?:', p.pattern)})" for n, (_, p) in enumerate(parts)
        )
        combined = re.compile(joined) if parts else None
        return fits(general, length), combined, [k for k, _ in parts], mobile_re

    def kind(nsn: str) -> int:
        length = len(nsn)
        found = by_length.get(length)
        if found is None:
            found = by_length[length] = plan(length)
        whole, combined, types, mobile_re = found
        if whole is None or whole.fullmatch(nsn) is None or combined is None:
            return kinds.UNKNOWN
        m = combined.fullmatch(nsn)
        if m is None:
            return kinds.UNKNOWN
        which = types[int(m.lastgroup[1:])] if m.lastgroup else kinds.UNKNOWN
        if which == kinds.FIXED_LINE and (
            same or (mobile_re is not None and mobile_re.fullmatch(nsn) is not None)
        ):
            return kinds.FIXED_LINE_OR_MOBILE
        return which

    by_length_screen: dict[int, tuple[Any, ...]] = {}

    def screen(nsn: str) -> int | None:
        """``kind(nsn)`` unless it is MOBILE or FIXED_LINE_OR_MOBILE (then None), without
        telling those two apart (the fixed-line pattern, often the largest, is skipped)."""
        length = len(nsn)
        found = by_length_screen.get(length)
        if found is None:
            specials = [(p, k) for d, k in ordered if (p := fits(d, length)) is not None]
            found = by_length_screen[length] = (specials, fits(fixed, length), fits(mobile, length))
        specials, fixed_re, mobile_re = found
        for pattern, which in specials:
            if pattern.fullmatch(nsn) is not None:
                return which  # every special type, VoIP, pager and personal number too
        if same or (mobile_re is not None and mobile_re.fullmatch(nsn) is not None):
            return None
        if fixed_re is not None and fixed_re.fullmatch(nsn) is not None:
            return kinds.FIXED_LINE
        return kinds.UNKNOWN  # of no type phonenumbers knows: not allowed as a mobile

    kind.screen = screen  # type: ignore[attr-defined]
    return kind


def written_without_trunk(digits: str, kind: int) -> bool:
    """Whether the number's own country writes its mobiles nationally without a trunk prefix
    (China's, the US's and Brazil's: ``138 1234 5678``, ``(201) 555-0123``), so bare digits are
    their usual national form rather than a number that lost its trunk ``0`` (Germany's
    ``0172 …``, India's ``098765 43210``). ``digits``: country code and national number;
    ``kind``: its ``number_type``, which the caller has already asked for. Decided
    once per country and number type, from the plan's own example of that type: a per-row format
    would cost a dry run a library call on every bare mobile."""
    cc, _ = _split(digits)
    return cc is not None and _without_trunk(cc, kind)


@cache
def _without_trunk(cc: int, kind: int) -> bool:
    region = phonenumbers.region_code_for_country_code(cc)
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        return False
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit()) == (
        phonenumbers.national_significant_number(example)
    )
