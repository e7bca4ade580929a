"""The truth every corpus layout is written from: people drawn with Faker, fixed seeds.

A ``Person`` is what the generator *means* (the customer's given and family name, the e-mail it
typed and whether that is a real address, the mobile and landline as phone-number objects, the
consents the platform recorded), never a cell. The layouts (``corpus_layouts_*``) write these
people the way each platform writes them; the oracle (``corpus_oracle``) says from the same truth
what the importer must store. Nothing here imports ``importer``.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from faker import Faker

MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)

#: country -> Faker locale of its people (ar_AE names are English in Faker; UAE exports are too)
LOCALES = {
    "DE": "de_DE", "AE": "ar_AE", "ID": "id_ID", "IN": "en_IN", "GB": "en_GB", "FR": "fr_FR",
    "US": "en_US", "BR": "pt_BR", "JP": "ja_JP", "AU": "en_AU", "CA": "en_CA", "ES": "es_ES",
    "NL": "nl_NL", "MX": "es_MX",
}  # fmt: skip


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


#: country -> (mobile national significant number, landline nsn) drawers; phonenumbers checks
#: every draw, so a pattern only has to be close to the plan
PLANS = {
    "DE": (lambda r: r.choice(["151", "152", "157", "160", "170", "171", "172", "175", "176",
                               "177", "178", "179"]) + _digits(r, r.choice([7, 8])),
           lambda r: r.choice(["30", "40", "89", "69"]) + r.choice("2345678") + _digits(r, 7)),
    "AE": (lambda r: "5" + r.choice("024568") + _digits(r, 7),
           lambda r: r.choice("2346") + r.choice("2345") + _digits(r, 6)),
    "ID": (lambda r: "8" + r.choice("1235789") + _digits(r, r.choice([8, 9])),
           lambda r: "21" + r.choice("2345678") + _digits(r, 7)),
    "IN": (lambda r: r.choice("6789") + _digits(r, 9),
           lambda r: r.choice(["11", "22", "80", "40"]) + r.choice("2346") + _digits(r, 7)),
    "GB": (lambda r: "7" + r.choice("45789") + _digits(r, 8),
           lambda r: r.choice(["20", "121", "161", "131"]) + r.choice("3789") + _digits(r, 6)),
    "FR": (lambda r: r.choice("67") + _digits(r, 8),
           lambda r: r.choice("12345") + _digits(r, 8)),
    "US": (lambda r: r.choice(["212", "310", "415", "646", "702", "512", "305", "617", "206",
                               "312", "404"]) + r.choice("23456789") + _digits(r, 6),
           None),  # fixed line or mobile: the US plan cannot tell, so every number may be a mobile
    "CA": (lambda r: r.choice(["416", "604", "514", "403"]) + r.choice("23456789") + _digits(r, 6),
           None),
    "BR": (lambda r: r.choice(["11", "21", "31", "41", "51", "61", "71", "81"]) + "9"
           + r.choice("6789") + _digits(r, 7),
           lambda r: r.choice(["11", "21", "31"]) + r.choice("2345") + _digits(r, 7)),
    "JP": (lambda r: r.choice(["70", "80", "90"]) + r.choice("123456789") + _digits(r, 7),
           lambda r: r.choice(["3", "6"]) + r.choice("2345") + _digits(r, 7)),
    "AU": (lambda r: "4" + r.choice("0123456789") + _digits(r, 7),
           lambda r: r.choice("2378") + r.choice("89") + _digits(r, 7)),
    "ES": (lambda r: "6" + _digits(r, 8), lambda r: "91" + r.choice("2345") + _digits(r, 6)),
    "NL": (lambda r: "6" + r.choice("12345") + _digits(r, 7),
           lambda r: "20" + r.choice("2345") + _digits(r, 6)),
    "MX": (lambda r: r.choice(["55", "33", "81"]) + r.choice("123456789") + _digits(r, 7), None),
}  # fmt: skip


def draw_phone(
    rng: random.Random, country: str, mobile: bool, taken: set[str]
) -> phonenumbers.PhoneNumber:
    """A valid number of ``country``: a mobile, or a landline (the plan's fixed-line type)."""
    drawers = PLANS[country]
    drawer = drawers[0] if mobile or drawers[1] is None else drawers[1]
    for _ in range(500):
        number = phonenumbers.parse(drawer(rng), country)
        if not phonenumbers.is_valid_number(number):
            continue
        kind = phonenumbers.number_type(number)
        if mobile and kind not in MOBILE_TYPES:
            continue
        if (
            not mobile
            and drawers[1] is not None
            and kind != phonenumbers.PhoneNumberType.FIXED_LINE
        ):
            continue
        key = e164_digits(number)
        if key in taken:
            continue
        taken.add(key)
        return number
    raise RuntimeError(f"no {'mobile' if mobile else 'landline'} drawn for {country}")


def e164_digits(number: phonenumbers.PhoneNumber) -> str:
    return f"{number.country_code}{number.national_number}"


@dataclass
class Person:
    """One customer as the generator means it (see the module's docstring)."""

    index: int
    country: str  # where the customer lives: the address's country
    first: str | None
    last: str | None
    title: str | None = None  # a locale's honorific (Dr., Tgk., R.A., Herr), never a name
    suffix: str | None = None  # a degree or generation (S.H., MBA, Jr.), never a name
    email: str | None = None  # as typed
    email_valid: bool = True  # False: the generator typed a broken address on purpose
    mobile: phonenumbers.PhoneNumber | None = None
    landline: phonenumbers.PhoneNumber | None = None
    sms: bool | None = None  # the SMS consent the platform recorded (None: none recorded)
    mail: bool | None = None  # the e-mail consent the platform recorded
    extra: dict[str, object] = field(default_factory=dict)  # a layout's own truths


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


#: how people break their own e-mail addresses (~0.1% of a file, and a few more in some)
BROKEN_EMAILS = (
    lambda local, domain: f"{local}@{domain.split('.')[0]}",  # the TLD forgotten
    lambda local, domain: f"{local}@@{domain}",
    lambda local, domain: f"{local} @{domain}",
    lambda local, domain: f"{local}.{domain}",  # no @
    lambda local, domain: f"{local}@{domain}.",
)


def single(faker: Faker, attr: str, country: str) -> str:
    """A name part of one word (compound given names like "Enzo Gabriel" make "first name" a
    matter of opinion; the corpus keeps its truth undisputed)."""
    for _ in range(50):
        if country == "JP" and attr in ("first_name", "last_name"):
            value = getattr(faker, attr.replace("_name", "_romanized_name"))()
        else:
            value = getattr(faker, attr)()
        if " " not in value and "-" not in value and value.isalpha():
            return value
    raise RuntimeError(f"no one-word {attr} in {country}")


def people(
    seed: int,
    n: int,
    countries: dict[str, int],
    *,
    email_rate: float = 0.9,
    mobile_rate: float = 0.75,
    landline_rate: float = 0.15,
    broken_email_rate: float = 0.001,
    titles: float = 0.0,
    romanized: bool = False,
) -> list[Person]:
    """``n`` people of the weighted ``countries``: unique e-mails and numbers, realistic gaps
    (no e-mail, no phone, neither), a broken e-mail at ``broken_email_rate``, a title and a
    degree (drawn from the locale's Faker lists) on a share ``titles`` of them."""
    rng = random.Random(seed)
    fakers = {c: Faker(LOCALES[c], seed=seed) for c in countries}
    for country, faker in fakers.items():
        faker.seed_instance(seed + sum(map(ord, country)))
    names, weights = zip(*countries.items(), strict=True)
    taken_numbers: set[str] = set()
    taken_emails: set[str] = set()
    out = []
    for index in range(n):
        country = rng.choices(names, weights)[0]
        faker = fakers[country]
        female = rng.random() < 0.5
        if country == "JP" and romanized:  # a Western till's spelling: Taro Yamada
            first, last = single(faker, "first_name", country), single(faker, "last_name", country)
        elif country != "JP":
            gendered = "first_name_female" if female else "first_name_male"
            first, last = single(faker, gendered, country), single(faker, "last_name", country)
        else:
            first, last = faker.first_name(), faker.last_name()
        person = Person(index, country, first, last)
        if rng.random() < titles:
            gender = "female" if female else "male"
            prefixes = _list(faker, f"prefixes_{gender}", "prefixes")
            suffixes = _list(faker, f"suffixes_{gender}", "suffixes")
            # fr_FR's "prefixes" (de, du, de la, Le) are surname particles, not titles
            prefixes = [p for p in prefixes if "." in p or p[0].isupper() and p not in ("Le", "La")]
            if prefixes:
                person.title = rng.choice(prefixes)
            if suffixes and rng.random() < 0.5:
                person.suffix = rng.choice(suffixes)
        if rng.random() < email_rate:
            local = f"{_ascii(first) or 'user'}.{_ascii(last) or 'x'}{rng.randrange(1, 9999)}"
            domain = faker.free_email_domain()
            email = f"{local}@{domain}"
            while email.lower() in taken_emails:
                email = f"{local}{rng.randrange(10)}@{domain}"
            taken_emails.add(email.lower())
            if rng.random() < broken_email_rate:
                person.email = rng.choice(BROKEN_EMAILS)(local, domain)
                person.email_valid = False
            else:
                person.email = email
        if rng.random() < mobile_rate:
            person.mobile = draw_phone(rng, country, True, taken_numbers)
        if rng.random() < landline_rate and PLANS[country][1] is not None:
            person.landline = draw_phone(rng, country, False, taken_numbers)
        out.append(person)
    return out


def _list(faker: Faker, *attributes: str) -> list[str]:
    """Every value a Faker person provider draws from (a tuple, or a dict of weights), or []."""
    for provider in faker.providers:
        for attribute in attributes:
            values = getattr(provider, attribute, None)
            if isinstance(values, (tuple, list, dict)) and values:
                return [v for v in values if isinstance(v, str) and v.strip()]
    return []
