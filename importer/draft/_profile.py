"""What each column holds: value counts and pattern shares (pandas), and the shares that parse as
phone numbers, e-mails, dates, numbers, yes/no, genders, tiers and countries.

Shares are of the filled (non-empty) values, weighted by how often each value occurs. Every check
runs the project's own conversion (``as: phone``, ``as: email``, ...), so a share is what
``importer validate`` will find, not an estimate of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from importer.draft._dates import DateGuess, guess_dates
from importer.draft._phones import PhoneGuess, best_region
from importer.draft._probe import reads
from importer.draft._vocab import (
    BOOL_WORDS,
    BOOLEANS,
    GENDERS,
    TIER_ORDER,
    country_code,
    header_fields,
    words,
)

#: value shapes, as whole-cell regular expressions (pandas ``str.fullmatch``)
SHAPES: dict[str, str] = {
    "digits": r"\d+",
    # seven digits at least: shorter digit strings (amounts such as 455.80, counts, years) are
    # read valid by plans that accept short numbers (Luxembourg's), but are no one's phone
    "phone": r"(?=(?:\D*\d){7})(?:\+|00)?[\s(]*\d[\d\s().\-/]{4,}\d",
    "email": r"[^@\s]+@[^@\s]+",
    "date": r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?|\d{1,2}[- ][A-Za-z]{3,}\.?[- ]\d{2,4}"
    r"|[A-Za-z]{3,}\.? \d{1,2},? \d{4}",
    "number": r"-?\d{1,3}(?:[,.' ]\d{3})*(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?",
    # leading underscores too: an export's own ids (Odoo's ``__export__.res_partner_12``)
    "code": r"_*[A-Za-z0-9][A-Za-z0-9\-_/.#]*",
    "words": r"[^\d@_#/\\|]+",
}
#: a shape below this share is not worth the slower checks
_WORTH = 0.3
#: low cardinality: at most this many distinct values
FEW = 30


@dataclass
class Column:
    """One column's profile."""

    name: str
    position: int
    rows: int
    filled: int
    #: stripped value -> count, most frequent first
    counts: dict[str, int]
    shapes: dict[str, float]
    header: dict[str, float]
    shares: dict[str, float] = field(default_factory=dict)
    dates: DateGuess | None = None
    phones: PhoneGuess | None = None

    @property
    def distinct(self) -> int:
        return len(self.counts)

    @property
    def empty(self) -> float:
        """Share of the rows whose cell is empty."""
        return 1 - self.filled / self.rows if self.rows else 1.0

    @property
    def unique(self) -> float:
        """Share of the filled values that occur only once."""
        once = sum(1 for c in self.counts.values() if c == 1)
        return once / self.filled if self.filled else 0.0

    def example(self) -> str:
        return next(iter(self.counts), "")

    def share(self, kind: str) -> float:
        return self.shares.get(kind, 0.0)


def profile(frame: pd.DataFrame) -> list[Column]:
    """Every column of ``frame`` (text cells) profiled; date columns that nothing decides follow
    the day/month order the file's other date columns decided."""
    columns = [_column(frame, name, i) for i, name in enumerate(frame.columns)]
    orders = Counter(
        c.dates.day_first
        for c in columns
        if c.dates is not None and c.dates.decided and c.dates.day_first is not None
    )
    if orders:
        convention = orders.most_common(1)[0][0]
        for c in columns:
            if c.dates is not None and not c.dates.decided and c.dates.day_first is not None:
                c.dates = guess_dates(c.counts, convention)
    return columns


def _column(frame: pd.DataFrame, name: str, position: int) -> Column:
    cells = frame[name].astype(str).str.strip()
    filled = cells[cells != ""]
    counts = filled.value_counts(sort=True)
    column = Column(
        name=str(name),
        position=position,
        rows=len(cells),
        filled=len(filled),
        counts={str(k): int(v) for k, v in counts.items()},
        shapes=_shapes(counts),
        header=header_fields(str(name)),
    )
    if column.filled:
        _detect(column)
    return column


def _shapes(counts: pd.Series) -> dict[str, float]:
    """Share of the values (weighted) of each shape, computed on the distinct values."""
    total = counts.sum()
    if not total:
        return dict.fromkeys(SHAPES, 0.0)
    index = counts.index.to_series().astype(str)
    return {
        shape: float(counts[index.str.fullmatch(pattern).to_numpy()].sum() / total)
        for shape, pattern in SHAPES.items()
    }


def _weighted(counts: dict[str, int], test) -> float:
    """Share of the values (weighted) for which ``test`` is true (the 5,000 most frequent)."""
    top = list(counts.items())[:5_000]
    total = sum(c for _, c in top)
    return sum(c for v, c in top if test(v)) / total if total else 0.0


def _detect(c: Column) -> None:
    shapes, few = c.shapes, c.distinct <= FEW
    if shapes["email"] >= _WORTH or "email" in c.header:
        c.shares["email"] = _weighted(c.counts, lambda v: reads("{column: v, as: email}", v))
    if shapes["number"] >= _WORTH:
        c.shares["int"] = _weighted(c.counts, lambda v: reads("{column: v, as: int}", v))
    if shapes["date"] >= _WORTH:
        c.dates = guess_dates(c.counts)
        c.shares["date"] = c.dates.share if c.dates else 0.0
    if shapes["phone"] >= _WORTH and c.share("date") < 0.5:
        c.phones = best_region(c.counts)
        c.shares["phone"] = c.phones.anywhere
    if few or c.distinct <= 300:
        c.shares["country"] = _weighted(c.counts, lambda v: country_code(v) is not None)
    if few:
        keys = {v: words(v) for v in c.counts}
        c.shares["bool"] = _weighted(
            c.counts, lambda v: keys[v] in BOOL_WORDS or keys[v] in BOOLEANS
        )
        c.shares["gender"] = _weighted(c.counts, lambda v: keys[v] in GENDERS)
        c.shares["tier"] = _weighted(c.counts, lambda v: keys[v] in TIER_ORDER)
    if shapes["words"] >= _WORTH:
        c.shares["name"] = _weighted(c.counts, _looks_like_name)


def _looks_like_name(value: str) -> bool:
    """One to five words of letters (apostrophes, hyphens, dots and commas allowed)."""
    parts = value.replace(",", " ").split()
    return 1 <= len(parts) <= 5 and all(
        any(ch.isalpha() for ch in p) and all(ch.isalpha() or ch in "'’.-" for ch in p)
        for p in parts
    )
