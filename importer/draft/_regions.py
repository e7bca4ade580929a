"""In which country a phone column's numbers are read: only ever from evidence.

A numbering plan that accepts many lengths (Germany's) makes most digit strings valid, so "the
region that makes the most numbers valid" is no evidence that the numbers are that country's: a
UAE ``971567037600`` would be read as a German national number. A column is read

- ``row``: in each row's own country, when a column names countries (``region: {column: ...}``);
  never one region for the whole file then;
- ``international``: as international digits, when (nearly) every number carries its country
  code, with or without its ``+`` (no region at all);
- ``region``: in one country, when the file says the numbers are that country's: their own
  ``+``/``00`` codes, the e-mails' country domains, numbers written the way that country writes
  them (its trunk prefix and grouping), and no other country said as often;
- ``none``: otherwise; a number with ``+`` or ``00`` is read as written and a national number is
  rejected ``unknown_region`` (``region: {default: ""}``: a per-row region that is always empty).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pandas as pd
import phonenumbers

from importer.draft._phones import (
    country_spellings,
    is_international,
    main_regions,
    national_format,
    per_row_share,
    phone_share,
    region_of,
    shortlist,
    tried,
    valid_digits,
)
from importer.draft._profile import Column
from importer.draft._vocab import header_words
from importer.draft._write import flow

#: the region spec that reads no national number: a per-row region that is always empty
NO_REGION: dict[str, Any] = {"default": ""}
#: the evidence for one country must be at least this share of all the evidence ...
_AGREE = 0.8
#: ... and at least this many values or addresses
_LEAST = 3
#: a country is a candidate when it reads at least this share of the national numbers
_READS = 0.5
#: national numbers that vote for the country whose mobiles they are
_VOTERS = 100
#: generic top-level domains that are also country codes, and are used as generic ones
_GENERIC_TLDS = frozenset({"CO", "IO", "ME", "TV", "AI", "FM", "LY", "AM", "CC", "WS", "NU"})


@dataclass(frozen=True)
class Reading:
    """How the draft reads one phone column."""

    column: Column
    mode: str  # "row" | "international" | "region" | "none"
    #: share of the filled values (weighted) read valid this way
    share: float
    region: str | None = None
    #: the country column (mode "row") and the spellings its region needs mapped
    country: Column | None = None
    spellings: dict[str, str] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)
    #: what made the region (mode "region"), or why none could be given
    evidence: str = ""
    #: national numbers that no region reads (mode "none"): rejected or dropped
    unregioned: int = 0

    def spec(self) -> dict[str, Any]:
        """The value spec reading the column this way (``settings.region`` not relied on)."""
        spec: dict[str, Any] = {"column": self.column.name, "as": "phone"}
        if self.mode == "row" and self.country is not None:
            region: dict[str, Any] = {"column": self.country.name}
            if self.spellings:
                region["map"] = dict(sorted(self.spellings.items(), key=lambda kv: kv[1]))
            spec["region"] = region
        elif self.mode == "region":
            spec["region"] = self.region
        elif self.mode == "none":
            spec["region"] = dict(NO_REGION)
        return spec


def email_domains(columns: list[Column]) -> dict[str, int]:
    """Region -> e-mail addresses under its country's domain (``.de``; ``.uk`` is GB)."""
    found: Counter[str] = Counter()
    for c in columns:
        if c.share("email") < 0.5:
            continue
        for value, count in c.counts.items():
            tld = value.rpartition(".")[2].upper()
            region = "GB" if tld == "UK" else tld
            known = region in phonenumbers.SUPPORTED_REGIONS and region not in _GENERIC_TLDS
            if "@" in value and known:
                found[region] += count
    return dict(found)


def read_column(
    column: Column,
    frame: pd.DataFrame,
    country: Column | None,
    spellings: dict[str, str],
    hints: Mapping[str, int],
) -> Reading:
    """How to read ``column``: per row when ``country`` is given, else by the evidence."""
    if country is not None:
        region = flow({"column": "c", "map": spellings} if spellings else {"column": "c"})
        pairs = frame[[column.name, country.name]].astype(str).apply(lambda s: s.str.strip())
        pairs = pairs[pairs[column.name] != ""]
        counts = pairs.value_counts(sort=True).head(5_000)
        guess = per_row_share(((p, c, int(n)) for (p, c), n in counts.items()), region)
        return Reading(column, "row", guess.share, None, country, spellings, guess.invalid)
    counts = column.counts
    share, bad = phone_share(counts, None)
    bare = {v: n for v, n in counts.items() if not is_international(v)}
    if share >= 0.99 or (bare and phone_share(bare, None)[0] >= 0.97 and share >= 0.9):
        # digits with their country code (the + perhaps lost on the way): no region needed
        return Reading(column, "international", share, invalid=bad[:5])
    region, evidence = evidence_region(counts, hints)
    if region is not None:
        share, bad = phone_share(counts, region)
        return Reading(column, "region", share, region, invalid=bad[:5], evidence=evidence)
    share, bad = phone_share(counts, "")
    unread = sum(n for v, n in counts.items() if v in set(bad) and not is_international(v))
    return Reading(column, "none", share, None, invalid=bad[:5], evidence=evidence,
                   unregioned=unread)  # fmt: skip


def evidence_region(
    counts: Mapping[str, int], hints: Mapping[str, int] | None = None
) -> tuple[str | None, str]:
    """The one country the file says the national numbers of ``counts`` are, and the evidence in
    words; (None, why not) when the evidence is missing or split between countries."""
    hints = hints or {}
    top = tried(counts)[:300]
    local = [(v, n) for v, n in top if not is_international(v)]
    own: Counter[str] = Counter()
    for value, n in top:
        if is_international(value):
            digits = valid_digits(value, None)
            where = region_of(digits) if digits else None
            if where:
                own[where] += n
    candidates = set(shortlist(dict(local))) | set(own) | set(hints)
    total_local = sum(n for _, n in local) or 1
    # a mobile of r counts even when the reading refuses it as ambiguous (bare digits that are
    # also another country's number with the + lost): it is r's number, the rows decide the rest
    reads = {
        r: sum(n for v, n in local if valid_digits(v, r) is not None or is_mobile(v, r))
        / total_local
        for r in candidates
        if r in phonenumbers.SUPPORTED_REGIONS
    }
    candidates = {r for r, share in reads.items() if share >= _READS}
    written: Counter[str] = Counter()
    mobiles: Counter[str] = Counter()
    for value, n in local[:_VOTERS]:
        # a mobile of one country only (Germany's plan reads most digit strings as a landline,
        # not as a mobile), written the way that country writes it when written with spaces
        fits = [r for r in main_regions() if is_mobile(value, r)]
        mobiles.update(dict.fromkeys(fits, n))
        if len(fits) > 1 and any(ch in value for ch in " -()./"):
            fits = [r for r in fits if national_format(value, r) == value]
        if len(fits) == 1:
            written[fits[0]] += n
    # the national numbers' own word first: mobiles of one country only; the numbers written
    # with their code and the e-mails' domains say which countries the customers are from, and
    # decide only when the national numbers cannot (digits that are mobiles in several plans)
    voted = sum(n for _, n in local[:_VOTERS]) or 1
    alone = sum(written.values()) >= max(_LEAST, 0.2 * voted)
    votes = written if alone else Counter(own) + Counter(hints) + written
    total = sum(votes.values())
    if not total:
        return None, "nothing in the file says which country the numbers are of"
    best = max(candidates, key=lambda r: (votes[r], reads[r]), default=None)
    if best is not None and mobiles[best] < _AGREE * voted:
        said = f"{mobiles[best] / voted:.0%} of the national numbers are mobiles of {best}"
        return None, f"not enough are one country's mobiles ({said})"
    if best is None or votes[best] < _LEAST or votes[best] < _AGREE * total:
        said = ", ".join(f"{r} {n:,}" for r, n in votes.most_common(4))
        return None, f"the file's evidence points to several countries ({said})"
    why = []
    if own[best]:
        why.append(f"{own[best]:,} of the column's numbers carry {best}'s own code")
    if written[best]:
        why.append(f"{written[best]:,} of its national numbers are mobiles of {best} alone")
    if hints.get(best):
        why.append(f"{hints[best]:,} e-mail addresses end in .{best.lower()}")
    others = total - votes[best]
    if others:
        why.append(f"{others:,} point elsewhere")
    return best, ", ".join(why)


_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


@lru_cache(maxsize=50_000)
def is_mobile(value: str, region: str) -> bool:
    """Whether ``value`` read in ``region`` is a valid mobile there (or a number the plan does
    not tell from a landline, as in the US)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) in _MOBILE_TYPES
    )


# -- country columns ------------------------------------------------------------------------------

#: header words that say which address (or person) a column belongs to, not what it holds
_FIELD_WORDS = frozenset({
    "phone", "mobile", "number", "no", "nr", "tel", "telephone", "cell", "country", "code",
    "region", "iso", "land", "pays", "pais",
})  # fmt: skip


def owner_words(header: str) -> set[str]:
    """The words of a header that name its owner: ``Default Address Phone`` -> default,
    address; ``billing_country`` -> billing."""
    return set(header_words(header).replace("phone", " phone ").split()) - _FIELD_WORDS


def read_paired(
    phone: Column, countries: list[Column], frame: pd.DataFrame, hints: Mapping[str, int]
) -> Reading:
    """How to read ``phone``, in the country column that belongs with it.

    A country column whose header shares owner words with the phone's (``billing_phone`` and
    ``billing_country``) is its own. Otherwise, and among several tied so, each candidate is
    tried and the one under which most of the phone's numbers read valid wins (then the one
    filled on more of the phone's rows): never the first by position, which in an export is
    no evidence (Stripe's ``Card Country``, the card issuer's, comes before ``Address
    Country``; Outlook's ``Business Country/Region`` before ``Home Country/Region``)."""
    if not countries:
        return read_column(phone, frame, None, {}, hints)
    mine = owner_words(phone.name)
    shared = {c.name: len(mine & owner_words(c.name)) for c in countries}
    tied = [c for c in countries if shared[c.name] == max(shared.values())]
    readings = [read_column(phone, frame, c, country_spellings(c.counts), hints) for c in tied]
    if len(readings) == 1:
        return readings[0]
    filled = frame[phone.name].astype(str).str.strip() != ""

    def both(c: Column) -> int:
        return int((filled & (frame[c.name].astype(str).str.strip() != "")).sum())

    # a tie on both (the data cannot tell) keeps _countries' order, for a stable draft
    pairs = zip(tied, readings, strict=True)
    scored = [(r.share, both(c), -k, r) for k, (c, r) in enumerate(pairs)]
    best = max(scored, key=lambda s: s[:3])[3]
    others = ", ".join(
        f"{r.country.name} {r.share:.1%}" for *_, r in scored if r is not best and r.country
    )
    why = f"the country column under which most of its numbers are valid (not {others})"
    return replace(best, evidence=why)
