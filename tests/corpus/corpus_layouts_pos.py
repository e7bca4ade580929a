"""A legacy point-of-sale export, as the tills wrote it, and the same file saved from Excel.

Not a vendor's documented layout (legacy tills have none): it is the layout of the 9-country
POS export described in issue 17 and of this project's ``samples/legacy_pos.csv``: ``;``-separated
UTF-8 with a BOM, one ``Full Name`` column, mobiles in each country's local ways, an English
``Country`` name per row.
"""

from __future__ import annotations

import random

import corpus_oracle as oracle
from corpus_people import people
from corpus_write import Layout, phone_cell, pick, typed_country

COUNTRIES = {"DE": 3, "AE": 2, "ID": 3, "IN": 3, "GB": 2, "FR": 2, "US": 2, "BR": 2, "JP": 1}
STYLES = {"national": 4, "national_digits": 3, "nsn": 2, "intl": 2, "00": 1, "plus_lost": 1}
STYLES_BY_COUNTRY = {
    "US": {"national": 3, "dashes": 3, "nsn": 2, "intl": 1},
    "JP": {"national": 5, "national_digits": 3, "intl": 1},
    "DE": {**STYLES, "intl_trunk": 1},
    "GB": {**STYLES, "intl_trunk": 1},
}
#: Excel turns a cell of digits into a number: leading zeros go, and a "+49 (0)151..." typed
#: without its + (as 49 0151...) is kept as the number 490151...
EXCEL_STYLES = {"national_digits": 4, "nsn": 2, "plus_lost": 2, "national": 1, "intl": 1}
EXCEL_TRUNK = {"plus_trunk_lost": 2}
HEADER = [
    "Customer No", "Full Name", "Mobile", "Country", "E-Mail", "DOB", "Sex", "Points Balance",
    "Opt-in SMS",
]  # fmt: skip
#: the two names issue 17 found parsed wrong, given to the first two Indonesians
INDONESIANS = [("Tgk.", "Paulin", "Anggraini", "S.H."), ("R.A.", "Lili", "Dongoran", None)]


def full_name(rng: random.Random, title, first, last, suffix) -> str:
    name = " ".join(p for p in (title, first, last) if p)
    if suffix:
        name += ", " + suffix
    return name.upper() if rng.random() < 0.05 else name


def legacy_pos(n: int = 1000, seed: int = 17003, excel: bool = False) -> Layout:
    """The 9-country legacy POS export (DE, AE, ID, IN, GB, FR, US, BR, JP) of issue 17.

    Quirks reproduced: ``;`` and a BOM; names with the locale's titles and degrees as Faker's
    providers list them (``Tgk. Paulin Anggraini, S.H.``, ``R.A. Lili Dongoran``, ``Dr. ...,
    MBA``), a few in capitals; Japanese names romanized, given name first; mobiles as the tills
    typed them (national with the trunk 0, digits only, without the trunk 0, +CC, 00CC, the +
    lost), a landline in the mobile column for one customer in ten who has one; ``Country`` as
    English names, short forms (UK, UAE, USA) or capitals, empty on 2% of the rows; ``Opt-in
    SMS`` Y/N/empty; e-mails for about half the customers, a few broken.

    ``excel=True``: the same export opened and saved in Excel (``.xlsx``): every cell of digits
    became a number (national numbers lose their trunk 0; numbers typed ``49 (0)151...`` without
    the + and brackets became ``490151...``), the rest stays text.
    """
    rng = random.Random(seed + excel)
    crowd = people(
        seed, n, COUNTRIES, email_rate=0.55, mobile_rate=0.88, landline_rate=0.25,
        broken_email_rate=0.002, titles=0.3, romanized=True,
    )  # fmt: skip
    indonesians = iter(INDONESIANS)
    rows, expected = [], []
    for person in crowd:
        if person.country == "ID":
            override = next(indonesians, None)
            if override:
                person.title, person.first, person.last, person.suffix = override
        number = person.mobile
        if person.landline is not None and (number is None or rng.random() < 0.1):
            number = person.landline
        weights = STYLES_BY_COUNTRY.get(person.country, STYLES)
        if excel:
            weights = {**EXCEL_STYLES, **(EXCEL_TRUNK if person.country in ("DE", "GB") else {})}
            if person.country in ("US", "JP"):
                weights = {"nsn": 2, "national": 1, "intl": 1}
        style = pick(rng, weights)
        cell: object = phone_cell(number, style) if number is not None else ""
        written = style
        if excel and isinstance(cell, str) and cell.isdigit():
            if cell.startswith("0"):
                written = "nsn"  # the trunk 0 is gone with the number's leading zeros
                assert cell.lstrip("0") == phone_cell(number, "nsn"), (cell, number)
            cell = int(cell)
        country_cell = "" if rng.random() < 0.02 else typed_country(rng, person.country)
        if country_cell and rng.random() < 0.1:
            country_cell = country_cell.upper()
        region = person.country if country_cell else None
        sms = rng.choice([True, False, None]) if number is not None else None
        rows.append([
            f"C{100000 + person.index}",
            full_name(rng, person.title, person.first, person.last, person.suffix),
            cell, country_cell, person.email or "",
            f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1950, 2005)}"
            if rng.random() < 0.7 else "",
            rng.choice(["M", "F", ""]),
            rng.randrange(0, 5000) if excel else str(rng.randrange(0, 5000)),
            {True: "Y", False: "N", None: ""}[sms],
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(number, written, region),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                sms=oracle.said(sms),
                external_id=f"C{100000 + person.index}",
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    if excel:
        return Layout("legacy_pos_xlsx", "legacy_pos.xlsx", HEADER, rows, expected)
    return Layout(
        "legacy_pos", "legacy_pos.csv", HEADER, rows, expected, delimiter=";", encoding="utf-8-sig"
    )


def legacy_pos_xlsx() -> Layout:
    return legacy_pos(excel=True)
