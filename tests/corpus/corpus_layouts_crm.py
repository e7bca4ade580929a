"""CRM and e-mail-marketing exports: HubSpot, Salesforce (Data Loader), Zoho CRM, Mailchimp,
Klaviyo. Each builder's docstring says where its layout comes from and what it reproduces."""

from __future__ import annotations

import random

import corpus_oracle as oracle
from corpus_layouts_shop import first_mobile, typed_style
from corpus_people import people
from corpus_write import Layout, phone_cell, pick, typed_country

HUBSPOT = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Company Name", "Job Title", "Street Address", "City", "State/Region", "Postal Code",
    "Country/Region", "Lifecycle Stage", "Lead Status", "Marketing contact status",
    "Unsubscribed from all email", "Contact owner", "Create Date", "Last Activity Date",
]  # fmt: skip


def hubspot(n: int = 1200, seed: int = 17004, excel: bool = False) -> Layout:
    """HubSpot's contact export (Contacts > Export view, CSV or XLSX), with the default contact
    properties' labels as HubSpot's knowledge base lists them ("Phone number", "Mobile phone
    number", "Country/Region", "State/Region"; the export capitalises each word) and the record's
    ``Record ID`` first.

    Quirks reproduced: two phone properties, both free text: ``Phone Number`` mostly the office
    or home line, sometimes the mobile, ``Mobile Phone Number`` the mobile as typed (national or
    international); ``Country/Region`` free text (names, UK/USA/UAE), empty for 15%;
    ``Lifecycle Stage`` "Subscriber" and ``Marketing contact status`` are not consents (traps);
    the e-mail consent is the opt-out ``Unsubscribed from all email`` (true/false); the job
    title is ``Job Title``, never a name's title. ``excel=True``: HubSpot's own XLSX export of
    the same view (every value a text cell, the Record ID a number).
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 4, "GB": 2, "DE": 2, "FR": 1, "IN": 2, "AU": 1, "BR": 1, "NL": 1, "AE": 1},
        email_rate=0.92, mobile_rate=0.7, landline_rate=0.5,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        record = str(rng.randrange(10**4, 10**11))
        mobile_col = person.mobile if person.mobile is not None and rng.random() < 0.75 else None
        phone_col = None
        if person.landline is not None and rng.random() < 0.8:
            phone_col = person.landline
        elif mobile_col is None and person.mobile is not None and rng.random() < 0.7:
            phone_col = person.mobile
        mobile_style, phone_style = (
            typed_style(rng, person.country),
            typed_style(rng, person.country),
        )
        if rng.random() < 0.3:
            mobile_style = "e164"
        country = typed_country(rng, person.country) if rng.random() < 0.85 else ""
        region = person.country if country else None
        unsubscribed = person.email is not None and rng.random() < 0.12
        rows.append([
            int(record) if excel else record, person.first, person.last, person.email or "",
            phone_cell(phone_col, phone_style) if phone_col is not None else "",
            phone_cell(mobile_col, mobile_style) if mobile_col is not None else "",
            rng.choice(["", "Acme Corp", "Globex", "Initech"]),
            rng.choice(["", "Director", "Dr.", "Manager", "Sales Rep"]),
            "", "", "", "", country,
            rng.choice(["Subscriber", "Lead", "Customer", "Marketing Qualified Lead"]),
            rng.choice(["", "New", "Open", "Connected"]),
            rng.choice(["Marketing contact", "Non-marketing contact"]),
            ("true" if unsubscribed else "false") if person.email else "",
            rng.choice(["", "sales@example.com"]), "2024-03-05 10:12", "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((mobile_col, mobile_style, region), (phone_col, phone_style, region)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.opted_out(unsubscribed) if person.email else oracle.NONE,
                external_id=record,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    name, file = ("hubspot_xlsx", "hubspot-crm-exports-all-contacts.xlsx") if excel else (
        "hubspot", "hubspot-crm-exports-all-contacts.csv")  # fmt: skip
    return Layout(name, file, HUBSPOT, rows, expected)


def hubspot_xlsx() -> Layout:
    return hubspot(excel=True)


__all__ = ["hubspot", "hubspot_xlsx", "pick"]
