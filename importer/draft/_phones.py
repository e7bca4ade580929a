"""Which phone region reads a column's numbers: tried with the very conversion ``as: phone`` uses.

A file without a country column gets the one region that makes the most numbers valid (none:
numbers are read as international); a country column gives each row its own region.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import phonenumbers

from importer._exceptions import RowRejected
from importer.mapping._transforms import phone

#: at most this many distinct values are tried per region (the most frequent first)
_TRIED = 5_000
#: local numbers tried against every region to shortlist the likely ones
_SHORTLIST_VALUES = 100
_SHORTLIST = 4


@dataclass(frozen=True)
class PhoneGuess:
    """How a column's numbers read best, and how well."""

    #: the one region (None: international only); with ``per_row``, the rows' country instead
    region: str | None
    #: share of the values (weighted by count) that are valid numbers
    share: float
    per_row: bool = False
    #: values that stay invalid, the most frequent first
    invalid: list[str] = field(default_factory=list)
    #: share of values written with their country code (+ or 00)
    international: float = 0.0
    #: other regions tried, with their share, best first
    others: list[tuple[str | None, float]] = field(default_factory=list)


@cache
def _main_regions() -> tuple[str, ...]:
    """One region per calling code (its main one): they read national numbers alike."""
    mains = {
        phonenumbers.region_code_for_country_code(cc)
        for cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    }
    return tuple(sorted(mains & phonenumbers.SUPPORTED_REGIONS))


def valid_digits(value: str, region: str | None) -> str | None:
    """The API's digits for ``value`` read in ``region``, or None when it is not a valid number."""
    try:
        return phone(value, region)
    except RowRejected:
        return None


def is_international(value: str) -> bool:
    """Written with its country code: ``+91 ...`` or ``0091 ...``."""
    return value.lstrip("( ").startswith(("+", "00"))


def _tried(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return Counter(counts).most_common(_TRIED)


def phone_share(counts: Mapping[str, int], region: str | None) -> tuple[float, list[str]]:
    """Share of the values valid in ``region`` (weighted), and the invalid ones (most frequent
    first)."""
    tried = _tried(counts)
    total = sum(c for _, c in tried)
    bad = [v for v, _ in tried if valid_digits(v, region) is None]
    badness = sum(counts[v] for v in bad)
    return (1 - badness / total if total else 0.0), bad


def _shortlist(counts: Mapping[str, int]) -> list[str]:
    """The regions that read the most local numbers valid, tried on a few of them."""
    local = [v for v, _ in _tried(counts) if not is_international(v)][:_SHORTLIST_VALUES]
    if not local:
        return []
    scores = Counter()
    for region in _main_regions():
        scores[region] = sum(valid_digits(v, region) is not None for v in local)
    return [r for r, n in scores.most_common(_SHORTLIST) if n]


def best_region(counts: Mapping[str, int]) -> PhoneGuess:
    """The one region that makes the most of ``counts`` (value -> count) valid numbers."""
    total = sum(counts.values())
    international = sum(c for v, c in counts.items() if is_international(v)) / (total or 1)
    results: list[tuple[str | None, float, list[str]]] = []
    for region in (None, *_shortlist(counts)):
        share, bad = phone_share(counts, region)
        results.append((region, share, bad))
    # the first best wins: no region before any, then the shortlist's order
    region, share, bad = max(results, key=lambda r: r[1])
    others = sorted(((r, s) for r, s, _ in results if r != region), key=lambda r: -r[1])
    return PhoneGuess(region, share, False, bad[:5], international, others)


def per_row_share(pairs: Iterable[tuple[str, str | None, int]]) -> PhoneGuess:
    """How ``(value, row's region, count)`` read when each row's number is read in its region."""
    total = bad_weight = 0
    bad: Counter[str] = Counter()
    intl = 0
    for value, region, count in pairs:
        total += count
        intl += count * is_international(value)
        if valid_digits(value, region) is None:
            bad_weight += count
            bad[value] += count
    share = 1 - bad_weight / total if total else 0.0
    return PhoneGuess(None, share, True, [v for v, _ in bad.most_common(5)], intl / (total or 1))
