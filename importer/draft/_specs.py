"""Each matched column as a value spec of the mapping, with the comment that explains the guess.

A spec is a plain dict in the mapping's own keys (``column``, ``as``, ``map``, ...); ``Spec.why``
is the sentence written beside it. Numbers in comments are of the sampled rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from importer.draft._dates import DateGuess
from importer.draft._match import Match
from importer.draft._probe import reads
from importer.draft._profile import Column
from importer.draft._regions import Reading
from importer.draft._vocab import BOOL_WORDS, BOOLEANS, GENDERS, TIER_ORDER, words

#: e-mails typed when the customer had none
_NO_EMAIL = frozenset(
    {"none", "na", "n a", "no", "noemail", "no email", "nomail", "no mail", "null", "nil", "x",
     "xx", "xxx", "test", "dummy", "unknown", "declined", "customer declined", "not available",
     "not given", "noreply", "no reply", "keine", "kein", "aucun", "ninguno"}
)  # fmt: skip


@dataclass
class Spec:
    """A value spec and the comment explaining it (``todo``: what the user must decide)."""

    value: dict[str, Any]
    why: str
    todo: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def pct(share: float) -> str:
    """A share as a whole percentage that never rounds a few to 0% or nearly all to 100%."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{share:.0%}"


def show(value: str, limit: int = 30) -> str:
    """A value as a comment quotes it: in quotes, cut when long."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return '"' + value.replace('"', '\\"') + '"'


def examples(values: list[str], limit: int = 3) -> str:
    return ", ".join(show(v, 30) for v in values[:limit])


def shorthand(spec: dict[str, Any]) -> Any:
    """A spec with a column only is written as the bare column name."""
    return spec["column"] if set(spec) == {"column"} else spec


def _bad(optional: bool = True) -> str:
    return "left out (the row is still sent)" if optional else "rejected"


def _drop(spec: dict[str, Any]) -> dict[str, Any]:
    spec["on_invalid"] = "drop"
    return spec


def _empty(column: Column) -> str:
    return f"; {pct(column.empty)} of the rows are empty" if column.empty else ""


# -- phone ---------------------------------------------------------------------------------


def mobile(m: Match, drop: bool) -> Spec:
    """The mobile's spec: its one column, or the first non-empty of several (``first_of``),
    each read in its own way (``drop``: an invalid number is left out, the row still sent)."""
    readings = m.readings
    specs = [r.spec() for r in readings]
    whys = [_reading(r) for r in readings]
    todo = [t for t in (_todo(r) for r in readings) if t]
    if drop:
        for spec in specs:
            spec["on_invalid"] = "drop"
    if len(specs) == 1:
        return Spec(specs[0], whys[0], "; ".join(todo))
    why = (
        f"The first of {len(specs)} phone columns that is filled: the customer's own number "
        "first, then the address's. " + " ".join(whys)
    )
    if drop:
        why += " A number that is not valid is left out and the next column tried."
    return Spec({"first_of": specs}, why, "; ".join(todo))


def _reading(r: Reading) -> str:
    c = r.column
    said = f"{c.name}: {pct(r.share)} of {c.filled:,} values are valid mobiles "
    if r.mode == "row":
        said += f"read in the row's country ({r.country.name if r.country else '?'})"
        if r.evidence:
            said += f", {r.evidence}"
        if r.spellings:
            shown = ", ".join(f"{k} = {v}" for k, v in sorted(r.spellings.items())[:8])
            said += f", with the spellings the region needs told ({shown})"
    elif r.mode == "international":
        said += "read as international numbers (they carry their country code)"
    elif r.mode == "region":
        said += f"read as {r.region}'s numbers: {r.evidence}"
    else:
        said += "with + or 00 (read as written); no region is given to the others: " + r.evidence
    return said + _invalid(r) + _empty(c) + "."


def _todo(r: Reading) -> str:
    if r.mode != "none" or not r.unregioned:
        return ""
    return (
        f"{r.unregioned:,} values of {r.column.name} are national numbers and nothing in the file "
        "says which country's: they are rejected unknown_region (or left out); if they are all "
        "one country's, give that country's ISO code as their region"
    )


def _invalid(guess: Reading) -> str:
    if guess.share >= 1:
        return ""
    said = f"; {pct(1 - guess.share)} are not"
    return said + (f" (e.g. {examples(guess.invalid)})" if guess.invalid else "")


# -- e-mail --------------------------------------------------------------------------------


def placeholders(column: Column) -> list[str]:
    """Values typed when there was no e-mail: words such as none or n/a, none@none.com, and
    any address shared by three or more rows of a column of otherwise unique addresses."""
    found = []
    for value, count in column.counts.items():
        local = words(value.partition("@")[0])
        typed = words(value) in _NO_EMAIL or local in _NO_EMAIL or not value.strip("-_.?")
        shared = count >= 3 and column.unique >= 0.8
        if typed or shared:
            found.append(value)
    return found[:12]


def e_mail(m: Match) -> tuple[Spec, bool]:
    """The e-mail's spec, and whether it is clean enough to be an identifier."""
    c = m.column
    none = placeholders(c)
    rest = {v: n for v, n in c.counts.items() if v not in none}
    total = sum(rest.values())
    valid = {v: n for v, n in rest.items() if _is_email(v)}
    share = sum(valid.values()) / total if total else 0.0
    repeated = sum(n - 1 for n in valid.values() if n > 1)
    # nearly all valid and unique: the customer's e-mail identifier; its few bad values are left
    # out (the row is still sent when it has another identifier) rather than reject the row
    least = 0.97
    identifier = share >= least and repeated <= 0.01 * max(total, 1)
    spec: dict[str, Any] = {"column": c.name}
    why = f"{c.name}: {pct(share)} of {total:,} values are valid e-mails"
    if none:
        spec["map"] = dict.fromkeys(none, "")
        typed = sum(c.counts[v] for v in none)
        why += f" ({typed:,} placeholders such as {examples(none)} are sent as none)"
    if share < 1:
        bad = [v for v in rest if v not in valid]
        why += f"; the others are {_bad()} (e.g. {examples(bad)})"
        _drop(spec)
    why += _empty(c)
    if identifier:
        why += "; unique, so an identifier too"
    else:
        why += "; not an identifier: "
        why += "some are not e-mails" if share < least else "the same address is on several rows"
        _drop(spec)
    return Spec(spec, why + "."), identifier


def email_share(m: Match) -> float:
    """Share of the e-mail column's values (placeholders left out) that are valid addresses."""
    none = set(placeholders(m.column))
    rest = {v: n for v, n in m.column.counts.items() if v not in none}
    total = sum(rest.values())
    return sum(n for v, n in rest.items() if _is_email(v)) / total if total else 0.0


def _is_email(value: str) -> bool:
    return reads("{column: v, as: email}", value)


# -- dates ---------------------------------------------------------------------------------

_READABLE = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%b": "Mon", "%B": "Month", "%H": "hh",
             "%M": "mm", "%S": "ss"}  # fmt: skip


def readable(fmt: str) -> str:
    """``%d/%m/%Y`` -> ``dd/mm/yyyy``."""
    return re.sub(r"%.", lambda m: _READABLE.get(m.group(0), m.group(0)), fmt)


def date(m: Match, *, kind: str = "date", optional: bool = True) -> Spec:
    c = m.column
    guess = c.dates
    assert guess is not None
    spec: dict[str, Any] = {"column": c.name, "as": kind, "formats": guess.formats}
    shown = " or ".join(readable(f) for f in guess.formats)
    why = f"{c.name}: {pct(guess.share)} of {c.filled:,} values are dates in {shown}"
    todo = _order(guess)
    if guess.placeholders:
        spec["map"] = dict.fromkeys(guess.placeholders, "")
        why += f" ({examples(guess.placeholders)} before 1901: placeholders, sent as none)"
    if guess.share < 1:
        why += f"; the others are {_bad(optional)} (e.g. {examples(guess.unread)})"
    if kind == "date":
        spec["output"] = "%d-%m-%Y"
        why += "; sent as dd-mm-yyyy, the vendor's example for dateofbirth"
    if optional:
        _drop(spec)
    return Spec(spec, why + _empty(c) + ".", todo)


def _order(guess: DateGuess) -> str:
    if guess.day_first is None:
        return ""
    mine, theirs = ("dd/mm", "mm/dd") if guess.day_first else ("mm/dd", "dd/mm")
    if guess.decided:
        if guess.against:
            return f"{guess.against:,} values read only as {theirs} and are rejected: check them"
        return ""
    return (
        f"no value decides between dd/mm and mm/dd (no day above 12): {mine} is the file's "
        "other date columns' order, or the more common one; confirm"
    )


def readable_order(guess: DateGuess) -> str:
    if guess.day_first is None or guess.decided:
        return ""
    return " (no value decides dd/mm against mm/dd)"


# -- value maps ----------------------------------------------------------------------------


def _key(value: str) -> str:
    """A cell as a value map matches it: trimmed (inner spaces collapsed), without case."""
    return " ".join(value.split()).casefold()


def gender(m: Match) -> Spec:
    c = m.column
    table: dict[str, str] = {}
    unknown = []
    for value in c.counts:
        if words(value) in GENDERS:
            table.setdefault(_key(value), GENDERS[words(value)])
        else:
            unknown.append(value)
    groups: dict[str, list[str]] = {}
    for spelling, api in table.items():
        groups.setdefault(api or "none", []).append(spelling)
    said = "; ".join(f"{', '.join(v)} -> {k}" for k, v in groups.items())
    why = f"{c.name}: spellings to the API's values: {said}"
    if unknown:
        # seen in the file and no gender: written out, so the user sees what is not sent
        table.update({_key(v): "" for v in unknown})
        why += f"; {examples(unknown)} are no gender and sent as none"
    why += f"; any other value is {_bad()}"
    spec = _drop({"column": c.name, "map": table, "strict": True})
    return Spec(spec, why + _empty(c) + ".")


def tier(m: Match) -> Spec:
    c = m.column
    if c.share("int") >= 0.99:
        numbers = Counter({int(float(v.replace(",", ""))): n for v, n in c.counts.items()})
        seen = ", ".join(f"{t} ({n:,})" for t, n in sorted(numbers.items()))
        spec = _drop({"column": c.name, "as": "int", "min": 1})
        todo = "add max: the program's highest tier number, to check every row before sending"
        return Spec(spec, f"{c.name}: tier numbers, with the rows of each: {seen}.", todo)
    names: dict[str, int] = {}
    for value, count in c.counts.items():
        names[_key(value)] = names.get(_key(value), 0) + count
    known = sorted(
        (n for n in names if words(n) in TIER_ORDER), key=lambda n: TIER_ORDER.index(words(n))
    )
    unknown = [n for n in names if n not in known]
    order = known + unknown
    table = {n: str(i) for i, n in enumerate(order, 1)}
    spec = _drop({"column": c.name, "map": table, "strict": True, "as": "int"})
    said = ", ".join(f"{n} = {i}" for n, i in table.items())
    todo = (
        f"tier names in the order assumed, lowest first: {said}; confirm against the program's "
        "tier numbers"
    )
    if unknown:
        todo += f" ({', '.join(unknown)}: order unknown)"
    return Spec(spec, f"{c.name}: {len(order)} tier names.", todo)


def points(m: Match) -> Spec:
    c = m.column
    decimal_comma = sum(n for v, n in c.counts.items() if re.fullmatch(r"-?\d+,\d{1,2}", v))
    spec: dict[str, Any] = {"column": c.name, "as": "number", "default": "0"}
    why = f"{c.name}: {pct(c.shapes['number'])} of {c.filled:,} values are numbers"
    spec["decimal"] = "," if decimal_comma > c.filled / 2 else "."
    why += f" with the decimal mark {spec['decimal']!r}"
    return Spec(_drop(spec), why + "; empty cells are 0.")


def booleans(c: Column) -> tuple[dict[str, Any], str]:
    """A yes/no column as ``as: bool``, with a map for the spellings ``as: bool`` lacks; other
    values seen in the file are written out as not given (consent is never guessed)."""
    table: dict[str, str] = {}
    seen, other = [], []
    for value in c.counts:
        if _key(value) in BOOL_WORDS:
            seen.append(value)
        elif words(value) in BOOLEANS:
            seen.append(value)
            table[_key(value)] = BOOLEANS[words(value)]
        else:
            other.append(value)
            table[_key(value)] = ""
    spec: dict[str, Any] = {"column": c.name}
    if table:
        spec["map"] = table
    spec["as"] = "bool"
    why = (
        f"{c.name}: {pct(c.share('bool'))} of {c.filled:,} values are yes/no ({examples(seen, 6)})"
    )
    if other:
        why += f"; {examples(other)} are not and are sent as not given"
    return spec, why
