"""Which date formats read a column: tried with the very parsers ``as: date`` uses.

dd/mm against mm/dd is decided by values that read only one way (a day above 12); when no value
decides, the caller's convention (another date column's) is used, and the guess says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from importer.mapping import ISO_FORMATS, compile_format

_DATES = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_TIMES = (" %H:%M:%S", " %H:%M", "T%H:%M:%S")
#: every candidate: the dates, then each with a time of day
CANDIDATES: tuple[str, ...] = (*_DATES, *(d + t for d in _DATES for t in _TIMES))


def _swap(fmt: str) -> str | None:
    """The format with day and month swapped (``%d/%m/%Y`` <-> ``%m/%d/%Y``), if numeric."""
    if "%d" in fmt and "%m" in fmt and fmt.index("%d") < fmt.index("%Y"):
        return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    return None


def day_first(fmt: str) -> bool | None:
    """True for a dd/mm format, False for mm/dd, None when the order is not in question."""
    if _swap(fmt) is None or fmt.index("%Y") < fmt.index("%d"):
        return None
    return fmt.index("%d") < fmt.index("%m")


_SHAPES = {"%d": r"\d{1,2}", "%m": r"\d{1,2}", "%H": r"\d{1,2}", "%M": r"\d{1,2}", "%S": r"\d{1,2}",
           "%Y": r"\d{4}", "%b": r"[A-Za-z]{3}", "%B": r"[A-Za-z]{3,9}"}  # fmt: skip
#: at most this many distinct values are tried (the most frequent first)
_TRIED = 5_000


@cache
def _parser(fmt: str) -> Callable[[str], dt.datetime | None]:
    """The ``as: date`` parser of ``fmt``, tried only on values of the format's shape (strptime
    is slow, and most values fail most formats)."""
    parse = compile_format(fmt)
    parts = re.split(r"(%.)", fmt)
    shape = re.compile("".join(_SHAPES.get(p, re.escape(p)) for p in parts), re.IGNORECASE)
    return lambda v: parse(v) if shape.fullmatch(v) else None


@dataclass(frozen=True)
class DateGuess:
    """The formats that read a column's values, in the order to try them, and how well."""

    formats: list[str]
    #: share of the values (weighted by count) the formats, or ISO, read
    share: float
    has_time: bool
    #: True dd/mm, False mm/dd, None when no format has both
    day_first: bool | None
    #: whether values decided the order (False: the convention or the default did)
    decided: bool
    #: values that read only the other way round (they will be rejected), with their count
    against: int = 0
    unread: list[str] = field(default_factory=list)
    #: weighted median, lowest and highest year of the values read
    years: tuple[int, int, int] | None = None
    #: values read as a year before 1901: placeholders such as 01/01/1900
    placeholders: list[str] = field(default_factory=list)


def guess_dates(counts: Mapping[str, int], convention: bool | None = None) -> DateGuess | None:
    """The best formats for ``counts`` (value -> count), or None when no format reads any.

    ``convention`` is the day/month order other date columns of the file decided (True dd/mm).
    """
    counts = dict(Counter(counts).most_common(_TRIED))
    total = sum(counts.values())
    if not total:
        return None
    read: dict[str, dict[str, dt.datetime]] = {}
    for fmt in CANDIDATES:
        parse = _parser(fmt)
        found = {v: d for v in counts if (d := parse(v)) is not None}
        if found:
            read[fmt] = found
    if not read:
        return None

    def weight(values: set[str] | dict[str, dt.datetime]) -> int:
        return sum(counts[v] for v in values)

    remaining = set(counts)
    chosen: list[str] = []
    banned: set[str] = set()
    order: bool | None = None
    decided = False
    against = 0
    while remaining:
        scores = {f: weight(remaining & read[f].keys()) for f in read if f not in banned}
        scores = {f: s for f, s in scores.items() if s and f not in chosen}
        if not scores:
            break
        best = max(scores, key=lambda f: (scores[f], -CANDIDATES.index(f)))
        other = _swap(best)
        if other is not None and order is None:
            mine = weight(remaining & (read[best].keys() - read.get(other, {}).keys()))
            theirs = weight(remaining & (read.get(other, {}).keys() - read[best].keys()))
            tied_wrong = theirs == mine and convention is not None and day_first(best) != convention
            if theirs > mine or tied_wrong:
                best, other = other, best
                mine, theirs = theirs, mine
            decided = mine > theirs
            against = theirs
            order = day_first(best)
        if other is not None:
            banned.add(other)
            banned.update(f for f in read if day_first(f) is not None and day_first(f) != order)
        chosen.append(best)
        remaining -= read[best].keys()
    share = 1 - weight(remaining) / total
    explicit = [f for f in chosen if f not in ISO_FORMATS] or chosen
    when = {v: d for f in chosen for v, d in read[f].items()}
    return DateGuess(
        formats=explicit,
        share=share,
        has_time=any("%H" in f for f in chosen),
        day_first=order,
        decided=decided,
        against=against,
        unread=sorted(remaining, key=lambda v: -counts[v])[:3],
        years=_years(when, counts),
        placeholders=sorted(v for v, d in when.items() if d.year <= 1900),
    )


def _years(when: Mapping[str, dt.datetime], counts: Mapping[str, int]) -> tuple[int, int, int]:
    years = sorted((d.year, counts[v]) for v, d in when.items())
    half, running, median = sum(c for _, c in years) / 2, 0, years[0][0]
    for year, count in years:
        running += count
        if running >= half:
            median = year
            break
    return median, years[0][0], years[-1][0]
