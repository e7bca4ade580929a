"""Regenerate samples/legacy_pos.csv, deterministically: ``python samples/make_legacy_pos.py``.

A point-of-sale export of a retailer with stores in twelve countries, as the tills wrote it:
UTF-8 with a BOM, ``;``-separated, columns ``Customer No;Full Name;Mobile;Country;E-Mail;DOB;
Sex;Member Since;Points Balance;Tier;Store;Opt-in SMS``. It is messy on purpose and not shaped
to pass: names with titles and degrees, "Last, First", capitals; mobiles in every local way of
writing them (leading 0, spaces, dashes, dots, brackets, extensions, +CC, 00CC, the + lost),
some invalid, empty, or another country's; countries as alpha-2, alpha-3 or names in any case,
a few unknown; junk e-mails, impossible dates, "1,234" points, mixed-case tiers, Y/N/yes/junk
opt-ins; rows repeating an earlier Customer No or mobile. Which rows pass is decided by the
oracle in tests/samples_legacy_pos_check.py, never by this file (``python
tests/samples_legacy_pos_check.py`` prints its verdict per country).

Regenerate with ``python samples/make_legacy_pos.py [OUT.csv]``; it ends by printing what the
file holds: 600 rows in twelve countries (IN 88, US 66, GB 60, DE 54, FR 48, JP 48, ID 48,
AE 44, ES 40, BR 40, CN 32, AU 32, counted by the store's country), with names carrying a title
72 times and a degree or suffix 16 times, 43 "Last, First", 41 in capitals and 27 in lower case;
mobiles empty 11 times, junk 19, as Faker writes the locale's numbers 68 (landlines, extensions,
some invalid), another country's number with its + lost 12 and with +/00 12; 21 countries
unknown or empty; 8 rows repeating an earlier Customer No and 8 an earlier mobile. The output is
byte for byte the same with the Faker version pinned in pyproject.toml (Faker's name lists
change between releases) and the same phonenumbers metadata.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from faker import Faker

HERE = Path(__file__).resolve().parent
OUT = HERE / "legacy_pos.csv"
SEED = 20261129
ROWS = 600
DUPLICATE_CUSTOMER_NOS = 8  # rows re-keyed with an earlier row's Customer No
SHARED_MOBILES = 8  # rows with an earlier row's mobile, written another way

HEADER = [
    "Customer No",
    "Full Name",
    "Mobile",
    "Country",
    "E-Mail",
    "DOB",
    "Sex",
    "Member Since",
    "Points Balance",
    "Tier",
    "Store",
    "Opt-in SMS",
]

NATIONAL = phonenumbers.PhoneNumberFormat.NATIONAL
INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
E164 = phonenumbers.PhoneNumberFormat.E164
PHONE_TYPE = phonenumbers.PhoneNumberType
MOBILE_TYPES = (PHONE_TYPE.MOBILE, PHONE_TYPE.FIXED_LINE_OR_MOBILE)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


@dataclass(frozen=True)
class Country:
    code: str
    locale: str
    rows: int
    cells: tuple[tuple[str, int], ...]  # how the tills wrote the country, with weights
    mobile: Callable[[random.Random], str]  # a candidate national significant number
    styles: tuple[tuple[str, int], ...]  # how the tills wrote a mobile, with weights
    stores: tuple[str, ...]
    titles: tuple[tuple[str, ...], tuple[str, ...]]  # (for men, for women)
    suffixes: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()  # the hard ones: McCoy, O'Brien, van der Berg
    order: str = "western"  # or "eastern": family name first, no space


COUNTRIES = [
    Country(
        "IN", "en_IN", 88,
        (("India", 5), ("IN", 4), ("IND", 2), ("india", 2), ("INDIA", 1)),
        lambda r: r.choice("6789") + _digits(r, 9),
        (("nsn", 8), ("national", 2), ("national_digits", 3), ("bare_intl", 3), ("e164", 2),
         ("intl", 2), ("00", 1)),
        ("BLR-IND-01", "BLR-KOR-02", "BOM-AND-01", "DEL-CP-03", "MAA-TN-01"),
        (("Mr.", "Shri", "Dr."), ("Mrs.", "Smt.", "Smt", "Ms.", "Dr.")),
        ("MBA", "PhD"),
        ("D'Souza", "D'Costa", "Fernandes", "Reddy-Patil"),
    ),
    Country(
        "US", "en_US", 66,
        (("USA", 5), ("US", 4), ("United States", 3), ("usa", 1), ("United States of America", 1)),
        lambda r: r.choice(["212", "310", "415", "646", "702", "512", "305", "617", "740", "206",
                            "312", "404"]) + r.choice("23456789") + _digits(r, 6),
        (("national", 6), ("dashes", 5), ("dots", 2), ("nsn", 2), ("ext", 2), ("e164", 1),
         ("intl", 1)),
        ("NYC-5TH-01", "LAX-SM-02", "SFO-UN-01", "CHI-MAG-04"),
        (("Mr.", "Mr", "Dr."), ("Mrs.", "Ms.", "Ms", "Dr.")),
        ("Jr.", "Jr", "III", "II", "PhD", "MD", "DDS", "Esq."),
        ("McCoy", "O'Brien", "MacDonald", "O'Neill", "DeVito", "St. John"),
    ),
    Country(
        "GB", "en_GB", 60,
        (("United Kingdom", 4), ("UK", 4), ("GB", 3), ("GBR", 2), ("uk", 1), ("united kingdom", 1),
         ("Great Britain", 1)),
        lambda r: "7" + r.choice("45789") + _digits(r, 8),
        (("national", 7), ("national_digits", 4), ("nsn", 2), ("intl", 2), ("e164", 1),
         ("00", 1), ("trunk", 1)),
        ("LON-OXF-03", "LON-KEN-01", "MAN-ARN-02", "EDI-PRI-01"),
        (("Mr", "Mr.", "Dr", "Prof.", "Sir"), ("Mrs", "Ms", "Miss", "Dr", "Dame")),
        ("OBE", "MBE", "PhD", "MBA"),
        ("O'Brien", "McCoy", "MacLeod", "Smith-Jones", "ap Rhys"),
    ),
    Country(
        "DE", "de_DE", 54,
        (("Germany", 4), ("DE", 4), ("DEU", 2), ("germany", 2), ("GERMANY", 1)),
        lambda r: r.choice(["151", "152", "157", "159", "160", "170", "171", "172", "175", "176",
                            "177", "178", "179"]) + _digits(r, r.choice([7, 8])),
        (("national", 6), ("national_digits", 4), ("slash", 2), ("intl", 3), ("e164", 1),
         ("00", 2), ("trunk", 1)),
        ("BER-KDW-01", "MUC-MAR-02", "HAM-JUN-01", "FRA-ZEI-03"),
        (("Herr", "Dr.", "Prof. Dr.", "Dipl.-Ing."), ("Frau", "Dr.", "Prof.")),
        ("MBA", "M.Sc.", "B.Sc."),
        ("van der Berg", "von Bülow", "zu Guttenberg", "Müller-Lüdenscheidt", "van den Broek"),
    ),
    Country(
        "FR", "fr_FR", 48,
        (("France", 5), ("FR", 4), ("FRA", 2), ("france", 1)),
        lambda r: r.choice("67") + _digits(r, 8),
        (("national", 8), ("national_digits", 3), ("dots", 2), ("intl", 2), ("e164", 1),
         ("00", 1), ("trunk", 1)),
        ("PAR-HAU-01", "PAR-RIV-02", "LYS-BEL-01", "MRS-VPO-01"),
        (("M.", "Dr"), ("Mme", "Mme.", "Mlle", "Dr")),
        (),
        ("de la Fontaine", "Le Goff", "d'Artagnan", "de Saint-Exupéry"),
    ),
    Country(
        "JP", "ja_JP", 48,
        (("Japan", 5), ("JP", 4), ("JPN", 2), ("japan", 1)),
        lambda r: r.choice(["70", "80", "90"]) + _digits(r, 8),
        (("national", 9), ("national_digits", 4), ("intl", 1), ("e164", 1)),
        ("TYO-GIN-01", "TYO-SHB-02", "OSA-UMD-01"),
        ((), ()),
        order="eastern",
    ),
    Country(
        "ID", "id_ID", 48,
        (("Indonesia", 5), ("ID", 4), ("IDN", 2), ("INDONESIA", 1)),
        lambda r: "8" + r.choice("12345789") + _digits(r, r.choice([7, 8, 9])),
        (("national", 5), ("national_digits", 5), ("bare_intl", 2), ("intl", 2), ("e164", 1)),
        ("JKT-GI-01", "JKT-PIM-02", "SUB-TP-01", "DPS-KUTA-01"),
        (("Bpk.", "Bapak", "Dr."), ("Ibu", "Ibu", "Dr.")),
        ("S.Sos", "S.Kom", "S.E.", "S.H.", "M.M.", "S.Pd"),
    ),
    Country(
        "AE", "ar_AE", 44,
        (("United Arab Emirates", 4), ("UAE", 5), ("AE", 3), ("ARE", 2), ("uae", 1)),
        lambda r: "5" + r.choice("024568") + _digits(r, 7),
        (("national", 4), ("national_digits", 4), ("bare_intl", 4), ("intl", 3), ("e164", 2),
         ("00", 3)),
        ("DXB-MOE-01", "DXB-DM-02", "AUH-YAS-01", "SHJ-CC-01"),
        (("Mr.", "Sheikh"), ("Mrs.", "Ms.", "Sheikha")),
    ),
    Country(
        "ES", "es_ES", 40,
        (("Spain", 5), ("ES", 4), ("ESP", 2), ("spain", 1)),
        lambda r: r.choice("67") + _digits(r, 8),
        (("national", 6), ("nsn", 3), ("intl", 3), ("e164", 1), ("00", 2)),
        ("MAD-SOL-01", "MAD-SAL-02", "BCN-PDG-01", "VLC-COL-01"),
        (("Sr.", "Dr."), ("Sra.", "Srta.", "Dra.")),
        (),
        ("de la Cruz", "del Río", "García-Lorca"),
    ),
    Country(
        "BR", "pt_BR", 40,
        (("Brazil", 5), ("BR", 4), ("BRA", 2), ("brazil", 1)),
        lambda r: r.choice(["11", "21", "31", "41", "51", "61", "71", "81", "85", "92"]) + "9"
        + _digits(r, 8),
        (("national", 7), ("national_digits", 3), ("intl", 3), ("e164", 1), ("00", 1)),
        ("SAO-PAU-01", "SAO-JK-02", "RIO-BAR-01", "BSB-PAT-01"),
        (("Sr.", "Dr."), ("Sra.", "Dra.")),
        (),
        ("da Silva", "dos Santos", "de Oliveira"),
    ),
    Country(
        "CN", "zh_CN", 32,
        (("China", 5), ("CN", 4), ("CHN", 2), ("china", 1)),
        lambda r: "1" + r.choice("3456789") + _digits(r, 9),
        (("nsn", 8), ("national", 3), ("intl", 1), ("e164", 1), ("00", 1)),
        ("SHA-NJR-01", "PEK-WFJ-01", "SZX-COC-01"),
        ((), ()),
        order="eastern",
    ),
    Country(
        "AU", "en_AU", 32,
        (("Australia", 5), ("AU", 4), ("AUS", 2), ("australia", 1)),
        lambda r: "4" + _digits(r, 8),
        (("national", 6), ("national_digits", 4), ("nsn", 1), ("intl", 2), ("e164", 1),
         ("00", 1)),
        ("SYD-PIT-01", "MEL-COL-02", "BNE-QM-01"),
        (("Mr", "Dr"), ("Mrs", "Ms", "Dr")),
        ("Jr", "PhD"),
        ("O'Connor", "McCoy", "van der Berg"),
    ),
]  # fmt: skip

COUNTRY_JUNK = ["Narnia", "", "", "N/A", "-", "Europe", "XX", "Middle East", "Asia"]

#: names for the Gulf stores (Faker has no UAE name provider); expatriates included
AE_FIRST = (
    ["Mohammed", "Ahmed", "Khalid", "Omar", "Saeed", "Rashid", "Hamdan", "Yousef", "Abdullah",
     "Ali", "Rahul", "Joseph", "Imran", "Faisal", "Sultan"],
    ["Fatima", "Mariam", "Aisha", "Noora", "Shamma", "Hessa", "Layla", "Priya", "Maria", "Sara",
     "Amna", "Reem"],
)  # fmt: skip
AE_LAST = ["Al Maktoum", "Al Nahyan", "Al Mansoori", "Al Hashimi", "Al Suwaidi", "Al Falasi",
           "Al Ketbi", "Al Zaabi", "Khan", "D'Souza", "Fernandes", "Nair", "Al-Qassimi",
           "Abdulla", "Haddad"]  # fmt: skip

EMAIL_JUNK = ["none", "n/a", "none@none.com", "noemail@store.com", "-", "x", "no email",
              "@", "na@na", "customer declined"]  # fmt: skip
IMPOSSIBLE_DATES = ["31/02/1990", "30/02/1985", "31/04/1977", "29/02/1991", "00/00/0000",
                    "31/06/1982", "15/13/1975", "32/01/1969"]  # fmt: skip
SEX = [("M", 30), ("F", 30), ("Male", 8), ("Female", 8), ("m", 3), ("f", 3), ("U", 4), ("", 12),
       ("MALE", 1), ("FEMALE", 1)]  # fmt: skip
OPT_IN = [("Y", 34), ("N", 24), ("yes", 8), ("no", 7), ("", 15), ("YES", 3), ("No", 2), ("1", 1),
          ("0", 1), ("?", 2), ("x", 1), ("Yes please", 1), ("TBC", 1)]  # fmt: skip
TIERS = [("Silver", 48), ("Gold", 24), ("Platinum", 8), ("", 14), ("Bronze", 2), ("VIP", 1),
         ("Gold ", 3)]  # fmt: skip


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...] | list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Row:
    country: Country
    cells: dict[str, str]
    number: phonenumbers.PhoneNumber | None = None  # the valid mobile behind the cell, if any
    planted: list[str] = field(default_factory=list)  # what was made messy, for the summary


# --- mobiles --------------------------------------------------------------------------------


def valid_mobile(rng: random.Random, country: Country) -> phonenumbers.PhoneNumber:
    """A valid mobile of the country (and of that very region: +44 7911 is Guernsey's)."""
    while True:
        number = phonenumbers.parse(country.mobile(rng), country.code)
        if (
            phonenumbers.is_valid_number(number)
            and phonenumbers.number_type(number) in MOBILE_TYPES
            and phonenumbers.region_code_for_number(number) == country.code
        ):
            return number


def write_mobile(rng: random.Random, number: phonenumbers.PhoneNumber, style: str) -> str:
    """The number as a till would have written it."""
    national = phonenumbers.format_number(number, NATIONAL)
    intl = phonenumbers.format_number(number, INTERNATIONAL)
    e164 = phonenumbers.format_number(number, E164)
    nsn = str(number.national_number)
    if style == "national":
        return national
    if style == "national_digits":
        return re.sub(r"\D", "", national)
    if style == "nsn":  # what is left once Excel ate the leading 0
        return nsn
    if style == "dashes":
        return re.sub(r"[\s()]+", "-", national).strip("-")
    if style == "dots":
        return re.sub(r"[\s()-]+", ".", national).strip(".")
    if style == "slash":  # German: 0151/23456789
        digits = re.sub(r"\D", "", national)
        return f"{digits[:4]}/{digits[4:]}"
    if style == "ext":
        ext = _digits(rng, rng.choice([2, 3, 4]))
        dashed = re.sub(r"[\s()]+", "-", national).strip("-")
        return rng.choice([f"{dashed}x{ext}", f"{national} ext. {ext}", f"{national} x{ext}"])
    if style == "intl":
        return intl
    if style == "e164":
        return e164
    if style == "00":
        return "00" + intl[1:]
    if style == "bare_intl":  # the + lost somewhere between the till and the export
        return e164[1:]
    if style == "trunk":  # +44 (0)7911 123456
        cc = str(number.country_code)
        return f"+{cc} (0){nsn[:4]} {nsn[4:]}"
    raise ValueError(style)


def junk_mobile(rng: random.Random, number: phonenumbers.PhoneNumber) -> str:
    national = re.sub(r"\D", "", phonenumbers.format_number(number, NATIONAL))
    return rng.choice(
        [
            national[:-3],  # cut short
            national[:5] + " " + national[5:-4],
            national + _digits(rng, 2),  # two digits too many
            "0000000000",
            "1234567890",
            "N/A",
            "na",
            "-",
            "see e-mail",
            "123",
            "9.19988E+11",  # through Excel
        ]
    )


def foreign_bare_digits(rng: random.Random, home: Country, others: list[Country]) -> str:
    """Another country's mobile with its + lost, which is no valid number at home."""
    while True:
        other = rng.choice([c for c in others if c.code != home.code])
        digits = phonenumbers.format_number(valid_mobile(rng, other), E164)[1:]
        try:
            at_home = phonenumbers.parse(digits, home.code)
        except phonenumbers.NumberParseException:
            return digits
        if not phonenumbers.is_valid_number(at_home):
            return digits


# --- names ----------------------------------------------------------------------------------


def name_parts(fake: Faker, country: Country, male: bool, rng: random.Random) -> tuple[str, str]:
    if country.code == "AE":
        return rng.choice(AE_FIRST[0 if male else 1]), rng.choice(AE_LAST)
    if country.order == "eastern" and country.code == "JP" and rng.random() < 0.15:
        first = fake.first_romanized_name_male() if male else fake.first_romanized_name_female()
        return first, fake.last_romanized_name()
    first = fake.first_name_male() if male else fake.first_name_female()
    last = fake.last_name()
    if country.surnames and rng.random() < 0.10:
        last = rng.choice(country.surnames)
    return first, last


def full_name(fake: Faker, country: Country, male: bool, rng: random.Random) -> tuple[str, list]:
    first, last = name_parts(fake, country, male, rng)
    planted = []
    if country.code == "ID" and rng.random() < 0.08:  # many Indonesians have one name only
        last = ""
        planted.append("one-word name")
    romanized = first.isascii()
    if country.order == "eastern" and not romanized:
        name = last + rng.choice(["", "", "", " ", "\u3000"]) + first
    elif country.order == "eastern":
        name = f"{last} {first}" if rng.random() < 0.5 else f"{first} {last}"
    elif last and rng.random() < 0.08:
        name = f"{last}, {first}"
        planted.append("Last, First")
    else:
        name = f"{first} {last}".strip()
    titles = country.titles[0 if male else 1]
    if titles and rng.random() < 0.16:
        title = rng.choice(titles)
        if title.startswith("Sheikh") and not last.startswith("Al"):
            title = titles[0]  # the title goes with the ruling families' names
        name = f"{title} {name}"
        planted.append("title")
    if country.suffixes and rng.random() < 0.07:
        suffix = rng.choice(country.suffixes)
        sep = ", " if country.code == "ID" or rng.random() < 0.2 else " "
        name = f"{name}{sep}{suffix}"
        planted.append("suffix")
    roll = rng.random()
    if roll < 0.07:
        name = name.upper()
        planted.append("ALL CAPS")
    elif roll < 0.11:
        name = name.lower()
        planted.append("lower case")
    elif roll < 0.14:
        name = f" {name.replace(' ', '  ', 1)} "
        planted.append("stray spaces")
    return name, planted


# --- the other columns ----------------------------------------------------------------------


def email(fake: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return ""
    if roll < 0.16:
        return rng.choice(EMAIL_JUNK)
    address = fake.free_email() if rng.random() < 0.6 else fake.email()
    roll = rng.random()
    if roll < 0.05:
        return address.upper()
    if roll < 0.08:
        return address.replace("@", "@@")
    if roll < 0.10:
        return address.rsplit(".", 1)[0]  # no top-level domain
    if roll < 0.12:
        return address.replace("@", " @ ")
    return address


def date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def dob(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.10:
        return ""
    if roll < 0.125:
        return rng.choice(IMPOSSIBLE_DATES)
    if roll < 0.135:
        return "01/01/1900"  # the till's placeholder
    day = date_between(rng, dt.date(1940, 1, 1), dt.date(2007, 12, 31))
    if rng.random() < 0.06:
        return f"{day.day}/{day.month}/{day.year}"
    return day.strftime("%d/%m/%Y")


def points(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return ""
    if roll < 0.12:
        return f"-{rng.randrange(1, 2000):,}"  # returns after the points were spent
    if roll < 0.15:
        return f"{rng.randrange(1, 900)}.{rng.choice(['5', '25', '75', '50'])}"
    if roll < 0.18:
        return "0"
    value = min(int(rng.paretovariate(1.2) * 150), 250_000)
    return f"{value:,}" if rng.random() < 0.8 else str(value)


def tier(rng: random.Random) -> str:
    name = pick(rng, TIERS)
    roll = rng.random()
    if roll < 0.12:
        return name.upper()
    if roll < 0.20:
        return name.lower()
    return name


# --- the file -------------------------------------------------------------------------------


def make_row(country: Country, fake: Faker, rng: random.Random) -> Row:
    male = rng.random() < 0.5
    name, planted = full_name(fake, country, male, rng)
    row = Row(country, {}, planted=planted)

    country_cell = pick(rng, country.cells)
    if rng.random() < 0.03:
        country_cell = rng.choice(COUNTRY_JUNK)
        row.planted.append("country unknown")
    elif rng.random() < 0.03:
        country_cell = f" {country_cell} "

    number = valid_mobile(rng, country)
    roll = rng.random()
    if roll < 0.02:
        mobile = ""
        row.planted.append("mobile empty")
    elif roll < 0.05:
        mobile = junk_mobile(rng, number)
        row.planted.append("mobile junk")
    elif roll < 0.14:
        mobile = fake.phone_number()  # whatever Faker writes for the locale: landlines, junk
        row.planted.append("mobile as Faker writes it")
    elif roll < 0.16:
        mobile = foreign_bare_digits(rng, country, COUNTRIES)
        row.planted.append("another country's number, + lost")
    elif roll < 0.18:
        other = rng.choice([c for c in COUNTRIES if c.code != country.code])
        mobile = write_mobile(rng, valid_mobile(rng, other), rng.choice(["intl", "e164", "00"]))
        row.planted.append("another country's number, with +/00")
    else:
        mobile = write_mobile(rng, number, pick(rng, country.styles))
        row.number = number
    if mobile and rng.random() < 0.03:
        mobile = f" {mobile} "

    sex = pick(rng, SEX)
    if sex[:1].upper() in ("M", "F") and (sex[:1].upper() == "M") != male:
        sex = "M" if male else "F"  # the sex cell agrees with the name
    row.cells = {
        "Customer No": "",
        "Full Name": name,
        "Mobile": mobile,
        "Country": country_cell,
        "E-Mail": email(fake, rng),
        "DOB": dob(rng),
        "Sex": sex,
        "Member Since": date_between(rng, dt.date(2009, 1, 1), dt.date(2024, 12, 31)).strftime(
            "%d/%m/%Y"
        ),
        "Points Balance": points(rng),
        "Tier": tier(rng),
        "Store": rng.choice(country.stores),
        "Opt-in SMS": pick(rng, OPT_IN),
    }
    return row


def legacy_pos_rows() -> list[Row]:
    """The rows of the sample, in file order, with what was planted in each."""
    rng = random.Random(SEED)
    fakers = {}
    for i, country in enumerate(COUNTRIES):  # a seed each: en_US and en_AU share name lists
        fakers[country.locale] = Faker(country.locale)
        fakers[country.locale].seed_instance(SEED + i)
    assert sum(c.rows for c in COUNTRIES) == ROWS

    plan = [c for c in COUNTRIES for _ in range(c.rows)]
    rng.shuffle(plan)
    # the last rows of the plan become the duplicates of earlier rows
    extra = DUPLICATE_CUSTOMER_NOS + SHARED_MOBILES
    rows = [make_row(c, fakers[c.locale], rng) for c in plan[: ROWS - extra]]
    customer_no = 104_500
    for row in rows:
        customer_no += rng.choice([1, 1, 1, 2, 3, 7])
        row.cells["Customer No"] = f"{customer_no:08d}"

    for i, country in enumerate(plan[ROWS - extra :]):
        clean = [  # an original whose mobile and country were written properly
            k
            for k, r in enumerate(rows)
            if r.country is country and r.number is not None and "country unknown" not in r.planted
        ]
        k = rng.choice(clean)
        original = rows[k]
        if i < DUPLICATE_CUSTOMER_NOS:  # the same customer typed in again at another till
            copy = Row(country, dict(original.cells), original.number, ["same Customer No"])
            copy.cells["Full Name"] = original.cells["Full Name"].upper()
            copy.cells["Points Balance"] = points(rng)
            copy.cells["Store"] = rng.choice(country.stores)
            if rng.random() < 0.5:  # ... with a new mobile
                copy.number = valid_mobile(rng, country)
                copy.cells["Mobile"] = write_mobile(rng, copy.number, "national")
        else:  # a family sharing one phone: another customer, the number written another way
            copy = make_row(country, fakers[country.locale], rng)
            copy.planted.append("same mobile")
            copy.number = original.number
            styles = [s for s, _ in country.styles if s != "ext"]
            copy.cells["Mobile"] = write_mobile(rng, original.number, rng.choice(styles))
            copy.cells["Country"] = pick(rng, country.cells)
            customer_no += rng.choice([1, 2, 3])
            copy.cells["Customer No"] = f"{customer_no:08d}"
        rows.insert(rng.randrange(k + 1, len(rows) + 1), copy)
    return rows


def write_legacy_pos_csv(rows: list[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([row.cells[h] for h in HEADER])


def summary(rows: list[Row]) -> str:
    by_country = Counter(r.country.code for r in rows)
    planted = Counter(p for r in rows for p in r.planted)
    lines = [
        f"{len(rows)} rows, {len(by_country)} countries: "
        + ", ".join(f"{c.code} {by_country[c.code]}" for c in COUNTRIES),
        "planted: " + ", ".join(f"{k} {v}" for k, v in sorted(planted.items())),
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else OUT
    rows = legacy_pos_rows()
    write_legacy_pos_csv(rows, path)
    print(f"wrote {path}")
    print(summary(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
