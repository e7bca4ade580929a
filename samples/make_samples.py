"""Regenerate the shipped samples, deterministically: ``python samples/make_samples.py``.

members.csv / members.xlsx: 200 rows, five countries; 6 rows the dry run rejects, 4 in-file
duplicates, 190 ready to send. legacy_members.csv: a cp1252, semicolon-separated legacy export
with local numbers, two date formats, stray spaces and mixed-case e-mails: 60 rows, 4 rejected,
2 duplicates, 54 ready. The tests check these counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import phonenumbers

HERE = Path(__file__).resolve().parent
SEED = 20240511

MEMBERS_HEADER = [
    "member_id",
    "first_name",
    "last_name",
    "mobile",
    "email",
    "gender",
    "city",
    "date_of_birth",
    "joined_on",
    "points",
    "tier",
    "store_code",
]

#: country -> (region, share of rows, cities, first names, last names, mobile prefixes)
COUNTRIES = {
    "IN": (
        0.5,
        ["Bengaluru", "Mumbai", "Delhi", "Chennai", "Pune", "Hyderabad", "Kolkata"],
        [
            "Aarav",
            "Priya",
            "Rohan",
            "Ananya",
            "Vikram",
            "Sneha",
            "Arjun",
            "Kavya",
            "Ishaan",
            "Meera",
            "Rahul",
            "Divya",
            "Karthik",
            "Pooja",
            "Siddharth",
            "Nisha",
        ],
        ["Sharma", "Iyer", "Reddy", "Patel", "Nair", "Gupta", "Menon", "Rao", "Das", "Kapoor"],
        ["98", "99", "97", "96", "91", "88", "70", "81", "63"],
    ),
    "GB": (
        0.15,
        ["London", "Manchester", "Leeds", "Bristol", "Glasgow"],
        ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily"],
        ["Smith", "Jones", "Taylor", "Brown", "Wilson", "O'Neill", "Evans"],
        ["7911", "7700", "7400", "7500", "7800"],
    ),
    "US": (
        0.15,
        ["New York", "Chicago", "Austin", "Seattle", "Boston"],
        ["James", "Olivia", "Noah", "Emma", "Liam", "Sophia", "Mason", "Mia"],
        ["Johnson", "Williams", "Garcia", "Miller", "Davis", "Martinez"],
        ["212", "312", "512", "206", "617"],
    ),
    "AE": (
        0.1,
        ["Dubai", "Abu Dhabi", "Sharjah"],
        ["Omar", "Fatima", "Ahmed", "Layla", "Yusuf", "Mariam"],
        ["Al Maktoum", "Haddad", "Khalil", "Nasser", "Saleh"],
        ["50", "52", "55", "56"],
    ),
    "SG": (
        0.1,
        ["Singapore"],
        ["Wei", "Mei Ling", "Jun Jie", "Hui Min", "Ravi", "Siti"],
        ["Tan", "Lim", "Lee", "Ng", "Wong", "Kumar"],
        ["8", "9"],
    ),
}
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"]
STORES = {"IN": "BLR", "GB": "LON", "US": "NYC", "AE": "DXB", "SG": "SIN"}


def _mobile(rng: random.Random, region: str, prefixes: list[str], used: set[str]) -> str:
    cc = phonenumbers.country_code_for_region(region)
    length = {"IN": 10, "GB": 10, "US": 10, "AE": 9, "SG": 8}[region]
    while True:
        prefix = rng.choice(prefixes)
        national = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        if region == "US":
            national = national[:3] + rng.choice("23456789") + national[4:]
        number = phonenumbers.PhoneNumber(country_code=cc, national_number=int(national))
        digits = f"{cc}{national}"
        if phonenumbers.is_valid_number(number) and digits not in used:
            used.add(digits)
            return digits


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def member_rows(n: int = 200, seed: int = SEED) -> list[dict[str, str]]:
    """Rows of members.csv: valid ones, then the invalid and duplicate rows spread among them."""
    rng = random.Random(seed)
    used_mobiles: set[str] = set()
    used_emails: set[str] = set()
    regions = list(COUNTRIES)
    weights = [COUNTRIES[r][0] for r in regions]
    rows = []
    for i in range(n - 10):
        region = rng.choices(regions, weights)[0]
        _, cities, firsts, lasts, prefixes = COUNTRIES[region]
        first, last = rng.choice(firsts), rng.choice(lasts)
        while True:
            local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            email = f"{local}{rng.randrange(1, 999)}@{rng.choice(DOMAINS)}"
            if email not in used_emails:
                used_emails.add(email)
                break
        mobile = _mobile(rng, region, prefixes, used_mobiles)
        if rng.random() < 0.1:
            mobile = "+" + mobile
        if rng.random() < 0.1:
            email = email.capitalize()
        rows.append(
            {
                "member_id": f"M{100001 + i:07d}",
                "first_name": first,
                "last_name": last,
                "mobile": mobile,
                "email": email if rng.random() > 0.05 else "",
                "gender": rng.choice(["M", "F", "F", "M", "O"]),
                "city": rng.choice(cities),
                "date_of_birth": _date(rng, dt.date(1950, 1, 1), dt.date(2006, 1, 1)).isoformat(),
                "joined_on": _date(rng, dt.date(2015, 1, 1), dt.date(2024, 6, 1)).isoformat(),
                "points": str(rng.choice([0, 0, 50, 120, 300, 1250, 4800, rng.randrange(10000)])),
                "tier": str(rng.choices([1, 2, 3], [6, 3, 1])[0]),
                "store_code": f"{STORES[region]}-{rng.randrange(1, 40):03d}",
            }
        )
    bad = [
        ("mobile", "98765", "invalid_mobile"),
        ("mobile", "9.19988E+11", "lost_digits"),
        ("email", "priya.sharma@gmail", "invalid_email"),
        ("date_of_birth", "1990-02-30", "invalid_date"),
        ("tier", "5", "out_of_range"),
        ("mobile", "", "missing_identifier"),
    ]
    base = len(rows)
    for k, (column, value, _) in enumerate(bad):
        row = dict(rows[(k * 29 + 7) % base], member_id=f"M{300001 + k:07d}")
        row["mobile"] = _mobile(rng, "IN", COUNTRIES["IN"][4], used_mobiles)
        row["email"] = f"invalid.{k}@example.org"
        row[column] = value
        rows.insert(20 + k * 30, row)
    for k in range(4):
        original = rows[5 + k * 41]
        dup = dict(original, member_id=f"M{400001 + k:07d}", first_name=original["first_name"])
        if k % 2 and original["email"]:
            # the same e-mail in other case: the API compares e-mails case-insensitively
            dup["mobile"] = _mobile(rng, "IN", COUNTRIES["IN"][4], used_mobiles)
            dup["email"] = original["email"].upper()
        rows.insert(60 + k * 35, dup)
    return rows


def write_members_csv(rows: list[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, MEMBERS_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_members_xlsx(rows: list[dict[str, str]], path: Path) -> None:
    """The same rows as a workbook: numeric mobiles, points and tiers; date cells for dates."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Members")
    sheet.append(MEMBERS_HEADER)
    for row in rows:
        cells: list[object] = []
        for name in MEMBERS_HEADER:
            value = row[name]
            if name in ("mobile", "points", "tier") and value.isdigit():
                cells.append(int(value))
            elif name in ("date_of_birth", "joined_on"):
                try:
                    cells.append(dt.datetime.fromisoformat(value))
                except ValueError:
                    cells.append(value)
            else:
                cells.append(value)
        sheet.append(cells)
    book.save(path)
    _pin_timestamps(path)


def _pin_timestamps(path: Path) -> None:
    """Rewrite the zip with fixed entry times and core properties, so reruns give the same bytes."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        items = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-05-11T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 11, 0, 0, 0)), data)


LEGACY_HEADER = [
    "Cust No",
    "Full Name",
    "Mobile No",
    "E-Mail",
    "Sex",
    "Town",
    "DOB",
    "Member Since",
    "Balance",
    "Level",
]
LEGACY_NAMES = [
    ("José", "Fernández"),
    ("Zoë", "D’Souza"),
    ("Françoise", "Müller"),
    ("Anil", "Kumar"),
    ("Renée", "O’Brien"),
    ("Sunita", "Rao"),
    ("Björn", "Ståhl"),
    ("Deepa", "Menon"),
    ("Manoj", "Pillai"),
    ("Chloé", "Lefèvre"),
    ("Ravi", "Shankar"),
    ("Lakshmi", "Iyer"),
]


def legacy_rows(seed: int = SEED) -> list[list[str]]:
    """60 rows of the legacy export: local Indian numbers in several shapes and messy cells."""
    rng = random.Random(seed + 1)
    used: set[str] = set()
    rows = []
    for i in range(54):
        first, last = LEGACY_NAMES[i % len(LEGACY_NAMES)]
        digits = _mobile(rng, "IN", COUNTRIES["IN"][4], used)[2:]
        shape = i % 4
        mobile = [f"0{digits}", f"{digits[:5]} {digits[5:]}", f"+91 {digits}", digits][shape]
        email = f"{first[0]}{last}{i}@Example.COM".replace("’", "").replace(" ", "")
        email = email.encode("ascii", "ignore").decode()
        email = email if i % 3 else email.lower()
        dob = _date(rng, dt.date(1950, 1, 1), dt.date(2005, 1, 1))
        since = _date(rng, dt.date(2010, 1, 1), dt.date(2020, 1, 1))
        rows.append(
            [
                f"  {5000 + i} ",
                f" {first}  {last} ",
                f" {mobile} ",
                f" {email} " if i % 5 else email.upper(),
                rng.choice(["m", "F", " M", "f ", "Male", "female"]),
                rng.choice(["Bangalore", "  Mysore", "Chennai ", "Kochi"]),
                dob.strftime("%d/%m/%Y") if i % 2 else dob.strftime("%d-%b-%Y"),
                since.strftime("%d/%m/%Y"),
                f"{rng.randrange(1000, 9000):,}" if i % 7 == 0 else str(rng.randrange(0, 900)),
                rng.choice(["Silver", "GOLD", "silver ", "Platinum"]),
            ]
        )
    bad = [
        (2, "12345"),  # Mobile No: too short
        (3, "anil.kumar@@mail.com"),  # E-Mail
        (6, "31/13/1980"),  # DOB: no 13th month
        (9, "Diamond"),  # Level: not a tier
    ]
    for k, (column, value) in enumerate(bad):
        row = list(rows[k * 7 + 1])
        row[0] = f" {6000 + k}"
        row[2] = " 0" + _mobile(rng, "IN", COUNTRIES["IN"][4], used)[2:]
        row[3] = f"bad{k}@example.in"
        row[column] = value
        rows.insert(10 + k * 12, row)
    for k in range(2):
        original = rows[4 + k * 20]
        digits = "".join(c for c in original[2] if c.isdigit())[-10:]
        dup = list(original)
        dup[0], dup[2], dup[3] = (
            f"{7000 + k}",
            f"+91-{digits[:5]}-{digits[5:]}",
            f"other{k}@mail.in",
        )
        rows.insert(30 + k * 15, dup)
    return rows


def write_legacy_csv(rows: list[list[str]], path: Path) -> None:
    with open(path, "w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(LEGACY_HEADER)
        for i, row in enumerate(rows):
            writer.writerow(row)
            if i in (11, 40):
                fh.write(";;;;;;;;;\r\n")  # blank rows, as legacy exports leave them


def main() -> None:
    rows = member_rows()
    write_members_csv(rows, HERE / "members.csv")
    write_members_xlsx(rows, HERE / "members.xlsx")
    write_legacy_csv(legacy_rows(), HERE / "legacy_members.csv")
    print(f"wrote {len(rows)} members and the legacy export to {HERE}")


if __name__ == "__main__":
    main()
