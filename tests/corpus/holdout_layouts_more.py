"""The held-out layouts (2/2): BigCommerce customers, Eventbrite attendees, Odoo and Wix contacts.

See holdout_layouts for why these exist and what they reuse.
"""

from __future__ import annotations

import random

import corpus_oracle as oracle
import holdout_layouts  # noqa: F401  (registers AT, CH, IT with corpus_people)
from corpus_layouts_shop import first_mobile, typed_style
from corpus_people import people
from corpus_write import Layout, country_name, phone_cell, pick

BIGCOMMERCE = [
    "Customer ID", "Email Address", "First Name", "Last Name", "Company", "Phone", "Notes",
    "Store Credit", "Customer Group", "Date Joined", "Addresses",
    "Receive Review/Abandoned Cart Emails?",
]  # fmt: skip


def _bigcommerce_address(rng: random.Random, index: int, person, phone: str) -> str:
    return (
        f"Address ID: {index}, Address First Name: {person.first}, Address Last Name: "
        f"{person.last}, Address Company: , Address Line 1: {rng.randrange(1, 300)} Market "
        f"Street, Address Line 2: , City/Suburb: Springfield, State Abbreviation: , State: , "
        f"Zip/Postcode: {rng.randrange(10000, 99999)}, Country: {country_name(person.country)}, "
        f"Address Phone: {phone}"
    )


def bigcommerce(n: int = 600, seed: int = 17104) -> Layout:
    """A BigCommerce customer export (Customers > Export, the default template, CSV), as the
    BigCommerce Help Center's "Importing and Exporting Customers" describes it (e-mail, first
    and last name always exported; ``Addresses`` and the review/abandoned-cart e-mail flag
    among the exportable fields; the API's ``accepts_product_review_abandoned_cart_emails``).

    Quirks reproduced: every address of a customer in ONE ``Addresses`` cell, as ``Address ID: 1,
    Address First Name: …, Country: United Kingdom, Address Phone: …`` with ``|`` between addresses,
    so the country is inside a cell and no column holds it; ``Phone`` the account's phone as the
    shopper typed it (national for most, ``+`` for some), sometimes a landline, and ``Address
    Phone`` perhaps the same number typed again; ``Receive Review/Abandoned Cart Emails?``
    ``Yes``/``No``, ``No`` for 93% (the box is unticked by default) (a consent to review and
    cart-reminder e-mails, close to but not quite marketing: sending it on the e-mail channel or not
    at all are both accepted); ``Customer Group`` names; ``Store Credit`` ``0.0000``.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 3, "CA": 2, "GB": 2, "AU": 1, "DE": 1, "AT": 1},
        email_rate=1.0, mobile_rate=0.7, landline_rate=0.2, broken_email_rate=0.002,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        number = person.mobile
        if person.landline is not None and (number is None or rng.random() < 0.3):
            number = person.landline
        style = typed_style(rng, person.country)
        phone = phone_cell(number, style) if number is not None else ""
        addresses = []
        if rng.random() < 0.8:
            addresses.append(_bigcommerce_address(rng, 2 * person.index + 1, person, phone))
            if rng.random() < 0.15:
                addresses.append(_bigcommerce_address(rng, 2 * person.index + 2, person, ""))
        reviews = rng.random() < 0.07  # the box is unticked by default
        rows.append([
            str(person.index + 1), person.email or "", person.first, person.last,
            "", phone, "", "0.0000", rng.choice(["", "Retail", "Wholesale"]),
            "Tue, 14 Mar 2023 09:26:53 +0000", "|".join(addresses), "Yes" if reviews else "No",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((number, style, None)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.Consent(reviews, frozenset({None})),
                external_id=str(person.index + 1),
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_bigcommerce", "customers-2024-01-15.csv", BIGCOMMERCE, rows, expected)


EVENTBRITE = [
    "Order #", "Order Date", "Prefix", "First Name", "Last Name", "Suffix", "Email", "Quantity",
    "Price Tier", "Ticket Type", "Attendee #", "Group", "Order Type", "Currency", "Total Paid",
    "Eventbrite Fees", "Eventbrite Payment Processing", "Attendee Status", "Home Address 1",
    "Home Address 2", "Home City", "Home State", "Home Zip", "Home Country", "Cell Phone",
    "Home Phone", "Work Phone", "Company", "Job Title",
]  # fmt: skip


def eventbrite(n: int = 600, seed: int = 17105, *, groups: bool = True) -> Layout:
    """An Eventbrite attendee summary report (Reports > Attendee summary > Export, CSV) of a
    trade fair, with the checkout form asking for the cell phone and home address. Columns as
    the report writes them; the attendee fields are those Eventbrite's developer docs list for
    an attendee (``prefix``, ``first_name``, ``last_name``, ``suffix``, ``email``, home and
    work address, ``cell_phone``, ``home_phone``, ``work_phone``, ``company``, ``job_title``,
    ``order_id``, ``quantity``).

    Quirks reproduced: one row per ticket, so the attendees of a group order (1 in 5 orders is of
    two or three tickets) share its ``Order #`` and ``Quantity``; ``Order #`` and ``Attendee #`` are
    long numbers: an order's, shared by its tickets, and the attendee's own, unique (Eventbrite's id
    of the attendee, as the contact id of a CRM: the customer's id here, never the order's); ``Cell
    Phone`` typed by the attendee, by their country's habits; ``Home Phone``/``Work Phone``
    landlines; ``Home Country`` the ISO code, filled only for the 70% who gave an address;
    ``Prefix``/``Suffix`` (titles and degrees) apart; no consent column.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 3, "CA": 1, "GB": 2, "DE": 2, "AT": 1, "IN": 1, "AU": 1},
        email_rate=0.97, mobile_rate=0.7, landline_rate=0.3, titles=0.2,
    )  # fmt: skip
    rows, expected = [], []
    order, left, quantity = 7_812_345_000, 0, 1
    for person in crowd:
        if left == 0:  # a new order: of one ticket mostly, of two or three for a group
            order += rng.randrange(1, 40)
            left = quantity = rng.choices([1, 2, 3], [8, 1, 1] if groups else [1, 0, 0])[0]
        left -= 1
        attendee = str(order * 10 + quantity - 1 - left)  # unique: its order, its place in it
        style = typed_style(rng, person.country)
        has_address = rng.random() < 0.7
        landline = phone_cell(person.landline, "national") if person.landline else ""
        work = rng.random() < 0.4
        rows.append([
            str(order), "2024-03-02 10:14:07-05:00", person.title or "", person.first,
            person.last, person.suffix or "", person.email or "", str(quantity), "",
            pick(rng, {"General Admission": 3, "VIP": 1, "Exhibitor": 1}),
            attendee, "", "Eventbrite Completed", "USD",
            f"{rng.choice([0, 45, 120])}.00", "3.49", "1.12",
            pick(rng, {"Attending": 4, "Checked In": 1}),
            "5 Harbour Road" if has_address else "", "", "Springfield" if has_address else "",
            "", "10115" if has_address else "", person.country if has_address else "",
            phone_cell(person.mobile, style) if person.mobile else "",
            "" if work else landline, landline if work else "",
            "Acme Ltd" if work else "", "Buyer" if work else "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((person.mobile, style, person.country if has_address else None)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                external_id=attendee,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    name = "holdout_eventbrite" if groups else "holdout_eventbrite_workshop"
    return Layout(name, "report-attendees.csv", EVENTBRITE, rows, expected)


def eventbrite_workshop(n: int = 400, seed: int = 17107) -> Layout:
    """The same Eventbrite attendee report, of a workshop whose checkout sells one ticket per
    order (the event's "maximum quantity per order" set to 1): every ``Order #`` is then unique,
    a long number on every row, and still an order's, not the attendee's."""
    return eventbrite(n, seed, groups=False)


ODOO = [
    "id", "name", "display_name", "email", "phone", "mobile", "country_id", "street", "city",
    "zip", "function", "parent_id", "is_company", "is_blacklisted", "category_id",
]  # fmt: skip


def odoo(n: int = 600, seed: int = 17106) -> Layout:
    """An Odoo Contacts export (Contacts > list view > select all > Action > Export, "I want
    to update data (import-compatible export)", CSV), as Odoo's documentation ("Export and
    import data") describes it: technical field names as headers, the record's external id in
    ``id`` (``__export__.res_partner_42_1a2b3c4d`` for records created in the UI), many2one
    fields (``country_id``, ``parent_id``) by their display name. Fields of ``res.partner``
    (``name``, ``email``, ``phone``, ``mobile``, ``country_id``, ``is_company``,
    ``is_blacklisted`` from mass mailing).

    Quirks reproduced: the person's whole name in ``name``, and in ``display_name`` prefixed by
    the company (``Azure Interior, Brandon Freeman``) for contacts of a company; ``phone`` the
    landline (office) and ``mobile`` the mobile, formatted by Odoo's phone validation in the
    contact's country (international ``+43 664 1234567`` for most, national where the
    contact has no country); ``country_id`` the English country name, empty for 1 in 5;
    ``is_blacklisted`` ``True``/``False`` (an opt-out of mass mailing: e-mail only);
    ``is_company`` ``False`` for every row (companies filtered out of the view).
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"DE": 3, "AT": 3, "CH": 2, "FR": 1, "IT": 1, "US": 1},
        email_rate=0.85, mobile_rate=0.75, landline_rate=0.4,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        has_country = rng.random() < 0.8
        style = "intl" if has_country else pick(rng, {"national": 1, "intl": 1})
        in_company = rng.random() < 0.35
        company = (
            rng.choice(["Azure Interior", "Deco Addict", "Gemini Furniture"]) if in_company else ""
        )
        name = f"{person.first} {person.last}"
        blacklisted = person.email is not None and rng.random() < 0.1
        rows.append([
            f"__export__.res_partner_{person.index + 7}_{rng.randrange(16**8):08x}", name,
            f"{company}, {name}" if company else name, person.email or "",
            phone_cell(person.landline, style) if person.landline else "",
            phone_cell(person.mobile, style) if person.mobile else "",
            country_name(person.country) if has_country else "", "Hauptplatz 3", "Graz",
            "8010", "Einkauf" if company else "", company, "False",
            "True" if blacklisted else "False", rng.choice(["", "", "VIP", "Retail"]),
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((person.mobile, style, person.country if has_country else None)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.opted_out(blacklisted),
                external_id=rows[-1][0],
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_odoo", "res.partner.csv", ODOO, rows, expected)


WIX = [
    "First Name", "Last Name", "Email 1", "Email 2", "Phone 1", "Phone 2", "Address 1 - Street",
    "Address 1 - City", "Address 1 - Zip", "Address 1 - Country", "Labels",
    "Email subscriber status", "SMS subscriber status", "Birth Date", "Company", "Position",
    "Created At (UTC+0)",
]  # fmt: skip
#: Wix's subscription statuses (its help centre's words) and how often a contact has each
WIX_STATUS = {"Subscribed": 4, "Unsubscribed": 1, "Never subscribed": 4}


def _wix(status: str) -> oracle.Consent:
    """Subscribed is a yes, Unsubscribed a no; Never subscribed is a no that may be left out."""
    if status == "Subscribed":
        return oracle.Consent(True)
    if status == "Unsubscribed":
        return oracle.Consent(False)
    return oracle.Consent(False, frozenset({None})) if status else oracle.NONE


def wix(n: int = 600, seed: int = 17108) -> Layout:
    """A Wix contacts export (the site's dashboard > Contacts > More actions > Export, CSV) of a
    small Swiss-Austrian shop on Wix. Wix's help centre names the contact's fields (first and
    last name, several e-mails and phones, addresses, labels) and the subscription statuses a
    contact has for e-mail and for SMS: ``Never subscribed`` (interacted with the site, never
    opted in: no marketing), ``Subscribed``, ``Unsubscribed`` ("Changing a Contact's
    Subscription Status"); the export writes each numbered e-mail, phone and address in
    columns of its own (``Email 1``, ``Phone 1``, ``Address 1 - Country``).

    Quirks reproduced: ``Phone 1`` the number the contact typed in a form (a mobile, or a
    landline for some), ``Phone 2`` the other one; numbers as typed (``0664 1234567``,
    ``+41 79 …``, ``076 123 45 67``); ``Address 1 - Country`` the ISO code, only for the 55% who
    ordered something; ``Email subscriber status`` and ``SMS subscriber status`` in Wix's
    words, ``Never subscribed`` the most common after ``Subscribed`` (a no, which may also be
    left out), ``SMS subscriber status`` empty for contacts without a phone; ``Labels``
    (``Customers; Site Members``); ``Email 2`` a second address for a few. (The export's exact
    header spellings could not be confirmed; these follow the dashboard's labels.)
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"CH": 3, "AT": 3, "DE": 2, "IT": 1, "US": 1, "CA": 1},
        email_rate=0.9, mobile_rate=0.7, landline_rate=0.35,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        phones = [p for p in (person.mobile, person.landline) if p is not None]
        if len(phones) == 2 and rng.random() < 0.25:
            phones.reverse()  # the landline typed first
        styles = [pick(rng, {"national": 5, "intl": 3, "e164": 1}) for _ in range(2)]
        cells = [phone_cell(p, st) for p, st in zip(phones, styles, strict=False)]
        cells += [""] * (2 - len(cells))
        has_address = rng.random() < 0.55
        region = person.country if has_address else None
        mail = pick(rng, WIX_STATUS) if person.email else ""
        sms = pick(rng, WIX_STATUS) if phones else ""
        second = (
            f"{person.first.lower()}@{person.last.lower()}.example" if rng.random() < 0.05 else ""
        )
        rows.append([
            person.first, person.last, person.email or "", second, *cells,
            "Bahnhofstrasse 1" if has_address else "", "Zürich" if has_address else "",
            "8001" if has_address else "", person.country if has_address else "",
            pick(rng, {"Customers": 2, "Site Members": 1, "Customers; Site Members": 1}),
            mail, sms, "", "", "", "2023-09-14T08:31:02Z",
        ])  # fmt: skip
        candidates = [(p, st, region) for p, st in zip(phones, styles, strict=False)]
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile(*candidates),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                sms=_wix(sms),
                mail=_wix(mail),
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_wix", "contacts.csv", WIX, rows, expected)


def _registry():
    from holdout_layouts import brevo, outlook, stripe

    return {
        "holdout_outlook": outlook,
        "holdout_brevo": brevo,
        "holdout_stripe": stripe,
        "holdout_bigcommerce": bigcommerce,
        "holdout_eventbrite": eventbrite,
        "holdout_eventbrite_workshop": eventbrite_workshop,
        "holdout_odoo": odoo,
        "holdout_wix": wix,
    }


#: every held-out layout by name (tests/corpus/test_holdout.py runs each)
HOLDOUT = _registry()
