"""Web-shop exports: Shopify, Magento (continuation rows), WooCommerce, Square, Lightspeed.

Each builder's docstring says where its layout comes from and which quirks it reproduces; each
draws its people with a fixed seed (corpus_people) and asks the oracle (corpus_oracle) what the
importer must store for each of them.
"""

from __future__ import annotations

import random

import corpus_oracle as oracle
from corpus_people import Person, e164_digits, people
from corpus_write import Layout, phone_cell, pick

#: how shoppers type a phone in an address form (by the country's habits, roughly)
TYPED = {"national": 5, "intl": 3, "national_digits": 2, "e164": 1, "00": 1}
TYPED_US = {"national": 4, "dashes": 3, "e164": 1, "intl": 1, "dots": 1}


def typed_style(rng: random.Random, country: str) -> str:
    return pick(rng, TYPED_US if country in ("US", "CA") else TYPED)


def first_mobile(*candidates: tuple[object, str, str | None]) -> str | None:
    """The oracle's reading of several phone columns in order: the first that is a mobile."""
    for number, style, region in candidates:
        right = oracle.mobile(number, style, region)  # type: ignore[arg-type]
        if right is not None:
            return right
    return None


def _typed_name(rng: random.Random, name: str | None) -> str:
    """A name as a shopper types it: mostly as is, sometimes in lower case, rarely not at all."""
    if name is None or rng.random() < 0.03:
        return ""
    return name.lower() if rng.random() < 0.05 else name


def shopify(n: int = 1500, seed: int = 17001) -> Layout:
    """Shopify's customer export (Admin > Customers > Export, "CSV for Excel, Numbers, or other
    spreadsheet programs"), as documented in the Shopify Help Center's "Exporting customers"
    page and as the export writes it since SMS marketing consent was added.

    Quirks reproduced: ``Customer ID`` and numeric-looking phones and zips start with an
    apostrophe (Shopify's guard against Excel turning them into numbers); ``Phone`` is the
    account's phone in E.164 (the SMS marketing phone); ``Default Address Phone`` is whatever the
    shopper typed in the address form, in the address's own country (``Default Address Country
    Code``), sometimes a landline, sometimes the same mobile typed another way; ``Accepts Email
    Marketing`` and ``Accepts SMS Marketing`` are ``yes``/``no``; customers without any address
    have every ``Default Address`` column empty. About 88% have an e-mail and 73% a phone.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 5, "CA": 1, "GB": 2, "DE": 2, "FR": 1, "AU": 1, "IN": 1, "NL": 1},
        email_rate=0.88, mobile_rate=0.72, landline_rate=0.2,
    )  # fmt: skip
    header = [
        "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
        "Default Address Company", "Default Address Address1", "Default Address Address2",
        "Default Address City", "Default Address Province Code", "Default Address Country Code",
        "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
        "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
    ]  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        customer_id = str(7_000_000_000_000 + rng.randrange(10**12))
        account = person.mobile if person.mobile is not None and rng.random() < 0.7 else None
        has_address = rng.random() < 0.85
        address_number, style = None, "national"
        if has_address:
            roll = rng.random()
            if account is not None:
                address_number = account if roll < 0.5 else person.landline if roll < 0.7 else None
            else:
                address_number = (
                    person.mobile if person.mobile is not None and roll < 0.85 else None
                )
                if address_number is None and person.landline is not None and roll < 0.95:
                    address_number = person.landline
            style = typed_style(rng, person.country)
        address_cell = phone_cell(address_number, style) if address_number is not None else ""
        if address_cell[:1].isdigit() or address_cell.startswith("+"):
            address_cell = "'" + address_cell
        sms = account is not None and rng.random() < 0.45
        mail = person.email is not None and rng.random() < 0.55
        zip_code = f"{rng.randrange(10000, 99999)}" if has_address else ""
        rows.append([
            "'" + customer_id, _typed_name(rng, person.first), _typed_name(rng, person.last),
            person.email or "", "yes" if mail else "no",
            "", f"{rng.randrange(1, 400)} Main Street" if has_address else "", "",
            "Springfield" if has_address else "", "", person.country if has_address else "",
            "'" + zip_code if zip_code else "", address_cell,
            phone_cell(account, "e164_apostrophe") if account is not None else "",
            "yes" if sms else "no",
            f"{rng.randrange(0, 90000) / 100:.2f}", str(rng.randrange(0, 30)), "", "no", "",
        ])  # fmt: skip
        row = rows[-1]
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile(
                    (account, "e164", None),
                    (address_number, style, person.country if has_address else None),
                ),
                oracle.email(person.email, person.email_valid),
                row[1] or None,
                row[2] or None,
                sms=oracle.said(sms),
                mail=oracle.said(mail),
                external_id=customer_id,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("shopify", "customers_export.csv", header, rows, expected)


MAGENTO_CUSTOMER = [
    "email", "_website", "_store", "confirmation", "created_at", "created_in",
    "disable_auto_group_change", "dob", "firstname", "gender", "group_id", "lastname",
    "middlename", "password_hash", "prefix", "rp_token", "rp_token_created_at", "store_id",
    "suffix", "taxvat", "website_id", "password",
]  # fmt: skip
MAGENTO_ADDRESS = [
    "_address_city", "_address_company", "_address_country_id", "_address_fax",
    "_address_firstname", "_address_lastname", "_address_middlename", "_address_postcode",
    "_address_prefix", "_address_region", "_address_street", "_address_suffix",
    "_address_telephone", "_address_vat_id", "_address_default_billing_",
    "_address_default_shipping_",
]  # fmt: skip


def magento(n: int = 1200, seed: int = 17002) -> Layout:
    """Magento 1's combined customer export (System > Import/Export > Export, entity type
    "Customers"), the layout of Magento's Import/Export module documentation: the customer's
    columns (``email``, ``_website``, ``firstname``, ``lastname``, ``prefix``, ``gender`` ...)
    then the default address in ``_address_*`` columns; **each further address on a row of its
    own with the customer's columns left empty** (a continuation row, not a customer).

    Quirks reproduced: Magento has no customer phone, only ``_address_telephone`` (required by
    its address form), so that one column holds mobiles and landlines alike, typed in the
    address's country (``_address_country_id``); a quarter of the customers have no address
    (hence no phone at all), yet every customer has a valid, unique e-mail (Magento requires
    it); titles live in ``prefix``, never in the names; no consent column (newsletter
    subscriptions are another export), so no consent may be sent.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"DE": 3, "NL": 1, "FR": 2, "GB": 2, "ES": 1, "US": 1},
        email_rate=1.0, mobile_rate=0.7, landline_rate=0.45, broken_email_rate=0.0,
    )  # fmt: skip
    header = MAGENTO_CUSTOMER + MAGENTO_ADDRESS
    rows, expected, continuation = [], [], 0
    taken = {e164_digits(p) for c in crowd for p in (c.mobile, c.landline) if p is not None}
    for person in crowd:
        customer = dict.fromkeys(MAGENTO_CUSTOMER, "")
        customer.update(
            email=person.email, _website="base", _store="default", created_in="Default Store View",
            created_at=f"2019-0{rng.randrange(1, 10)}-1{rng.randrange(10)} 10:12:00",
            firstname=person.first, lastname=person.last, group_id="1", store_id="1",
            website_id="1", gender=rng.choice(["1", "2", ""]),
            prefix=rng.choice(["", "", "", "Mr", "Ms", "Dr"]),
        )  # fmt: skip
        addresses = 0 if rng.random() < 0.25 else 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
        default_number, style = None, "national"
        for position in range(addresses):
            phone = _address_phone(rng, person, position, taken)
            style = typed_style(rng, person.country)
            if position == 0:
                default_number = phone
            address = {
                "_address_city": "Berlin" if person.country == "DE" else "Springfield",
                "_address_country_id": person.country,
                "_address_firstname": person.first, "_address_lastname": person.last,
                "_address_postcode": f"{rng.randrange(10000, 99999)}",
                "_address_street": f"Street {rng.randrange(1, 300)}",
                "_address_telephone": phone_cell(phone, style),
                "_address_default_billing_": "1" if position == 0 else "",
                "_address_default_shipping_": "1" if position == 0 else "",
            }  # fmt: skip
            head = customer if position == 0 else dict.fromkeys(MAGENTO_CUSTOMER, "")
            rows.append([head.get(c, "") or "" for c in MAGENTO_CUSTOMER]
                        + [address.get(c, "") or "" for c in MAGENTO_ADDRESS])  # fmt: skip
            continuation += position > 0
        if addresses == 0:
            rows.append(
                [customer.get(c, "") or "" for c in MAGENTO_CUSTOMER] + [""] * len(MAGENTO_ADDRESS)
            )
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(default_number, style, person.country),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                numbers=oracle.numbers_of(person.mobile, person.landline, default_number),
            )
        )
    return Layout("magento", "customer_export.csv", header, rows, expected,
                  notes={"continuation rows": continuation})  # fmt: skip


def _address_phone(rng: random.Random, person: Person, position: int, taken: set[str]):
    """The default address carries the person's own phone (the mobile mostly, else the home
    landline); a further address (work, parents, a gift) someone else's, of either kind."""
    from corpus_people import draw_phone

    if position == 0:
        if person.mobile is not None and (person.landline is None or rng.random() < 0.6):
            return person.mobile
        if person.landline is not None:
            return person.landline
        return draw_phone(rng, person.country, False, taken) if rng.random() < 0.5 else \
            draw_phone(rng, person.country, True, taken)  # fmt: skip
    return draw_phone(rng, person.country, rng.random() < 0.4, taken)
