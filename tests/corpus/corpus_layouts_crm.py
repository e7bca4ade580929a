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


def hubspot(n: int = 800, seed: int = 17004, excel: bool = False) -> Layout:
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


SALESFORCE = [
    "ID", "ACCOUNTID", "SALUTATION", "FIRSTNAME", "LASTNAME", "EMAIL", "PHONE", "MOBILEPHONE",
    "HOMEPHONE", "MAILINGSTREET", "MAILINGCITY", "MAILINGSTATE", "MAILINGPOSTALCODE",
    "MAILINGCOUNTRY", "BIRTHDATE", "HASOPTEDOUTOFEMAIL", "DONOTCALL", "LEADSOURCE", "CREATEDDATE",
]  # fmt: skip
_SFID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def salesforce_id(rng: random.Random, prefix: str) -> str:
    """An 18-character record id (its 3-character key prefix: 003 for contacts)."""
    return prefix + "".join(rng.choice(_SFID) for _ in range(15))


def salesforce(n: int = 700, seed: int = 17006) -> Layout:
    """Salesforce contacts as Data Loader's Export writes them (Data Loader Guide, "Export
    Data"): every value quoted, the header the queried fields' API names in capitals (``ID``,
    ``FIRSTNAME``, ``MOBILEPHONE``, ``MAILINGCOUNTRY``, ``HASOPTEDOUTOFEMAIL``), checkboxes as
    ``true``/``false``, dates ISO, ``CREATEDDATE`` with milliseconds and ``Z``.

    Quirks reproduced: 18-character ids; ``SALUTATION`` in its own column (Mr., Ms., Dr.,
    Prof.), never in the names; Japanese contacts in kanji, family name in ``LASTNAME``;
    ``PHONE`` the business line (a landline mostly, a mobile for some), ``HOMEPHONE`` a
    landline, ``MOBILEPHONE`` the mobile, each as typed; ``MAILINGCOUNTRY`` free text (names,
    USA/UK, codes); e-mail consent only as the opt-out ``HASOPTEDOUTOFEMAIL``; ``DONOTCALL`` is
    about calls, not a text-message consent.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 4, "GB": 2, "DE": 2, "FR": 1, "AU": 1, "IN": 1, "JP": 1},
        email_rate=0.9, mobile_rate=0.7, landline_rate=0.6,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        record = salesforce_id(rng, "003")
        mobile_col = person.mobile if person.mobile is not None and rng.random() < 0.8 else None
        phone_col = person.landline if rng.random() < 0.7 else None
        if phone_col is None and mobile_col is None and person.mobile is not None:
            phone_col = person.mobile
        home = person.landline if phone_col is None and rng.random() < 0.3 else None
        styles = [typed_style(rng, person.country) for _ in range(3)]
        country = typed_country(rng, person.country) if rng.random() < 0.9 else ""
        region = person.country if country else None
        opted_out, dnc = rng.random() < 0.15, rng.random() < 0.1
        rows.append([
            record, salesforce_id(rng, "001"),
            rng.choice(["", "", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]),
            person.first, person.last, person.email or "",
            phone_cell(phone_col, styles[0]) if phone_col is not None else "",
            phone_cell(mobile_col, styles[1]) if mobile_col is not None else "",
            phone_cell(home, styles[2]) if home is not None else "",
            "", "", "", "", country,
            f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
            if rng.random() < 0.4 else "",
            "true" if opted_out else "false", "true" if dnc else "false",
            rng.choice(["Web", "Phone Inquiry", "Partner Referral", ""]),
            "2022-11-03T09:15:27.000Z",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((mobile_col, styles[1], region), (phone_col, styles[0], region)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                sms=oracle.Consent(None, frozenset({False})) if dnc else oracle.NONE,
                mail=oracle.opted_out(opted_out) if person.email else oracle.NONE,
                external_id=record,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("salesforce", "extract.csv", SALESFORCE, rows, expected, quote_all=True)


ZOHO = [
    "Record Id", "Contact Owner", "Lead Source", "Salutation", "First Name", "Last Name",
    "Account Name", "Email", "Secondary Email", "Title", "Department", "Phone", "Home Phone",
    "Mobile", "Date of Birth", "Email Opt Out", "Mailing Street", "Mailing City", "Mailing State",
    "Mailing Zip", "Mailing Country", "Description", "Created Time", "Modified Time",
]  # fmt: skip


def zoho(n: int = 700, seed: int = 17007) -> Layout:
    """Zoho CRM contacts as Setup > Data Administration > Export writes the Contacts module: the
    fields' display labels as the header (Zoho CRM's "Contacts" default fields: ``Salutation``,
    ``Phone``, ``Home Phone``, ``Mobile``, ``Email Opt Out``, ``Mailing Country``) and the
    record's id first, written ``zcrm_`` + digits.

    Quirks reproduced: a customer base mostly in India and the Gulf (Indian mobiles typed
    ``98765 43210``, ``09876543210``, ``+91 98765 43210``); ``Salutation`` apart from the names;
    ``Title`` is the job title; ``Secondary Email`` another address of the same person (not the
    identifier); ``Email Opt Out`` ``true``/``false``; ``Mailing Country`` free text, sometimes
    empty; ``Phone`` the office line.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"IN": 6, "AE": 2, "US": 1, "GB": 1, "ID": 1},
        email_rate=0.85, mobile_rate=0.8, landline_rate=0.5,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        record = f"zcrm_57257670000{rng.randrange(10**8, 10**9)}"
        mobile_col = person.mobile if person.mobile is not None and rng.random() < 0.85 else None
        phone_col = person.landline if rng.random() < 0.6 else None
        indian = {"nsn": 4, "national": 2, "intl": 3, "national_digits": 1, "e164": 1}
        styles = [
            pick(rng, indian) if person.country == "IN" else typed_style(rng, person.country)
            for _ in range(2)
        ]
        country = typed_country(rng, person.country) if rng.random() < 0.85 else ""
        region = person.country if country else None
        opted_out = rng.random() < 0.1
        secondary = f"work.{person.index}@example.com" if rng.random() < 0.1 else ""
        rows.append([
            record, "Priya Sharma", rng.choice(["", "Web Download", "Trade Show", "Cold Call"]),
            rng.choice(["", "", "Mr.", "Mrs.", "Ms.", "Dr."]), person.first, person.last,
            rng.choice(["", "Acme Pvt Ltd", "Zylker"]), person.email or "", secondary,
            rng.choice(["", "Manager", "CEO"]), "",
            phone_cell(phone_col, styles[0]) if phone_col is not None else "", "",
            phone_cell(mobile_col, styles[1]) if mobile_col is not None else "",
            "", "true" if opted_out else "false", "", "", "", "", country, "",
            "2023-02-11 14:03:22", "2023-06-01 09:00:00",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                first_mobile((mobile_col, styles[1], region), (phone_col, styles[0], region)),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                mail=oracle.opted_out(opted_out) if person.email else oracle.NONE,
                external_id=record,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("zoho", "Contacts_001.csv", ZOHO, rows, expected)


MAILCHIMP = [
    "Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
    "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE",
    "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID", "EUID",
    "NOTES", "TAGS",
]  # fmt: skip


def mailchimp(n: int = 700, seed: int = 17008) -> Layout:
    """A Mailchimp audience export (Audience > Export Audience: a zip of one CSV per status; this
    is ``subscribed_members_export_*.csv``): the audience's merge fields by their labels
    (``Email Address``, ``First Name``, ``Last Name``, ``Address``, ``Phone Number``,
    ``Birthday``), then Mailchimp's own columns in capitals (``MEMBER_RATING``, ``OPTIN_TIME``,
    ``CONFIRM_TIME``, ``LATITUDE``, ``GMTOFF``, ``CC``, ``REGION``, ``LEID``, ``EUID``, ...).

    Quirks reproduced: every member has a valid e-mail and, in this file, is subscribed (the
    consent is the file itself); ``Address`` is one cell of parts separated by two spaces, the
    country code last; ``Phone Number`` free text, filled for a third, international or
    national; ``CC`` is the country Mailchimp located the opt-in's IP address in, not the
    member's: wrong for one member in ten (travel, VPNs) and empty for some, so it is no region
    for the phones; names often missing (sign-up forms ask only for the e-mail).
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 3, "GB": 2, "AU": 1, "DE": 1, "FR": 1, "NL": 1, "IN": 1},
        email_rate=1.0, mobile_rate=0.35, landline_rate=0.05, broken_email_rate=0.0,
    )  # fmt: skip
    rows, expected = [], []
    countries = ["US", "GB", "AU", "DE", "FR", "NL", "IN", "ES", "CA"]
    for person in crowd:
        number = person.mobile if person.mobile is not None else person.landline
        us = person.country == "US"
        style = pick(rng, {"intl": 4, "e164": 2, "national": 3, **({"dashes": 1} if us else {})})
        named = rng.random() < 0.7
        cc = person.country if rng.random() < 0.88 else rng.choice(countries)
        cc = "" if rng.random() < 0.04 else cc
        address = ""
        if rng.random() < 0.3:
            street, code = f"{rng.randrange(1, 300)} Main St", rng.randrange(10000, 99999)
            address = f"{street}  Springfield    {code}  {person.country}"
        leid = str(rng.randrange(10**8, 10**9))
        euid = "".join(rng.choice("0123456789abcdef") for _ in range(10))
        rows.append([
            person.email, person.first if named else "", person.last if named else "", address,
            phone_cell(number, style) if number is not None else "", "",
            str(rng.randrange(1, 6)), "2021-03-04 10:11:12", "", "2021-03-04 10:12:40",
            f"203.0.113.{rng.randrange(1, 255)}", "", "", "", "", "", cc, "",
            "2023-01-02 03:04:05", leid, euid, "", "",
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(number, style, None),
                oracle.email(person.email, person.email_valid),
                person.first if named else None,
                person.last if named else None,
                mail=oracle.Consent(True),
                also_ids=frozenset({leid, euid}),
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("mailchimp", "subscribed_members_export_4f1a2b3c.csv", MAILCHIMP, rows, expected)


KLAVIYO = [
    "Email", "Phone Number", "First Name", "Last Name", "Organization", "Title", "Address",
    "Address 2", "City", "State / Region", "Country", "Zip Code", "Source", "Locale",
    "Email Marketing Consent", "SMS Marketing Consent", "Profile Created On", "Last Active",
    "Klaviyo ID",
]  # fmt: skip
KLAVIYO_CONSENT = {"SUBSCRIBED": 3, "UNSUBSCRIBED": 1, "NEVER_SUBSCRIBED": 2}


def klaviyo(n: int = 700, seed: int = 17009) -> Layout:
    """A Klaviyo profile export (Audience > Lists & segments > a segment of everyone > Export),
    with Klaviyo's built-in profile properties by their labels (``Email``, ``Phone Number``,
    ``First Name``, ``Organization``, ``Title``, ``State / Region``, ``Country``, ``Zip Code``)
    and the channel consents as the export names them (``Email Marketing Consent``, ``SMS
    Marketing Consent``: SUBSCRIBED, UNSUBSCRIBED, NEVER_SUBSCRIBED).

    Quirks reproduced: ``Phone Number`` in E.164 (Klaviyo stores phones so), a few landlines
    among them; SMS-only profiles without an e-mail; ``Title`` a job title; ``Country`` the
    name a shop sync wrote; the profile's id (26 characters) as ``Klaviyo ID``.
    """
    rng = random.Random(seed)
    crowd = people(
        seed, n, {"US": 4, "GB": 2, "CA": 1, "AU": 1, "DE": 1, "FR": 1, "BR": 1},
        email_rate=0.85, mobile_rate=0.6, landline_rate=0.05,
    )  # fmt: skip
    rows, expected = [], []
    for person in crowd:
        number = person.mobile
        if person.landline is not None and (number is None or rng.random() < 0.3):
            number = person.landline
        mail = pick(rng, KLAVIYO_CONSENT) if person.email else ""
        sms = pick(rng, KLAVIYO_CONSENT) if number is not None else ""
        profile = "01" + "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(24))
        rows.append([
            person.email or "", phone_cell(number, "e164") if number is not None else "",
            person.first, person.last, "", rng.choice(["", "Buyer", "Dr."]), "", "", "", "",
            typed_country(rng, person.country) if rng.random() < 0.8 else "", "",
            rng.choice(["Shopify", "Signup form", "Import"]), "", mail, sms,
            "2022-08-09 10:11:12", "2023-09-10 11:12:13", profile,
        ])  # fmt: skip
        expected.append(
            oracle.Expected(
                person.index,
                oracle.mobile(number, "e164", None),
                oracle.email(person.email, person.email_valid),
                person.first,
                person.last,
                sms=_klaviyo(sms),
                mail=_klaviyo(mail),
                external_id=profile,
                numbers=oracle.numbers_of(person.mobile, person.landline),
            )
        )
    return Layout("klaviyo", "profiles_export.csv", KLAVIYO, rows, expected)


def _klaviyo(consent: str) -> oracle.Consent:
    if consent == "SUBSCRIBED":
        return oracle.Consent(True)
    if consent in ("UNSUBSCRIBED", "NEVER_SUBSCRIBED"):
        return oracle.Consent(
            False, frozenset({None}) if consent == "NEVER_SUBSCRIBED" else frozenset()
        )
    return oracle.NONE
