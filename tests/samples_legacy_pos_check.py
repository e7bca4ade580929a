"""The oracle for samples/legacy_pos.csv: what each row's mobile and name must become.

A helper module for tests (it holds no test): it computes, straight from a CSV row and with
``phonenumbers`` and ``pycountry`` only, what the importer is expected to make of the row. It
does not import ``importer`` on purpose: the tests compare the importer's answers with these.

Rules for the mobile (``mobile_outcome``), in this order:

- an empty cell: ``missing_identifier`` (the mapping requires a mobile);
- a number Excel wrote in scientific notation: ``lost_digits`` when digits were lost
  (``9.19988E+11``), else its digits are read on (``9.19988221100E+11``), as README.md says;
- the Country cell is resolved to an ISO alpha-2 code: alpha-2, alpha-3 or English name in any
  case, plus the common names in ``COUNTRY_ALIASES`` ("UK", "USA", "UAE"); anything else, the
  empty cell included, resolves to no region;
- a number written with ``+`` or ``00`` carries its own country: valid -> ``ok`` with its
  E.164 digits (no ``+``), flagged ``country_mismatch`` when that country is not the row's and
  ``unknown_region`` when the row has none; invalid -> ``invalid_mobile``;
- any other number needs the row's region: without one, ``unknown_region``;
- it is read as a national number of the row's region: valid -> ``ok`` (flagged
  ``country_mismatch`` when it belongs to another region of the same calling code, such as a
  Canadian number on a US row);
- else its digits are read as an international number whose ``+`` was lost: valid in the row's
  own country -> ``ok``; valid only as another country's number -> ``ambiguous_mobile``;
- anything else: ``invalid_mobile``.

An extension (``x087``, ``ext. 12``) is dropped, the number kept and flagged ``phone_extension``.
Results look like ``("ok", "919988221100", ("phone_extension",))`` or
``("invalid_mobile", None, ())``; flags are sorted.

A trap these rules keep, on purpose (``double_reading`` finds its rows): bare digits that begin
with the row's own country code and are valid both as a national number and as the
international one are read as national. ``62876155396`` on an Indonesian row is the mobile
+62 876-155-396 with its + lost, but it is also a valid Indonesian landline (0628) 76155396,
so the rules give ``6262876155396``.

A second one (``plus_lost_reading``, issue 17 item 7): bare digits read as a national number
that are also another country's number with the + lost, when the national reading lost a trunk
prefix. ``17286986455`` on a German row is the mobile 0172 8698 6455 with its 0 lost, or the US
+1 728-698-6455 whose + Excel lost: nothing in the cell says which, so the importer names both
instead of choosing. Digits in the national number's usual form lost nothing: ``17186540467`` on
a Chinese row is China's 171 8654 0467, as China writes it. In a mobile identifier only a reading
that can be a mobile counts: ``9552291836`` on an Indian row is India's mobile, since
+95 52 291836 is a landline of Myanmar.

Names (``forbidden_name_tokens``, ``name_problems``): titles (Mr, Dr., Herr, Shri, Bpk., Sheikh,
...) are never a first or last name, and neither are degrees and suffixes (Jr, III, PhD, MBA,
S.Sos, ...). Tokens are compared without case and without trailing dots or commas.

``python tests/samples_legacy_pos_check.py [CSV]`` prints the outcomes per country.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import phonenumbers
import pycountry

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "legacy_pos.csv"

#: common names pycountry does not know (it knows alpha-2, alpha-3 and English names)
COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "america": "US",
    "uae": "AE",
    "u.a.e.": "AE",
}

#: outcomes of a row's mobile
OK = "ok"
MISSING = "missing_identifier"
LOST_DIGITS = "lost_digits"
INVALID = "invalid_mobile"
AMBIGUOUS = "ambiguous_mobile"
UNKNOWN_REGION = "unknown_region"

_SCIENTIFIC = re.compile(r"(?i)^(\d+)(?:\.(\d+))?e\+(\d+)$")
_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extn\.?|extension|#)\s*\d+\s*$")


def resolve_country(cell: str | None) -> str | None:
    """The ISO alpha-2 code a Country cell names, or None (empty or unknown)."""
    text = (cell or "").strip()
    if not text:
        return None
    alias = COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    if text.isdigit():  # pycountry would take ISO numeric codes; a till never writes those
        return None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _digits(number: phonenumbers.PhoneNumber) -> str:
    return f"{number.country_code}{number.national_number}"


def _flags(*flags: str | None) -> tuple[str, ...]:
    return tuple(sorted(f for f in flags if f))


def mobile_outcome(row: Mapping[str, str]) -> tuple[str, str | None, tuple[str, ...]]:
    """(outcome, E.164 digits without '+' or None, flags) for the row's Mobile cell."""
    text = (row.get("Mobile") or "").strip()
    if not text:
        return MISSING, None, ()
    scientific = _SCIENTIFIC.match(text)
    if scientific:
        whole, fraction, exponent = scientific.groups(default="")
        if len(fraction) < int(exponent):  # Excel kept 6 digits of 12
            return LOST_DIGITS, None, ()
        if len(fraction) > int(exponent):  # no whole number
            return INVALID, None, ()
        text = whole + fraction
    region = resolve_country(row.get("Country"))
    lead = text.lstrip("( \t")

    if lead.startswith(("+", "00")):
        written = "+" + lead[2:] if lead.startswith("00") else lead
        number = _parse(written, None)
        if number is None:
            return INVALID, None, ()
        own = phonenumbers.region_code_for_number(number)
        return (
            OK,
            _digits(number),
            _flags(
                "phone_extension" if number.extension else None,
                "country_mismatch" if region and own != region else None,
                UNKNOWN_REGION if region is None else None,
            ),
        )

    if region is None:
        return UNKNOWN_REGION, None, ()

    number = _parse(text, region)
    if number is not None:
        own = phonenumbers.region_code_for_number(number)
        return (
            OK,
            _digits(number),
            _flags(
                "phone_extension" if number.extension else None,
                "country_mismatch" if own != region else None,
            ),
        )

    core = _EXTENSION.sub("", text)
    digits = re.sub(r"\D", "", core)
    if not digits or re.search(r"[A-Za-z]", core):
        return INVALID, None, ()
    number = _parse("+" + digits, None)
    if number is None:
        return INVALID, None, ()
    if phonenumbers.region_code_for_number(number) == region:
        extension = "phone_extension" if core != text else None
        return OK, _digits(number), _flags(extension)
    return AMBIGUOUS, None, ()


def double_reading(row: Mapping[str, str]) -> str | None:
    """The other digits of a row read as national although it is also its country's number
    with the + lost (see the module's docstring); None for every other row."""
    outcome, digits, _ = mobile_outcome(row)
    region = resolve_country(row.get("Country"))
    text = (row.get("Mobile") or "").strip()
    if outcome != OK or region is None or not text.isdigit():
        return None
    number = _parse("+" + text, None)
    if number is None or phonenumbers.region_code_for_number(number) != region:
        return None
    other = _digits(number)
    return other if other != digits else None


#: number types a mobile, or a number that may be one, has
_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def _usual_form(number: phonenumbers.PhoneNumber) -> bool:
    """Its country writes it nationally without a trunk prefix (China's, the US's mobiles)."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    nsn = phonenumbers.national_significant_number(number)
    return "".join(c for c in national if c.isdigit()) == nsn


def plus_lost_reading(row: Mapping[str, str]) -> str | None:
    """The digits of another country's number that a row read as national also is with its +
    lost (see the module's docstring), when that reading could be meant in a mobile identifier:
    a mobile, or anything when the national reading is no mobile either; None otherwise."""
    outcome, digits, _ = mobile_outcome(row)
    region = resolve_country(row.get("Country"))
    text = (row.get("Mobile") or "").strip()
    if outcome != OK or region is None or not text.isdigit() or text.startswith("0"):
        return None
    number = _parse("+" + text, None)
    if number is None or phonenumbers.region_code_for_number(number) == region:
        return None
    national = _parse("+" + str(digits), None)
    national_is_mobile = phonenumbers.number_type(national) in _MOBILE_TYPES
    if national_is_mobile and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    if national_is_mobile and _usual_form(national):
        return None  # written as its country writes it (China's 171 …): no trunk 0 was lost
    other = _digits(number)
    return other if other != digits else None


# --- names -------------------------------------------------------------------------------

#: honorifics and titles, written as compared (lower case, no trailing dot)
TITLES = frozenset(
    {
        # English
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev",
        # German
        "herr", "frau", "dipl.-ing",
        # French
        "m", "mme", "mlle",
        # Spanish, Portuguese
        "sr", "sra", "srta", "dra",
        # India
        "shri", "smt",  # not "Sri": a first name in Indonesia
        # Indonesia
        "bpk", "bapak", "ibu", "drs",
        # Gulf
        "sheikh", "sheikha",
    }
)  # fmt: skip

#: degrees, honours and generational suffixes, written as compared
SUFFIXES = frozenset(
    {
        "jr", "sr", "ii", "iii", "iv",
        # not "Ma", a surname
        "phd", "ph.d", "md", "dds", "esq", "mba", "msc", "bsc", "m.sc", "b.sc",
        "obe", "mbe", "cpa",
        # Indonesian degrees
        "s.sos", "s.kom", "s.e", "s.h", "s.pd", "s.t", "m.m", "s.i.kom",
    }
)  # fmt: skip


def name_token(token: str) -> str:
    """A token as compared with TITLES and SUFFIXES: lower case, no trailing dots or commas."""
    return token.strip().strip(",").rstrip(".").lower()


def never_first_or_last() -> frozenset[str]:
    """Every token (as ``name_token`` writes it) that must never be a first or last name."""
    return TITLES | SUFFIXES


def forbidden_name_tokens(full_name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The tokens of this Full Name that are titles, and those that are degrees or suffixes.

    Tokens are returned as written in the cell (without a trailing comma), so that a test can
    say ``assert body_first_name not in titles``; compare with ``name_token`` to ignore case.
    """
    titles, suffixes = set(), set()
    for raw in full_name.replace(",", " , ").split():
        token = raw.strip(",")
        key = name_token(token)
        if not key:
            continue
        if key in TITLES:
            titles.add(token)
        if key in SUFFIXES:
            suffixes.add(token)
    return frozenset(titles), frozenset(suffixes)


def name_problems(full_name: str, first: str | None, last: str | None) -> list[str]:
    """What is wrong with the first and last name made of ``full_name`` (empty when nothing).

    Neither part may be, or contain as a word, a title or suffix; each word of a part must be
    found in the cell, without case (a name written without spaces, 山田太郎, may be cut anywhere).
    """
    problems = []
    cell = full_name.casefold()
    forbidden = never_first_or_last()
    for label, part in (("first", first), ("last", last)):
        if not part:
            continue
        tokens = [name_token(t) for t in part.split()]
        bad = [t for t in tokens if t in forbidden]
        if bad:
            problems.append(f"{label} name {part!r} holds a title or suffix: {bad}")
        foreign = [t for t in tokens if t and t.casefold() not in cell]
        if foreign:
            problems.append(f"{label} name {part!r} has words not in {full_name!r}: {foreign}")
    return problems


# --- the whole file ----------------------------------------------------------------------


def read_rows(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The sample's rows as dicts (UTF-8 with BOM, ``;``-separated)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def in_file_duplicates(rows: Iterable[Mapping[str, str]]) -> dict[int, int]:
    """Sheet row number -> sheet row number of the earlier row with the same identifier.

    Identifiers are the mobile's digits (of rows whose mobile is ``ok``) and the Customer No;
    a row whose mobile is rejected claims nothing. Sheet rows count the header as row 1.
    """
    seen: dict[tuple[str, str], int] = {}
    duplicates: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        outcome, digits, _ = mobile_outcome(row)
        if outcome != OK:
            continue
        keys = [("mobile", digits or "")]
        customer = (row.get("Customer No") or "").strip()
        if customer:
            keys.append(("externalId", customer))
        earlier = [seen[k] for k in keys if k in seen]
        if earlier:
            duplicates[number] = min(earlier)
            continue
        for key in keys:
            seen[key] = number
    return duplicates


def outcomes_by_country(rows: Iterable[Mapping[str, str]]) -> dict[str, Counter[str]]:
    """Country (alpha-2, or ?'cell' when unresolved) -> Counter of outcomes and of +flags."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        outcome, _, flags = mobile_outcome(row)
        key = resolve_country(row.get("Country")) or f"?{(row.get('Country') or '').strip()!r}"
        table[key][outcome] += 1
        for flag in flags:
            table[key][f"+{flag}"] += 1
    return dict(table)


def _print_summary(path: Path) -> None:
    rows = read_rows(path)
    table = outcomes_by_country(rows)
    columns = [OK, MISSING, LOST_DIGITS, INVALID, AMBIGUOUS, UNKNOWN_REGION]
    flags = sorted({k for c in table.values() for k in c if k.startswith("+")})

    head = ["country", "rows", *columns, *flags]

    def line(cells: list) -> str:
        return " ".join(f"{x:>{max(len(h), 5)}}" for x, h in zip(cells, head, strict=True))

    def counted(label: str, counts: Counter[str]) -> str:
        return line([label, sum(counts[c] for c in columns), *(counts[c] for c in head[2:])])

    print(line(head))
    total: Counter[str] = Counter()
    for country in sorted(table):
        total.update(table[country])
        print(counted(country, table[country]))
    print(counted("total", total))
    total["rows"] = sum(total[c] for c in columns)
    problems = total["rows"] - total[OK]
    print(f"rows not ok: {problems} of {total['rows']} ({problems / total['rows']:.1%})")
    print(f"in-file duplicates (of ok rows): {len(in_file_duplicates(rows))}")
    doubles = [n for n, row in enumerate(rows, start=2) if double_reading(row)]
    print(f"ok rows also readable as their country's number with the + lost: {doubles}")


if __name__ == "__main__":
    _print_summary(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE)
