"""Which column is which field: the header's words and, above all, what the values parse as.

Each field takes the best column that passes its test; a column serves one field (the mobile
column serves the identifier and the channel, a full name the first and the last name).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
import phonenumbers

from importer.draft._phones import PhoneGuess, best_region, country_spellings, per_row_share
from importer.draft._profile import FEW, Column
from importer.draft._write import flow

#: fields a column whose header names them strongly cannot also be the mobile
_NOT_A_PHONE = ("externalId", "cardnumber", "zip", "points", "tier")


@dataclass(frozen=True)
class Match:
    """A field and the column it comes from; ``why`` is the evidence, for the comment."""

    field: str
    column: Column
    why: str
    #: for the mobile: how its numbers read best in one region for the file
    phones: PhoneGuess | None = None
    #: for the mobile: how they read in each row's country, when a column names it
    per_row: PhoneGuess | None = None
    #: for the mobile read per row: country spellings the mapping needs mapped ("UAE" -> AE)
    spellings: dict[str, str] = dataclasses.field(default_factory=dict)


def match(
    columns: list[Column], frame: pd.DataFrame, region_column: bool = False
) -> dict[str, Match]:
    """field -> Match for every field the file has a column for (``region_column``: the mapping
    can read each row's phone region from a column)."""
    found: dict[str, Match] = {}
    used: set[str] = set()

    def take(field: str, column: Column, why: str) -> None:
        found[field] = Match(field, column, why)
        used.add(column.name)

    def free() -> list[Column]:
        return [c for c in columns if c.name not in used and c.filled]

    country = _country(free())
    if country is not None:
        take("country", country, _by(country, "country", "values name countries"))
    mobile = _mobile(free(), country, frame, region_column)
    if mobile is not None:
        column, guess, per_row, spellings = mobile
        why = _by(column, "mobile", "values are phone numbers")
        found["mobile"] = Match("mobile", column, why, guess, per_row, spellings)
        used.add(column.name)
    email = _best(free(), "email", "email", 0.5)
    if email is not None:
        take("email", email, _by(email, "email", "values are e-mails"))
    for field, column, why in _dates(free()):
        take(field, column, why)
    gender = _best(free(), "gender", "gender", 0.8, content_alone=0.95)
    if gender is not None:
        take("gender", gender, _by(gender, "gender", "values are genders"))
    for field, column, why in _names(free()):
        take(field, column, why)
    external = _external_id(free())
    if external is not None:
        take("externalId", external[0], external[1])
    tier = _headed(free(), "tier", lambda c: c.distinct <= FEW)
    if tier is not None:
        take("tier", tier, _by(tier, "tier", "few distinct values"))
    points = _headed(free(), "points", lambda c: c.shapes["number"] >= 0.7)
    if points is not None:
        take("points", points, _by(points, "points", "values are numbers"))
    consent = _headed(free(), "consent", lambda c: c.share("bool") >= 0.7)
    if consent is not None:
        take("consent", consent, _by(consent, "consent", "values are yes/no"))
    for field in ("cardnumber", "city", "state", "zip"):
        column = _headed(free(), field, lambda c: True)
        if column is not None:
            take(field, column, _by(column, field, ""))
    return found


def _by(column: Column, field: str, content: str) -> str:
    """How the column was matched, for the comment: ``header and values``, ``header`` or
    ``values``."""
    header = column.header.get(field, 0.0) >= 0.6
    if header and content:
        return "header and values"
    return "header" if header else "values"


def _headed(columns: list[Column], field: str, test) -> Column | None:
    """The column whose header names ``field`` best and whose values pass ``test``."""
    named = [c for c in columns if c.header.get(field, 0.0) >= 0.6 and _named_most(c, field)]
    named = [c for c in named if test(c)]
    return max(named, key=lambda c: c.header[field], default=None)


def _named_most(column: Column, field: str) -> bool:
    """The header names ``field`` at least as strongly as any other field."""
    return column.header.get(field, 0.0) >= max(column.header.values(), default=0.0)


def _best(
    columns: list[Column], field: str, kind: str, least: float, content_alone: float = 0.0
) -> Column | None:
    """The column with the best share of ``kind`` values (at least ``least``; a header naming
    the field adds to the score, and without one the share must reach ``content_alone``)."""
    scored = []
    for c in columns:
        share = c.share(kind)
        header = c.header.get(field, 0.0) if _named_most(c, field) else 0.0
        needed = least if header else max(least, content_alone)
        if share >= needed:
            scored.append((share + 0.5 * header, -c.position, c))
    return max(scored, key=lambda s: s[:2])[2] if scored else None


def _country(columns: list[Column]) -> Column | None:
    """Values that name countries (few distinct ones): the header must agree, or not object."""
    best = None
    for c in columns:
        share = c.share("country")
        header = c.header.get("country", 0.0)
        other = max((v for k, v in c.header.items() if k != "country"), default=0.0)
        if c.distinct > 300 or share < 0.7 or (not header and (other >= 0.6 or share < 0.9)):
            continue
        score = share + 0.5 * header
        if best is None or score > best[0]:
            best = (score, c)
    return best[1] if best else None


def _mobile(
    columns: list[Column], country: Column | None, frame: pd.DataFrame, region_column: bool
) -> tuple[Column, PhoneGuess, PhoneGuess | None] | None:
    """The phone column (with its best region, and its reading per row's country if better)."""
    scored = []
    spellings = country_spellings(country.counts) if country and region_column else {}
    region = flow({"column": "c", "map": spellings} if spellings else {"column": "c"})
    for c in columns:
        if c.phones is None:
            continue
        guess, per_row = c.phones, None
        if guess.tied:
            guess = best_region(c.counts, _domains(columns))
        if country is not None and region_column:
            per_row = _per_row(frame, c.name, country.name, region)
            if per_row.share < guess.share - 0.01:
                per_row = None
        share = max(guess.share, per_row.share if per_row else 0.0)
        header = c.header.get("mobile", 0.0) if _named_most(c, "mobile") else 0.0
        other = max((c.header.get(f, 0.0) for f in _NOT_A_PHONE), default=0.0)
        penalty = 0.6 * other + (0.4 if _sequence(frame[c.name]) else 0.0)
        score = share + 0.5 * header - penalty
        if share >= (0.3 if header else 0.6) and score >= 0.5:
            scored.append((score, -c.position, c, guess, per_row))
    if not scored:
        return None
    _, _, column, guess, per_row = max(scored, key=lambda s: s[:2])
    return column, guess, per_row, spellings if per_row else {}


def _domains(columns: list[Column]) -> dict[str, int]:
    """Region -> e-mail addresses under its country's domain (``.de``; ``.uk`` is GB)."""
    found: dict[str, int] = {}
    for c in columns:
        if c.share("email") < 0.5:
            continue
        for value, count in c.counts.items():
            tld = value.rpartition(".")[2].upper()
            region = "GB" if tld == "UK" else tld
            if "@" in value and region in phonenumbers.SUPPORTED_REGIONS:
                found[region] = found.get(region, 0) + count
    return found


def _per_row(frame: pd.DataFrame, phone: str, country: str, region: str) -> PhoneGuess:
    pairs = frame[[phone, country]].astype(str).apply(lambda s: s.str.strip())
    pairs = pairs[pairs[phone] != ""]
    counts = pairs.value_counts(sort=True).head(5_000)
    return per_row_share(((p, c, int(n)) for (p, c), n in counts.items()), region)


def _sequence(cells: pd.Series) -> bool:
    """Numbers that grow row after row: a running id or counter, not phone numbers."""
    numbers = pd.to_numeric(cells.astype(str).str.replace(r"\D", "", regex=True), errors="coerce")
    numbers = numbers.dropna()
    return len(numbers) >= 5 and numbers.is_monotonic_increasing and numbers.is_unique


def _dates(columns: list[Column]) -> list[tuple[str, Column, str]]:
    """The birthday (by header, else the one column of dates that look like birthdays) and the
    expiry dates (by header only)."""
    dated = [c for c in columns if c.dates is not None and c.dates.share >= 0.3]
    out = []
    for field in ("dateofbirth", "pointsExpiryDate", "tierExpiryDate"):
        named = [c for c in dated if c.header.get(field, 0) >= 0.6 and _named_most(c, field)]
        if named:
            column = max(named, key=lambda c: (c.header[field], c.dates.share))
            out.append((field, column, _by(column, field, "values are dates")))
            dated.remove(column)
    if not any(f == "dateofbirth" for f, _, _ in out):
        year = dt.date.today().year
        births = [
            c
            for c in dated
            if c.dates.share >= 0.6
            and not c.dates.has_time
            and c.dates.years is not None
            and c.dates.years[0] <= year - 16
            and c.dates.years[2] - c.dates.years[1] >= 20
            and not any(v >= 0.6 for v in c.header.values())
        ]
        if len(births) == 1:
            (c,) = births
            median, low, high = c.dates.years
            out.append(("dateofbirth", c, f"values (dates from {low} to {high}: birthdays?)"))
    return out


def _names(columns: list[Column]) -> list[tuple[str, Column, str]]:
    out = []
    for field in ("firstName", "lastName"):
        column = _headed(columns, field, lambda c: c.share("name") >= 0.5)
        if column is not None:
            out.append((field, column, "header and values"))
            columns = [c for c in columns if c is not column]
    if out:
        return out
    full = _headed(columns, "fullName", lambda c: c.share("name") >= 0.6)
    if full is not None:
        return [("fullName", full, "header and values")]
    candidates = [
        c
        for c in columns
        if c.share("name") >= 0.8 and _varied(c) and _multiword(c) >= 0.5 and not c.header
    ]
    if len(candidates) == 1:
        return [("fullName", candidates[0], "values (names of two or more words)")]
    return []


def _varied(column: Column) -> bool:
    return column.distinct > FEW or column.distinct >= 0.5 * column.filled


def _multiword(column: Column) -> float:
    words = sum(n for v, n in column.counts.items() if len(v.replace(",", " ").split()) > 1)
    return words / column.filled if column.filled else 0.0


def _external_id(columns: list[Column]) -> tuple[Column, str] | None:
    """Codes without spaces, unique in the file: by header, else the first such column."""

    def idlike(c: Column, least: float) -> bool:
        return c.shapes["code"] >= 0.95 and c.unique >= least and c.share("email") < 0.5

    named = _headed(columns, "externalId", lambda c: idlike(c, 0.9))
    if named is not None:
        return named, "header and values"
    for c in columns:
        # without a header to say so: codes with digits (not words), unique over enough rows
        if (
            idlike(c, 0.95)
            and c.filled >= 10
            and c.empty <= 0.1
            and _with_digits(c) >= 0.9
            and c.shares.get("date", 0.0) < 0.5
        ):
            return c, "values"
    return None


def _with_digits(column: Column) -> float:
    digits = sum(n for v, n in column.counts.items() if any(ch.isdigit() for ch in v))
    return digits / column.filled if column.filled else 0.0
