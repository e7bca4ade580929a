"""Layouts of platforms issue 17 does not name (its numbers are "checked again on exports of
platforms it does not name"): a PrestaShop customer export and a Google Contacts export."""

from __future__ import annotations

import random

import corpus_oracle as oracle
from corpus_layouts_shop import first_mobile
from corpus_people import people
from corpus_write import Layout, phone_cell, pick, typed_country

#: the trailing ";" of every line makes an unnamed last column
PRESTASHOP = [
    "ID", "Title", "Last name", "First Name", "Email address", "Age", "Enabled", "News.",
    "Opt.", "Registration", "Last visit", "",
]  # fmt: skip


def prestashop(n: int = 600, seed: int = 17012) -> Layout:
    """PrestaShop's customer export (back office Customers > Customers > Export), in the format
    PrestaShop's user guide ("Your customers") gives for it: ``ID;Title;Last name;First
    Name;Email address;Age;Enabled;News.;Opt.;Registration;Last visit;``.

    Quirks reproduced: ``;``-separated with a ``;`` ending every line (an unnamed, empty last
    column); the last name before the first name, often in capitals (``DOE``); ``Title`` the
    id of the social title (1, 2); ``Age`` ``-`` when unknown; ``News.`` (the shop's newsletter:
    the e-mail consent) and ``Opt.`` (partner offers: not a consent to the shop's own
    marketing) as 1/0; no phone at all, so the e-mail is the only identifier.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"FR": 5, "ES": 2, "DE": 1, "NL": 1, "GB": 1},
        email_rate=1.0, mobile_rate=0.0, landline_rate=0.0, broken_email_rate=0.002,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        news = rng.random() < 0.4
        partners = news and rng.random() < 0.5 or rng.random() < 0.05
        last = person.last.upper() if rng.random() < 0.6 else person.last
        rows.append([
            str(person.index + 2), rng.choice(["1", "2", ""]), last, person.first,
            person.email or "", str(rng.randrange(18, 80)) if rng.random() < 0.5 else "-",
            "1" if rng.random() < 0.95 else "0", "1" if news else "0", "1" if partners else "0",
            "2019-07-04 15:20:02", "2023-07-04 15:18:50", "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                None,
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.said(news),
                external_id=str(person.index + 2),
            )
        )
    return Layout("prestashop", "customer_2024-01-15.csv", PRESTASHOP, rows, expected,
                  delimiter=";")  # fmt: skip


GOOGLE = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
    "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label",
    "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
    "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address",
]  # fmt: skip


def google_contacts(n: int = 600, seed: int = 17013) -> Layout:
    """A Google Contacts export ("Google CSV", contacts.google.com > Export), as a small business
    that kept its customers there would bring it: the current export's columns (``First Name``,
    ``Middle Name``, ``Last Name``, ``Name Prefix``, ``Name Suffix``, ``Labels``, then numbered
    ``E-mail 1 - Label``/``E-mail 1 - Value``, ``Phone 1 - Label``/``Phone 1 - Value``, ...,
    ``Address 1 - Country``).

    Quirks reproduced: each phone and e-mail in a numbered pair of columns, its label beside it
    (``Mobile``, ``Home``, ``Work``; ``* `` marks the primary: ``* Home``), so the mobile may be
    ``Phone 1`` or ``Phone 2`` and a landline sits in the other; two values under one label
    joined with `` ::: `` in one cell; titles and degrees in ``Name Prefix``/``Name Suffix``,
    never in the names; the country only in the address, for half the contacts; ``Labels``
    ``* myContacts``.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"GB": 3, "DE": 2, "FR": 1, "IN": 2, "AE": 1, "ID": 1, "US": 1},
        email_rate=0.8, mobile_rate=0.75, landline_rate=0.45, titles=0.15,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        phones = [(p, label) for p, label in ((person.mobile, "Mobile"), (person.landline, "Home"))
                  if p is not None]  # fmt: skip
        rng.shuffle(phones)
        styles = [pick(rng, {"intl": 4, "national": 3, "e164": 1}) for _ in range(2)]
        cells, candidates = [], []
        for i in range(2):
            if i < len(phones):
                number, label = phones[i]
                cell = phone_cell(number, styles[i])
                if i == 0 and len(phones) == 1 and rng.random() < 0.03:
                    cell += " ::: " + cell  # the same number saved twice under one label
                    number = None  # a cell of two values is no one mobile
                cells += ["* " + label if i == 0 else label, cell]
                candidates.append(number)
            else:
                cells += ["", ""]
                candidates.append(None)
        has_address = rng.random() < 0.5
        region = person.country if has_address else None
        email_cells = ["* Home", person.email] if person.email else ["", ""]
        rows.append([
            person.first, "", person.last, "", "", "", person.title or "", person.suffix or "",
            "", "", "", "", "", "", "", "", "* myContacts", *email_cells, "", "", *cells,
            "Home" if has_address else "", "", "", "", "", "", "",
            typed_country(rng, person.country) if has_address else "", "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile(*((c, s, region) for c, s in zip(candidates, styles, strict=True))),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("google_contacts", "contacts.csv", GOOGLE, rows, expected)
