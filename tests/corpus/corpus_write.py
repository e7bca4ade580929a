"""How the layouts write cells (phones, countries) and files (CSV, Excel), and ``Layout``.

The generator's side: these functions turn the truth into cells. The oracle never calls them.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
import pycountry
from corpus_oracle import Expected

NATIONAL = phonenumbers.PhoneNumberFormat.NATIONAL
INTERNATIONAL = phonenumbers.PhoneNumberFormat.INTERNATIONAL
E164 = phonenumbers.PhoneNumberFormat.E164

#: countries whose numbers people write "+49 (0)151 ..." (the trunk 0 kept in brackets)
TRUNK_IN_BRACKETS = ("DE", "GB", "FR", "NL", "AT", "CH")


def phone_cell(number: phonenumbers.PhoneNumber, style: str) -> str:
    """The number written in ``style`` (the names the oracle knows: corpus_oracle.BARE and
    INTERNATIONAL, plus "national", "national_digits", "dashes", "dots")."""
    nsn = phonenumbers.national_significant_number(number)
    if style == "e164":
        return phonenumbers.format_number(number, E164)
    if style == "e164_apostrophe":  # Shopify: a leading ' keeps Excel from reading a number
        return "'" + phonenumbers.format_number(number, E164)
    if style == "intl":
        return phonenumbers.format_number(number, INTERNATIONAL)
    if style == "00":
        return "00" + phonenumbers.format_number(number, INTERNATIONAL)[1:]
    if style == "intl_trunk":
        international = phonenumbers.format_number(number, INTERNATIONAL)
        code = f"+{number.country_code} "
        return code + "(0)" + international[len(code) :]
    if style == "national":
        return phonenumbers.format_number(number, NATIONAL)
    if style == "national_digits":
        return "".join(c for c in phonenumbers.format_number(number, NATIONAL) if c.isdigit())
    if style == "dashes":  # the US way: 212-555-0182
        return f"{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}"
    if style == "dots":
        return f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}"
    if style == "nsn":
        return nsn
    if style == "plus_lost":
        return f"{number.country_code}{nsn}"
    if style == "plus_trunk_lost":
        return f"{number.country_code}0{nsn}"
    raise ValueError(style)


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    names, weights = zip(*weighted.items(), strict=True)
    return rng.choices(names, weights)[0]


#: how people name their country in free-text country fields (besides pycountry's name)
COMMON_NAMES = {
    "US": ("United States", "USA", "United States of America", "US"),
    "GB": ("United Kingdom", "UK", "Great Britain", "GB"),
    "AE": ("United Arab Emirates", "UAE"),
    "DE": ("Germany", "DE"),
    "ID": ("Indonesia",),
    "IN": ("India",),
    "FR": ("France",),
    "BR": ("Brazil",),
    "JP": ("Japan",),
    "AU": ("Australia",),
    "CA": ("Canada",),
    "ES": ("Spain",),
    "NL": ("Netherlands", "The Netherlands"),
    "MX": ("Mexico",),
}


def country_name(code: str) -> str:
    """The English name a picklist writes (pycountry's common name where it has one)."""
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def typed_country(rng: random.Random, code: str) -> str:
    """A country as people type it in a free-text field: its name mostly, else a short form."""
    if rng.random() < 0.7:
        return country_name(code)
    return rng.choice(COMMON_NAMES.get(code, (code,)))


@dataclass
class Layout:
    """One corpus file: its header, its rows (cells are str, or int/float for Excel numbers)
    and, per customer, what the emulator must hold."""

    name: str
    filename: str
    header: list[str]
    rows: list[list[object]]
    expected: list[Expected]
    delimiter: str = ","
    encoding: str = "utf-8"
    quote_all: bool = False  # Salesforce's Data Loader quotes every value
    notes: dict[str, int] = field(default_factory=dict)  # what the file holds, counted

    def write(self, folder: Path) -> Path:
        path = folder / self.filename
        if path.suffix == ".xlsx":
            write_xlsx(path, self.header, self.rows)
            return path
        with path.open("w", encoding=self.encoding, newline="") as fh:
            quoting = csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL
            writer = csv.writer(fh, delimiter=self.delimiter, quoting=quoting)
            writer.writerow(self.header)
            writer.writerows(["" if c is None else c for c in row] for row in self.rows)
        return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """An Excel workbook as Excel saves it: numbers as numeric cells, empty cells empty."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        sheet.append([None if c == "" else c for c in row])
    book.save(path)
