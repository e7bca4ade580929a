"""Which column is which field: the header's words and, above all, what the values parse as.

Each field takes the best column that passes its test; a column serves one field (the mobile
column serves the identifier and the channel, a full name the first and the last name).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from importer.draft._consent import Consent, consents
from importer.draft._profile import FEW, Column
from importer.draft._regions import Reading, email_domains, read_paired
from importer.draft._vocab import BOOL_WORDS, BOOLEANS, header_words, names_another_thing, words

#: fields a column whose header names them is not the id by its values alone (a ``Kunde`` may
#: hold customer codes: a whole name's header is not among them)
_NOT_AN_ID = ("cardnumber", "zip", "points", "tier", "mobile", "firstName", "lastName", "email",
              "dateofbirth", "gender", "city", "state", "country")  # fmt: skip
#: fields a column whose header names them strongly cannot also be the mobile
_NOT_A_PHONE = ("externalId", "cardnumber", "zip", "points", "tier")


@dataclass(frozen=True)
class Match:
    """A field and the column it comes from; ``why`` is the evidence, for the comment."""

    field: str
    column: Column
    why: str
    #: for the mobile: how each of its columns is read, in the order they are tried
    readings: list[Reading] = dataclasses.field(default_factory=list)
    #: for a consent: its channel, meaning and spec
    consent: Consent | None = None
    #: for a first or last name: an address's name column, for the rows without the customer's
    alternates: list[Column] = dataclasses.field(default_factory=list)


def match(columns: list[Column], frame: pd.DataFrame) -> dict[str, Match]:
    """field -> Match for every field the file has a column for. Each row's phone region may
    come from a column, a value may be the first non-empty of several columns (``first_of``),
    and a landline in a mobile is left out (``not_mobile``), so a column that may hold
    landlines can be tried after the mobile."""
    found: dict[str, Match] = {}
    used: set[str] = set()

    def take(field: str, column: Column, why: str) -> None:
        found[field] = Match(field, column, why)
        used.add(column.name)

    def free() -> list[Column]:
        return [c for c in columns if c.name not in used and c.filled]

    countries = _countries(free())
    phones = _phones(free(), frame)
    if phones:
        hints = email_domains(columns)
        readings = [read_paired(column, countries, frame, hints) for column in phones]
        why = _by(phones[0], "mobile", "values are phone numbers")
        found["mobile"] = Match("mobile", phones[0], why, readings)
        used.update(c.name for c in phones)
        for k, country in enumerate(dict.fromkeys(r.country.name for r in readings if r.country)):
            column = next(c for c in countries if c.name == country)
            take("country" if not k else f"country{k + 1}", column, _by(column, "country", "x"))
    email = _best(free(), "email", "email", 0.5)
    if email is not None:
        take("email", email, _by(email, "email", "values are e-mails"))
    channels = {f for f in ("mobile", "email") if f in found}
    for consent in consents(free(), channels):
        field = f"consent_{consent.channel}"
        found[field] = Match(field, consent.column, "header and values", consent=consent)
        used.add(consent.column.name)
    for field, column, why in _dates(free()):
        take(field, column, why)
    gender = _best(free(), "gender", "gender", 0.8, content_alone=0.95)
    if gender is not None:
        take("gender", gender, _by(gender, "gender", "values are genders"))
    for field, column, why in _names(free()):
        take(field, column, why)
    for field in ("firstName", "lastName"):
        if field in found:
            # a guest's name is only on the billing address (WooCommerce)
            others = [
                c
                for c in free()
                if c.header.get(field, 0.0) >= 0.6
                and _named_most(c, field)
                and c.share("name") >= 0.5
                and address_header(c.name)
            ]
            found[field] = dataclasses.replace(found[field], alternates=others)
            used.update(c.name for c in others)
    external = _external_id(free())
    if external is not None:
        take("externalId", external[0], external[1])
    tier = _headed(free(), "tier", _tiers)
    if tier is not None:
        take("tier", tier, _by(tier, "tier", "few distinct values"))
    points = _headed(free(), "points", lambda c: c.shapes["number"] >= 0.7)
    if points is not None:
        take("points", points, _by(points, "points", "values are numbers"))
    for field in ("cardnumber", "city", "state", "zip"):
        column = _headed(free(), field, lambda c: True)
        if column is not None:
            take(field, column, _by(column, field, ""))
    return found


def _tiers(column: Column) -> bool:
    """Few values that are tier names or numbers (a CRM's Lead Status is no tier)."""
    return column.distinct <= FEW and (column.share("tier") >= 0.5 or column.share("int") >= 0.9)


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


def _countries(columns: list[Column]) -> list[Column]:
    """Columns whose values name countries (codes or names, few distinct ones), whatever their
    header (``CC``, ``Land``, ``Pays``): the header must agree, or not object."""
    found = []
    for c in columns:
        share = c.share("country")
        header = c.header.get("country", 0.0)
        other = max((v for k, v in c.header.items() if k != "country"), default=0.0)
        if c.distinct > 300 or share < 0.7 or (not header and (other >= 0.6 or share < 0.9)):
            continue
        if _yes_no(c) >= 0.5:
            continue  # "No" is also Norway's code: a column of yes/no answers names no country
        if header < other or set(header_words(c.name).split()) & _NOT_WHERE:
            continue
        found.append((share + 0.5 * header, c))
    return [c for _, c in sorted(found, key=lambda s: (-s[0], s[1].position))]


_YES_NO = BOOL_WORDS | set(BOOLEANS)


def _yes_no(column: Column) -> float:
    """Share of the values (weighted) that are yes/no words (``No``, ``Y``, ``Oui``)."""
    said = sum(n for v, n in column.counts.items() if words(v) in _YES_NO)
    return said / column.filled if column.filled else 0.0


#: countries that are not where the customer's phone is (a nationality, a country of birth)
_NOT_WHERE = frozenset({"nationality", "citizenship", "birth", "origin", "language", "passport"})
#: header words of phones that are not the customer's own (a company's, an assistant's, a fax)
_NOT_OWN = frozenset({"fax", "assistant", "asst", "company", "work", "office", "business",
                      "home", "other", "emergency", "pager"})  # fmt: skip
#: header words of the customer's own mobile
_MOBILE_WORDS = frozenset({"mobile", "mobil", "cell", "cellphone", "handy", "whatsapp", "sms",
                           "mobilephone", "portable", "celular", "movil", "msisdn"})  # fmt: skip
#: header words of an address's phone (each address of a web shop has its own)
_ADDRESS_WORDS = frozenset({"address", "billing", "shipping", "mailing", "delivery", "default",
                            "street", "ship", "bill", "invoice"})  # fmt: skip


def _phones(columns: list[Column], frame: pd.DataFrame) -> list[Column]:
    """The customer's phone columns, in the order a draft tries them: the account's own mobile,
    its other own phones, then the addresses' phones."""
    scored = []
    for c in columns:
        if c.phones is None:
            continue
        share = c.phones.anywhere
        header = c.header.get("mobile", 0.0) if _named_most(c, "mobile") else 0.0
        other = max((c.header.get(f, 0.0) for f in _NOT_A_PHONE), default=0.0)
        penalty = 0.6 * other + (0.4 if _sequence(frame[c.name]) else 0.0)
        score = share + 0.5 * header - penalty
        if share >= (0.3 if header else 0.6) and score >= 0.5:
            scored.append((score, header, c))
    if not scored:
        return []
    scored.sort(key=lambda s: (-s[0], s[2].position))
    first = scored[0][2]
    named = [c for _, header, c in scored if header and not (_words(c) & _NOT_OWN)]
    if not named:
        return [first]

    def rank(c: Column) -> tuple[int, int]:
        said = _words(c)
        group = 2 if said & _ADDRESS_WORDS else (0 if said & _MOBILE_WORDS else 1)
        return group, c.position

    return sorted(named, key=rank)


def address_header(header: str) -> bool:
    """Whether a header names an address's column (``Default Address Phone``, ``billing_phone``)."""
    return bool(set(header_words(header).split()) & _ADDRESS_WORDS)


def _words(column: Column) -> set[str]:
    return set(header_words(column.name).replace("phone", " phone ").split())


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
            and not any(c.header.get(f, 0.0) >= 0.6 for f in _NOT_AN_ID)
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
        unique = _unique_but(c, id_placeholders(c))
        return c.shapes["code"] >= 0.95 and unique >= least and c.share("email") < 0.5

    # of several id columns, the one every customer has (Square's own id before the
    # merchant's mostly empty Reference ID)
    named = [
        c
        for c in columns
        if c.header.get("externalId", 0.0) >= 0.6
        and _named_most(c, "externalId")
        and idlike(c, 0.9)
    ]
    if named:
        best = max(named, key=lambda c: (c.header["externalId"] + (1 - c.empty), -c.position))
        return best, "header and values"
    for c in columns:
        # without a header to say so: codes with digits (not words), unique over enough rows,
        # and a header that says they are nobody else's (an ``Order #`` is unique when every
        # order is of one item, yet it is the order's number, not the customer's)
        if (
            idlike(c, 0.95)
            and not names_another_thing(c.name)
            and not any(c.header.get(f, 0.0) >= 0.6 for f in _NOT_AN_ID)
            and c.filled >= 10
            and c.empty <= 0.1
            and _with_digits(c) >= 0.9
            and c.shares.get("date", 0.0) < 0.5
        ):
            return c, "values"
    return None


def id_placeholders(column: Column) -> list[str]:
    """Values standing for "no id" in a column of otherwise unique ids: a guest's customer id 0
    (WooCommerce), ``-``, ``n/a``: at most three values, each on several rows."""
    repeated = [v for v, n in column.counts.items() if n >= 3 or (n > 1 and not v.strip("0-_./ ?"))]
    if not repeated or len(repeated) > 3 or column.distinct < 10:
        return []
    return repeated


def _unique_but(column: Column, left_out: list[str]) -> float:
    filled = column.filled - sum(column.counts[v] for v in left_out)
    once = sum(1 for v, n in column.counts.items() if n == 1 and v not in left_out)
    return once / filled if filled > 0 else 0.0


def _with_digits(column: Column) -> float:
    digits = sum(n for v, n in column.counts.items() if any(ch.isdigit() for ch in v))
    return digits / column.filled if column.filled else 0.0
