"""Quick platform-like exports (Faker, fixed seeds) with each row's right values, written apart
from the drafter: phonenumbers and the generator's own choices say what each row means."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
from faker import Faker

#: country -> (Faker locale, English name)
COUNTRIES = {
    "US": ("en_US", "United States"), "GB": ("en_GB", "United Kingdom"),
    "DE": ("de_DE", "Germany"), "AE": ("en_US", "United Arab Emirates"),
    "IN": ("en_IN", "India"), "ID": ("id_ID", "Indonesia"), "AU": ("en_AU", "Australia"),
    "FR": ("fr_FR", "France"), "JP": ("ja_JP", "Japan"),
}  # fmt: skip
_STYLE = phonenumbers.PhoneNumberFormat


@dataclass
class Truth:
    """What one row means: the values a right import stores (None: none)."""

    key: str  # the row's unique id or e-mail, to find its customer
    mobile: str | None = None
    email: str | None = None
    first: str | None = None
    last: str | None = None
    consent: dict[str, str | None] = field(default_factory=dict)
    #: a customer at all (continuation rows are not)
    customer: bool = True

    @property
    def identifiable(self) -> bool:
        return self.customer and bool(self.mobile or self.email)


def mobile(region: str, rng: random.Random) -> phonenumbers.PhoneNumber:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(example.national_number)
    while True:
        candidate = digits[:3] + "".join(rng.choice("0123456789") for _ in digits[3:])
        number = phonenumbers.parse(candidate, region)
        kind = phonenumbers.number_type(number)
        if phonenumbers.is_valid_number(number) and kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return number


def digits(number: phonenumbers.PhoneNumber) -> str:
    return f"{number.country_code}{number.national_number}"


def write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _person(rng: random.Random, fakers: dict[str, Faker], region: str) -> tuple[str, str, str]:
    fake = fakers[region]
    first, last = fake.first_name(), fake.last_name()
    user = f"{rng.randrange(10**6)}.{region.lower()}"
    return first, last, f"{user}@{rng.choice(['gmail.com', 'example.com', 'mail.com'])}"


def _fakers(seed: int) -> dict[str, Faker]:
    out = {}
    for region, (locale, _) in COUNTRIES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        out[region] = fake
    return out


def shopify(path: Path, n: int = 300, seed: int = 17) -> list[Truth]:
    """Shopify's customer export: ``Phone`` in E.164, ``Default Address Phone`` as typed in the
    address's country (``Default Address Country Code``), e-mail and SMS consent yes/no."""
    rng, fakers = random.Random(seed), _fakers(seed)
    header = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
              "Default Address Company", "Default Address Address1", "Default Address City",
              "Default Address Province Code", "Default Address Country Code",
              "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
              "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags"]  # fmt: skip
    rows, truths = [], []
    regions = ["US", "GB", "DE", "AE", "AU", "FR"]
    for k in range(n):
        region = rng.choice(regions)
        first, last, email = _person(rng, fakers, region)
        has_mail = rng.random() < 0.88
        own = mobile(region, rng) if rng.random() < 0.45 else None
        addr = mobile(region, rng) if rng.random() < 0.5 else None
        accepts_mail, accepts_sms = rng.choice(["yes", "no"]), rng.choice(["yes", "no"])
        cid = str(7_000_000_000_000 + k * 7919)
        typed = phonenumbers.format_number(addr, _STYLE.NATIONAL) if addr else ""
        rows.append([
            cid, first, last, email if has_mail else "", accepts_mail, "",
            fakers[region].street_address(),
            fakers[region].city(), "", region, "", typed,
            phonenumbers.format_number(own, _STYLE.E164) if own else "", accepts_sms,
            f"{rng.randrange(0, 900)}.00", str(rng.randrange(0, 9)), "", "no", "",
        ])  # fmt: skip
        right = own or addr
        truths.append(Truth(
            cid, digits(right) if right else None, email if has_mail else None, first, last,
            {"email": "true" if accepts_mail == "yes" else "false",
             "mobile": "true" if accepts_sms == "yes" else "false"},
        ))  # fmt: skip
    write(path, header, rows)
    return truths


def pos(path: Path, n: int = 300, seed: int = 5) -> list[Truth]:
    """A till export from nine countries: ``;``, numbers written the local way, a ``Country``
    column of English names, no e-mail for many."""
    rng, fakers = random.Random(seed), _fakers(seed)
    header = ["Kunde", "Vorname", "Nachname", "Telefon", "Land", "E-Mail", "Newsletter"]
    rows, truths = [], []
    for k in range(n):
        region = rng.choice(list(COUNTRIES))
        first, last, email = _person(rng, fakers, region)
        number = mobile(region, rng) if rng.random() < 0.9 else None
        has_mail = rng.random() < 0.4
        typed = phonenumbers.format_number(number, _STYLE.NATIONAL) if number else ""
        news = rng.choice(["ja", "nein", ""])
        rows.append([f"K{k:06d}", first, last, typed, COUNTRIES[region][1],
                     email if has_mail else "", news])  # fmt: skip
        consent = {"ja": "true", "nein": "false", "": None}[news]
        right = digits(number) if number else None
        mail = email if has_mail else None
        truths.append(Truth(f"K{k:06d}", right, mail, first, last, {"email": consent}))
    write(path, header, rows, delimiter=";")
    return truths


def stored(customers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each stored customer by its externalId (else its e-mail): mobile, e-mail, names and the
    channels' consent."""
    out = {}
    for customer in customers:
        values: dict[str, Any] = {"first": customer["firstName"], "last": customer["lastName"]}
        consent = {}
        for account in customer["accounts"]:
            for ident in account["identifiers"]:
                values.setdefault(ident["type"], ident["value"])
            for channel in account["commChannels"]:
                consent[channel["type"]] = channel.get("subscribed")
        values["consent"] = consent
        key = values.get("externalId") or values.get("email")
        out[str(key)] = values
    return out


def compare(truths: list[Truth], customers: list[dict[str, Any]]) -> tuple[list[str], float]:
    """The wrong values stored, and the share of the identifiable customers created."""
    by_key = stored(customers)
    wrong = []
    created = 0
    for truth in truths:
        got = by_key.get(truth.key)
        if got is None:
            continue
        if not truth.customer:
            wrong.append(f"{truth.key}: a continuation row was registered")
            continue
        created += truth.identifiable
        if got.get("mobile") is not None and got["mobile"] != truth.mobile:
            wrong.append(f"{truth.key}: mobile {got['mobile']} != {truth.mobile}")
        if got.get("email") is not None and got["email"].lower() != (truth.email or "").lower():
            wrong.append(f"{truth.key}: email {got['email']} != {truth.email}")
        for part in ("first", "last"):
            expected = getattr(truth, part)
            if got[part] is not None and got[part] != expected:
                wrong.append(f"{truth.key}: {part} {got[part]!r} != {expected!r}")
        for channel, right in truth.consent.items():
            sent = got["consent"].get(channel)
            sent = None if sent is None else str(sent).lower()
            if sent is not None and sent != right:
                wrong.append(f"{truth.key}: {channel} consent {sent} != {right}")
    identifiable = sum(t.identifiable for t in truths)
    return wrong, created / max(identifiable, 1)
