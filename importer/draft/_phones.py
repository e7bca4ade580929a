"""Which phone region reads a column's numbers: tried with the very conversion ``as: phone`` uses.

A file without a country column gets the one region that makes the most numbers valid (none:
numbers are read as international); a country column gives each row its own region.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import phonenumbers

from importer.draft._probe import accepts, reader
from importer.draft._vocab import country_code
from importer.draft._write import flow

#: at most this many distinct values are tried per region (the most frequent first)
_TRIED = 5_000
#: local numbers tried against every region to shortlist the likely ones
_SHORTLIST_VALUES = 50
_SHORTLIST = 4
_LONGLIST = 12


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
    #: regions that read as many numbers valid but as other numbers: the choice is a guess
    tied: list[str] = field(default_factory=list)
    #: what chose among tied regions ("" when nothing did)
    evidence: str = ""
    #: share of the values valid in some country (one region each): how phone-like the column is
    anywhere: float = 0.0


@cache
def main_regions() -> tuple[str, ...]:
    """One region per calling code (its main one): they read national numbers alike."""
    mains = {
        phonenumbers.region_code_for_country_code(cc)
        for cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    }
    return tuple(sorted(mains & phonenumbers.SUPPORTED_REGIONS))


@lru_cache(maxsize=100_000)
def valid_digits(value: str, region: str | None) -> str | None:
    """The API's digits for ``value`` read in ``region``, or None when it is not a valid number."""
    if region == "":  # the draft's "no region": a national number is not read
        spec = "{column: v, as: phone, region: {default: ''}}"
    elif region:
        spec = f"{{column: v, as: phone, region: {region}}}"
    else:
        spec = "{column: v, as: phone}"
    found = reader(spec)(value)
    return None if found is None else str(found)


def per_row_digits(value: str, country: str, region: str = "{column: c}") -> str | None:
    """The digits of ``value`` read in the country its row's ``country`` cell names (the
    mapping's ``region: {column: ...}``, written ``region`` with column ``c``), or None."""
    found = reader(f"{{column: v, as: phone, region: {region}}}")(value, country)
    return None if found is None else str(found)


def country_spellings(counts: Mapping[str, int]) -> dict[str, str]:
    """Country cells the mapping's region does not read by itself, each with the code it means
    ("UAE" -> AE): the ``map`` of a ``region: {column: ...}``."""
    found: dict[str, str] = {}
    for value in counts:
        code = country_code(value)
        key = value.casefold()
        if code and key not in found and not _resolves(value):
            found[key] = code
    return found


def _resolves(country: str) -> bool:
    """Whether the mapping reads ``country`` as a region by itself."""
    return accepts(f"{{column: v, as: phone, region: {flow(country)}}}")


def is_international(value: str) -> bool:
    """Written with its country code: ``+91 ...`` or ``0091 ...``."""
    return value.lstrip("( ").startswith(("+", "00"))


def tried(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return Counter(counts).most_common(_TRIED)


def phone_share(counts: Mapping[str, int], region: str | None) -> tuple[float, list[str]]:
    """Share of the values valid in ``region`` (weighted), and the invalid ones (most frequent
    first)."""
    top = tried(counts)
    total = sum(c for _, c in top)
    bad = [v for v, _ in top if valid_digits(v, region) is None]
    badness = sum(counts[v] for v in bad)
    return (1 - badness / total if total else 0.0), bad


def shortlist(counts: Mapping[str, int]) -> list[str]:
    """The regions that read the most local numbers valid, tried on a few of them."""
    local = [v for v, _ in tried(counts) if not is_international(v)][:_SHORTLIST_VALUES]
    if not local:
        return []
    scores: Counter[str] = Counter()
    for region in main_regions():
        scores[region] = sum(valid_digits(v, region) is not None for v in local)
    ranked = [(r, n) for r, n in scores.most_common() if n]
    if len(ranked) <= _SHORTLIST:
        return [r for r, _ in ranked]
    # the best few, and every region as good as the last of them (a tie is no reason to drop one)
    least = ranked[_SHORTLIST - 1][1]
    return [r for r, n in ranked if n >= least][:_LONGLIST]


def best_region(counts: Mapping[str, int], hints: Mapping[str, int] | None = None) -> PhoneGuess:
    """The one region that makes the most of ``counts`` (value -> count) valid numbers.

    Regions that read as many numbers valid but as different numbers (a 10-digit number is a
    mobile in India and a landline in Brazil) are told apart by evidence: numbers written the
    way one region writes them (``081279 54220``), the column's own international numbers, and
    ``hints`` (region -> count, e.g. from e-mail domains). Without any, the guess says so.
    """
    total = sum(counts.values())
    international = sum(c for v, c in counts.items() if is_international(v)) / (total or 1)
    results: dict[str | None, tuple[float, list[str]]] = {None: phone_share(counts, None)}
    if results[None][0] < 0.99:  # numbers that nearly all carry their country code need none
        for region in shortlist(counts):
            results[region] = phone_share(counts, region)
    best = max(share for share, _ in results.values())
    near = [r for r, (share, _) in results.items() if share >= best - 0.005]
    region, tied, evidence = near[0], [], ""
    if len(near) > 1:
        region, tied, evidence = _tie(counts, near, hints or {})
    share, bad = results[region]
    others = sorted(((r, s) for r, (s, _) in results.items() if r != region), key=lambda r: -r[1])
    anywhere = max(share, _anywhere(counts))
    return PhoneGuess(
        region, share, False, bad[:5], international, others, tied, evidence, anywhere
    )


def _anywhere(counts: Mapping[str, int]) -> float:
    """Share of the values (of the most frequent few, weighted) that are valid numbers of some
    country: a column of many countries' national numbers is phone numbers though no one
    region reads most of them (the shortlist has read these already: cached)."""
    top = tried(counts)[:_SHORTLIST_VALUES]
    total = sum(n for _, n in top)
    good = 0
    for value, n in top:
        if is_international(value):
            good += n * (valid_digits(value, None) is not None)
        elif any(valid_digits(value, r) is not None for r in main_regions()):
            good += n
    return good / total if total else 0.0


def _tie(
    counts: Mapping[str, int], near: list[str | None], hints: Mapping[str, int]
) -> tuple[str | None, list[str], str]:
    """The region among ``near`` the evidence favours, the others that read differently, and
    the evidence in words."""
    top = [v for v, _ in tried(counts)[:200]]
    readings = {r: tuple(valid_digits(v, r) for v in top) for r in near}
    if len(set(readings.values())) == 1:
        return near[0], [], ""  # they read every number alike: the choice does not matter
    written: Counter[str | None] = Counter()
    own: Counter[str | None] = Counter()
    for value in top:
        if is_international(value):
            digits = valid_digits(value, None)
            own[region_of(digits) if digits else None] += 1
        elif any(ch in value for ch in " -()./"):
            # bare digits say nothing about how a region writes its numbers
            for region in near:
                if region and national_format(value, region) == value:
                    written[region] += 1
    score = {r: (written[r], own[r] + hints.get(r or "", 0)) for r in near}
    region = max(near, key=lambda r: score[r])  # the first best on a tie: the shortlist's order
    tied = [r for r in near if r and readings[r] != readings[region]]
    if any(score[r] == score[region] for r in tied):
        return region, tied, ""  # the evidence does not tell them apart
    why = []
    if written[region]:
        why.append(f"{written[region]} numbers are written the way {region} writes them")
    if own[region]:
        why.append(f"{own[region]} of the column's international numbers are {region}'s")
    if hints.get(region or ""):
        why.append(f"{hints[region or '']} e-mail addresses end in .{str(region).lower()}")
    return region, tied, " and ".join(why)


def national_format(value: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def region_of(digits: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse("+" + digits))
    except phonenumbers.NumberParseException:
        return None


def per_row_share(pairs: Iterable[tuple[str, str, int]], region: str = "{column: c}") -> PhoneGuess:
    """How ``(value, row's country cell, count)`` read when each number is read in its row's
    country (only where the mapping can say ``region: {column: ...}``; ``region`` is that spec
    reading column ``c``)."""
    total = bad_weight = 0
    bad: Counter[str] = Counter()
    intl = 0
    for value, country, count in pairs:
        total += count
        intl += count * is_international(value)
        if per_row_digits(value, country, region) is None:
            bad_weight += count
            bad[value] += count
    share = 1 - bad_weight / total if total else 0.0
    return PhoneGuess(None, share, True, [v for v, _ in bad.most_common(5)], intl / (total or 1))
