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


def shopify(n: int = 1000, seed: int = 17001) -> Layout:
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


def magento(n: int = 800, seed: int = 17002) -> Layout:
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


WOOCOMMERCE = [
    "customer_id", "first_name", "last_name", "user_login", "email", "date_registered",
    "billing_first_name", "billing_last_name", "billing_company", "billing_email", "billing_phone",
    "billing_address_1", "billing_address_2", "billing_postcode", "billing_city", "billing_state",
    "billing_country", "shipping_first_name", "shipping_last_name", "shipping_company",
    "shipping_address_1", "shipping_address_2", "shipping_postcode", "shipping_city",
    "shipping_state", "shipping_country", "total_spent", "order_count",
]  # fmt: skip


def woocommerce(n: int = 700, seed: int = 17005) -> Layout:
    """WooCommerce customers as the Customer/Order/Coupon Export extension (SkyVerge, sold on
    woocommerce.com) writes them in its default customer format: ``customer_id``, the account's
    ``first_name``/``last_name``/``email``, then ``billing_*`` and ``shipping_*`` columns.

    Quirks reproduced: guests (who bought without an account) have ``customer_id`` 0 and an
    empty ``user_login`` and account name, their name and e-mail only in ``billing_*``;
    ``billing_phone`` is the checkout's free-text phone, typed in the billing country's way
    (``billing_country`` an ISO code), a landline for many; ``billing_email`` is sometimes
    another address than the account's; no consent column (WooCommerce core has none).
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 3, "GB": 2, "DE": 2, "FR": 1, "ES": 1, "NL": 1, "AU": 1, "IN": 1},
        email_rate=1.0, mobile_rate=0.65, landline_rate=0.4,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        guest = rng.random() < 0.15
        customer_id = "0" if guest else str(100 + person.index)
        number = person.mobile
        if person.landline is not None and (number is None or rng.random() < 0.35):
            number = person.landline
        if rng.random() < 0.08:
            number = None
        style = typed_style(rng, person.country)
        billing_email = person.email
        if not guest and rng.random() < 0.05:
            billing_email = f"billing.{person.index}@example.com"
        login = "" if guest else (person.email or "").split("@")[0]
        rows.append([
            customer_id, "" if guest else person.first, "" if guest else person.last, login,
            person.email or "", "" if guest else "2021-05-04 10:11:12",
            person.first, person.last, "", billing_email or "",
            phone_cell(number, style) if number is not None else "",
            f"{rng.randrange(1, 300)} High Street", "", f"{rng.randrange(10000, 99999)}",
            "Springfield", "", person.country,
            person.first, person.last, "", "", "", "", "", "", person.country,
            f"{rng.randrange(0, 90000) / 100:.2f}", str(rng.randrange(1, 20)),
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(number, style, person.country),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                external_id=None if guest else customer_id,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("woocommerce", "customer-export.csv", WOOCOMMERCE, rows, expected)


SQUARE = [
    "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname",
    "Company Name", "Street Address 1", "Street Address 2", "City", "State", "Postal Code",
    "Birthday", "Memo", "Square Customer ID", "Creation Source", "First Visit", "Last Visit",
    "Transaction Count", "Total Spend", "Email Subscription Status", "Instant Profile",
]  # fmt: skip
_SQUARE_ID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def square(n: int = 800, seed: int = 17010) -> Layout:
    """Square's customer directory export (Dashboard > Customers > Directory > Export
    customers), with the columns Square's import/export help pages list: ``Reference ID``,
    ``First Name``, ``Last Name``, ``Email Address``, ``Phone Number``, the address, ``Birthday``,
    ``Memo``, ``Square Customer ID``, ``Creation Source``, visits, ``Transaction Count``,
    ``Total Spend``, ``Email Subscription Status``, ``Instant Profile``.

    Quirks reproduced: a US merchant's directory with no country column at all: US and Canadian
    numbers written nationally, ``(415) 555-0123``, visitors' numbers with their + code;
    Instant Profiles (made from a card payment: a name and nothing to reach them by);
    ``Email Subscription Status`` Subscribed/Unsubscribed/empty; ``Reference ID`` mostly empty.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 16, "CA": 1, "GB": 1, "MX": 1, "FR": 1},
        email_rate=0.65, mobile_rate=0.7, landline_rate=0.0,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        instant = rng.random() < 0.12
        email = None if instant else person.email
        number = None if instant else person.mobile
        domestic = person.country in ("US", "CA")
        style = pick(rng, {"national": 6, "e164": 1} if domestic else {"intl": 3, "e164": 1})
        status = rng.choice(["Subscribed", "Subscribed", "Unsubscribed", ""]) if email else ""
        customer_id = "".join(rng.choice(_SQUARE_ID) for _ in range(26))
        reference = f"R{person.index}" if rng.random() < 0.1 else ""
        rows.append([
            reference, person.first, person.last,
            email or "", phone_cell(number, style) if number is not None else "", "", "",
            "", "", "", "", "", "", "", customer_id,
            "Instant Profile" if instant else rng.choice(["Directory", "Third Party", "Booking"]),
            "2022-04-05", "2023-07-08", str(rng.randrange(1, 40)),
            f"${rng.randrange(100, 90000) / 100:,.2f}", status, "Yes" if instant else "No",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(number, style, None),
                oracle.email(email, person.email_valid),
                person.first,
                person.last,
                mail={
                    "Subscribed": oracle.Consent(True),
                    "Unsubscribed": oracle.Consent(False),
                }.get(status, oracle.NONE),
                external_id=customer_id,
                also_ids=frozenset({reference} - {""}),
                numbers=oracle.numbers_of(person.mobile),
            )
        )
    return Layout("square", "customers.csv", SQUARE, rows, expected)


LIGHTSPEED = [
    "id", "customer_code", "first_name", "last_name", "email", "year_to_date", "balance",
    "loyalty_balance", "note", "gender", "date_of_birth", "company_name", "do_not_email",
    "phone", "mobile", "fax", "twitter", "website", "physical_address_1", "physical_address_2",
    "physical_suburb", "physical_city", "physical_postcode", "physical_state",
    "physical_country_id", "postal_address_1", "postal_address_2", "postal_suburb",
    "postal_city", "postal_postcode", "postal_state", "postal_country_id",
    "customer_group_name", "enable_loyalty",
]  # fmt: skip


def lightspeed(n: int = 800, seed: int = 17011) -> Layout:
    """Lightspeed Retail (X-Series, formerly Vend) customers as its customer export/import CSV
    names them (Lightspeed Retail X-Series help, "Importing customers": ``customer_code``,
    ``first_name``, ``last_name``, ``email``, ``phone``, ``mobile``, ``do_not_email``,
    ``physical_*`` and ``postal_*`` addresses with ``*_country_id`` as ISO codes,
    ``customer_group_name``, ``enable_loyalty``) with the record's ``id`` (a UUID) first.

    Quirks reproduced: snake_case headers; ``phone`` the home or work line and ``mobile`` the
    mobile, each typed in the store's country's way; the country only in
    ``physical_country_id`` (empty when no address was taken); ``do_not_email`` and
    ``enable_loyalty`` flags written 1/0; ``customer_code`` a store-made code; walk-in customers
    with a name only.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"AU": 4, "GB": 2, "US": 2, "CA": 1, "NL": 1},
        email_rate=0.75, mobile_rate=0.7, landline_rate=0.45,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        uuid = "-".join(
            "".join(rng.choice("0123456789abcdef") for _ in range(k)) for k in (8, 4, 4, 4, 12)
        )
        has_address = rng.random() < 0.7
        region = person.country if has_address else None
        styles = [typed_style(rng, person.country) for _ in range(2)]
        if person.country == "AU":
            styles = [pick(rng, {"national": 4, "national_digits": 2, "intl": 1}) for _ in range(2)]
        do_not_email = person.email is not None and rng.random() < 0.12
        code = f"{(person.first or 'X')[:5]}-{rng.randrange(1000, 9999)}"
        rows.append([
            uuid, code, person.first, person.last, person.email or "",
            f"{rng.randrange(0, 300000) / 100:.2f}", "0.00", str(rng.randrange(0, 500)), "",
            rng.choice(["M", "F", ""]), "", "", "1" if do_not_email else "0",
            phone_cell(person.landline, styles[0]) if person.landline is not None else "",
            phone_cell(person.mobile, styles[1]) if person.mobile is not None else "",
            "", "", "", "", "", "", "", "", "", region or "", "", "", "", "", "", "", "",
            rng.choice(["All Customers", "VIP", "Staff"]), rng.choice(["1", "0"]),
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile(
                    (person.mobile, styles[1], region), (person.landline, styles[0], region)
                ),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.opted_out(do_not_email) if person.email else oracle.NONE,
                external_id=uuid,
                also_ids=frozenset({code}),
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("lightspeed", "customers-export.csv", LIGHTSPEED, rows, expected)
