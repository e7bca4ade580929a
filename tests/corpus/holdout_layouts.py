"""The held-out layouts (1/2): exports of platforms neither the corpus nor the draft was tuned on.

Issue 17: "the numbers of this issue are checked again on exports of platforms it does not
name". These layouts are that check. They reuse the corpus's truth (corpus_people), oracle
(corpus_oracle), writers (corpus_write) and judge (corpus_harness) unchanged; only the layouts
are new. Nobody tuning ``importer init`` should read them to make them pass: a rule that makes
one of them pass must be right for every export of its kind.

This module also teaches corpus_people three countries its plans lack (Austria, Switzerland,
Italy): Austria's plan, like Germany's, accepts digit strings of many lengths, Switzerland
shares German names and trunk habits, and Italy keeps its leading 0 in the international
number of a landline (+39 06 ...), so its national digits are not "trunk 0 + rest".
"""

from __future__ import annotations

import random

import corpus_oracle as oracle
import corpus_people
from corpus_layouts_shop import first_mobile
from corpus_people import _digits, people
from corpus_write import Layout, country_name, phone_cell, pick

#: countries the held-out files use besides the corpus's own (added, never overriding)
MORE_LOCALES = {"AT": "de_AT", "CH": "de_CH", "IT": "it_IT"}
MORE_PLANS = {
    "AT": (lambda r: r.choice(["650", "660", "664", "676", "680", "681", "688", "699"])
           + _digits(r, r.choice([6, 7, 8])),
           lambda r: r.choice(["1", "316", "512", "662", "732"]) + r.choice("2345678")
           + _digits(r, 5)),
    "CH": (lambda r: r.choice(["76", "77", "78", "79"]) + _digits(r, 7),
           lambda r: r.choice(["44", "31", "61", "21", "22"]) + r.choice("2345678")
           + _digits(r, 6)),
    "IT": (lambda r: "3" + r.choice(["20", "28", "33", "35", "38", "40", "47", "49"])
           + _digits(r, 7),
           lambda r: r.choice(["06", "02", "011", "055"]) + r.choice("2345678") + _digits(r, 6)),
}  # fmt: skip
for _code, _locale in MORE_LOCALES.items():
    corpus_people.LOCALES.setdefault(_code, _locale)
for _code, _plan in MORE_PLANS.items():
    corpus_people.PLANS.setdefault(_code, _plan)


OUTLOOK = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title", "Business Street", "Business City", "Business State", "Business Postal Code",
    "Business Country/Region", "Home Street", "Home City", "Home State", "Home Postal Code",
    "Home Country/Region", "Business Fax", "Business Phone", "Business Phone 2", "Home Phone",
    "Home Phone 2", "Mobile Phone", "Other Phone", "Pager", "Birthday", "Categories",
    "E-mail Address", "E-mail Type", "E-mail Display Name", "E-mail 2 Address", "Notes",
    "Web Page",
]  # fmt: skip

#: how people type a mobile into Outlook's contact card, by the country's habits
OUTLOOK_STYLES = {"national": 4, "intl": 4, "intl_trunk": 1, "e164": 1}
OUTLOOK_STYLES_NANP = {"national": 4, "dashes": 2, "intl": 2}


def outlook(n: int = 600, seed: int = 17101) -> Layout:
    """A Microsoft Outlook contacts export (File > Open & Export > Import/Export > Export to a
    file > Comma Separated Values), from a shop in Vienna that kept its regulars in Outlook.
    Columns as Outlook's CSV schema names them ("Outlook Contact Fields", spstechnical.com's
    table of Outlook's import/export fields: ``Title``, ``First Name``, ``Middle Name``,
    ``Last Name``, ``Suffix``, ``Business ...``/``Home ... Country/Region``, ``Business Phone``,
    ``Home Phone``, ``Mobile Phone``, ``E-mail Address``, ``E-mail Type``, ``E-mail Display
    Name``), a subset in Outlook's order.

    Quirks reproduced: three phone columns, of which only ``Mobile Phone`` holds mobiles
    (``Business Phone``/``Home Phone`` are landlines); numbers as people type them into the
    card (national ``0664 1234567``, international, ``+43 (0)664 ...``); the country only as a
    typed name in ``Home Country/Region`` (or, for contacts with a company, in ``Business
    Country/Region`` instead), empty for a third; Austrian/German academic titles (``Mag.``,
    ``Dr.``, ``Dipl.-Ing.``) in ``Title`` and degrees in ``Suffix``, never in the names;
    ``E-mail Type`` ``SMTP`` and ``E-mail Display Name`` ``First Last (address)``; no consent.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"AT": 4, "DE": 3, "CH": 2, "IT": 1, "GB": 1, "US": 1, "CA": 1},
        email_rate=0.8, mobile_rate=0.75, landline_rate=0.4, titles=0.15,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        nanp = person.country in ("US", "CA")
        style = pick(rng, OUTLOOK_STYLES_NANP if nanp else OUTLOOK_STYLES)
        has_company = rng.random() < 0.3
        where = rng.random()
        home_country = country_name(person.country) if where < 0.55 else ""
        business_country = (
            country_name(person.country) if has_company and not home_country and where < 0.8 else ""
        )
        region = person.country if home_country or business_country else None
        landline = phone_cell(person.landline, "national") if person.landline else ""
        title = person.title or ("Mag." if person.country == "AT" and rng.random() < 0.05 else "")
        email = person.email or ""
        display = f"{person.first} {person.last} ({email})" if email else ""
        rows.append([
            title, person.first, "", person.last, person.suffix or "",
            "Muster GmbH" if has_company else "", "", "Einkauf" if has_company else "",
            "Hauptstraße 1" if business_country else "", "", "", "",
            business_country,
            "Ringstraße 7" if home_country else "", "Wien" if home_country else "", "",
            f"{rng.randrange(1010, 9999)}" if home_country else "", home_country,
            "", landline if has_company else "", "", "" if has_company else landline, "",
            phone_cell(person.mobile, style) if person.mobile else "", "", "", "",
            "Stammkunden" if rng.random() < 0.4 else "",
            email, "SMTP" if email else "", display, "", "", "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(person.mobile, style, region) if person.mobile else None,
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_outlook", "contacts.CSV", OUTLOOK, rows, expected)


BREVO = [
    "CONTACT ID", "EMAIL", "NOM", "PRENOM", "SMS", "LANDLINE_NUMBER", "WHATSAPP", "EXT_ID",
    "EMAIL_BLACKLISTED", "SMS_BLACKLISTED", "ADDED_TIME", "MODIFIED_TIME",
]  # fmt: skip


def brevo(n: int = 600, seed: int = 17102) -> Layout:
    """A Brevo (formerly Sendinblue) contacts export (CRM > Contacts > Export, all contacts),
    from a French account. Brevo's help centre ("Create a file to import your contacts" and
    "Exporter vos contacts à partir de Brevo") gives the default attributes ``EMAIL``,
    ``FIRSTNAME``, ``LASTNAME``, ``SMS``, ``LANDLINE_NUMBER``, ``WHATSAPP``, ``EXT_ID``, and
    says the names of the first- and last-name attributes follow the account's language:
    a French account has ``PRENOM`` and ``NOM``. ``SMS`` must carry the country code (``+33…``,
    ``0033…``); the developer docs name the per-channel blocklist flags (``emailBlacklisted``,
    ``smsBlacklisted``).

    Quirks reproduced: ``;``-separated; ``NOM`` before ``PRENOM`` (the attribute order of the
    account); ``SMS`` in international form, as E.164 or with ``00``, never national, and no country
    column at all; ``LANDLINE_NUMBER`` E.164 landlines; ``WHATSAPP`` the mobile again for some;
    ``CONTACT ID`` Brevo's own id of the contact (issue 17 names "Contact ID" among the id columns:
    it is the customer's id here) and ``EXT_ID`` the shop's id for about half (empty for newsletter
    sign-ups); SMS-only contacts (no e-mail); ``EMAIL_BLACKLISTED`` and ``SMS_BLACKLISTED``
    ``Yes``/``No`` (opt-out flags: a ``No`` is not a yes). (Brevo's export writes the flags as its
    UI shows them; ``Yes``/``No`` was chosen where the exact spelling could not be confirmed.)
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"FR": 5, "DE": 1, "AT": 1, "CH": 1, "IT": 1, "ES": 1},
        email_rate=0.85, mobile_rate=0.7, landline_rate=0.15,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        style = pick(rng, {"e164": 3, "00": 1})
        sms = phone_cell(person.mobile, style) if person.mobile else ""
        ext_id = f"CUST-{10000 + person.index}" if rng.random() < 0.5 else ""
        mail_out = person.email is not None and rng.random() < 0.12
        sms_out = bool(sms) and rng.random() < 0.2
        rows.append([
            str(person.index + 1), person.email or "", person.last, person.first, sms,
            phone_cell(person.landline, "e164") if person.landline else "",
            sms if sms and rng.random() < 0.3 else "", ext_id,
            "Yes" if mail_out else "No", "Yes" if sms_out else "No",
            "2023-03-14T09:26:53.000+01:00", "2024-01-02T17:01:12.000+01:00",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(person.mobile, style, None) if person.mobile else None,
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                sms=oracle.opted_out(sms_out),
                mail=oracle.opted_out(mail_out),
                external_id=str(person.index + 1),
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_brevo", "contacts_export.csv", BREVO, rows, expected, delimiter=";")


_ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
STRIPE = [
    "id", "Description", "Email", "Name", "Created (UTC)", "Card ID", "Card Last4",
    "Card Brand", "Card Exp Month", "Card Exp Year", "Card Country", "Currency", "Delinquent",
    "Business Vat ID", "Address Line1", "Address Line2", "Address City", "Address State",
    "Address Country", "Address Zip", "Shipping Name", "Shipping Address Line1",
    "Shipping Address City", "Shipping Address Country", "Shipping Phone", "Phone",
    "Total Spend", "Payment Count",
]  # fmt: skip


def stripe(n: int = 600, seed: int = 17103) -> Layout:
    """A Stripe customers export (Dashboard > Customers > Export, default columns), from a
    subscription business selling in North America and Europe. Stripe's docs ("Export file
    formats") name the customer fields (``id`` in ``cus_XXXXX`` form, ``description``,
    ``name`` the customer's whole name, ``email``, the card's ``address_country``); the
    dashboard export writes them as ``id``, ``Description``, ``Email``, ``Name``, ``Created
    (UTC)``, ``Card ...``, ``Address ...``, ``Shipping ...``, ``Phone`` (third-party guides to
    the export, e.g. Cello's, show ``id`` and ``Created (UTC)``).

    Quirks reproduced: the whole name in ``Name`` (no first/last columns); ``Phone`` as
    Checkout collected it (E.164) or as typed in the dashboard (national, in the address's
    country); ``Card Country`` is the country of the bank that issued the card, not where the
    customer lives (different for 1 in 8: a British card of a German resident), and
    ``Address Country`` (ISO codes) is empty for the 40% whose address Checkout did not
    collect; ``Shipping Phone`` sometimes a landline; ``Description`` free text; no consent
    columns at all.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 4, "CA": 2, "GB": 2, "DE": 1, "AT": 1, "AU": 1},
        email_rate=0.95, mobile_rate=0.6, landline_rate=0.15,
    )  # fmt: skip
    countries = ["US", "GB", "DE", "CA", "FR", "IE", "NL"]
    rows, expected = [], []
    for person in crowd:
        has_address = rng.random() < 0.6
        style = "e164" if rng.random() < 0.65 else ("national" if has_address else "intl")
        phone = phone_cell(person.mobile, style) if person.mobile else ""
        card = person.country if rng.random() < 0.875 else rng.choice(countries)
        ship_phone = ""
        if person.landline is not None and rng.random() < 0.5:
            ship_phone = phone_cell(person.landline, "intl")
        customer_id = "cus_" + "".join(rng.choice(_ID_LETTERS) for _ in range(14))
        rows.append([
            customer_id, rng.choice(["", "", "Annual plan", f"Customer for {person.email}"]),
            person.email or "", f"{person.first} {person.last}", "2023-05-17 08:12:45",
            "card_" + customer_id[4:], f"{rng.randrange(10000):04d}",
            rng.choice(["Visa", "MasterCard", "American Express"]),
            str(rng.randrange(1, 13)), str(rng.randrange(2025, 2031)), card,
            rng.choice(["usd", "eur", "gbp"]), "false", "",
            "12 High Street" if has_address else "", "", "Springfield" if has_address else "",
            "", person.country if has_address else "", "12345" if has_address else "",
            f"{person.first} {person.last}" if ship_phone else "",
            "12 High Street" if ship_phone else "", "Springfield" if ship_phone else "",
            person.country if ship_phone else "", ship_phone, phone,
            f"{rng.randrange(0, 500000) / 100:.2f}", str(rng.randrange(0, 40)),
        ])  # fmt: skip
        region = person.country if has_address else None
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((person.mobile, style, region)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                external_id=customer_id,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("holdout_stripe", "customers.csv", STRIPE, rows, expected)
