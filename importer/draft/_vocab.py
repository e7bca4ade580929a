"""Words: what headers name each field (English, German, French, Spanish and the usual
abbreviations), and the spellings of genders, tiers, yes/no and countries found in cells."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: field -> header phrases, written as ``words`` writes them
HEADERS: dict[str, tuple[str, ...]] = {
    "mobile": (
        "mobile", "mobile no", "mobile number", "mobile phone", "mobile nr", "mobil",
        "mobilnummer", "mobiltelefon", "mobilfunk", "mobilfunknummer", "phone", "phone no",
        "phone number", "phone nr", "telephone", "tel", "tel no", "telefon", "telefonnummer",
        "telefon nr", "tel nr", "cell", "cell phone", "cellphone", "cell no", "cell number",
        "handy", "handynummer", "handy nr", "whatsapp", "whatsapp number", "contact no",
        "contact number", "contact", "msisdn", "portable", "telephone portable", "celular",
        "movil", "telefono", "numero de telephone", "primary phone", "customer mobile",
        "sms", "sms number", "sms phone", "sms mobile",
    ),
    "email": (
        "email", "e mail", "mail", "email address", "e mail address", "e mail adresse",
        "emailadresse", "email adresse", "mailadresse", "courriel", "adresse e mail", "correo",
        "correo electronico", "customer email",
    ),
    "externalId": (
        "id", "customer id", "customer no", "customer number", "customer nr", "customer code",
        "cust no", "cust id", "cust code", "member id", "member no", "member number",
        "membership no", "membership number", "membership id", "client id", "client no",
        "client number", "account id", "account no", "account number", "loyalty id",
        "loyalty no", "loyalty number", "external id", "externalid", "kundennummer", "kunden nr",
        "kundennr", "kunden id", "mitgliedsnummer", "mitglieds nr", "mitgliedsnr", "kd nr",
        "numero client", "no client", "id client", "numero de cliente", "id cliente", "nr",
        "contact id", "record id", "profile id", "subscriber id", "user id", "person id",
        "unique id", "reference id", "customer reference",
    ),
    "cardnumber": (
        "card", "card no", "card number", "card nr", "loyalty card", "loyalty card no",
        "loyalty card number", "membership card", "kartennummer", "karten nr", "kundenkarte",
        "numero de carte", "carte", "tarjeta",
    ),
    "firstName": (
        "first name", "firstname", "first", "fname", "given name", "forename", "vorname",
        "prenom", "nombre",
    ),
    "lastName": (
        "last name", "lastname", "last", "lname", "surname", "family name", "nachname",
        "familienname", "nom", "nom de famille", "apellido", "apellidos",
    ),
    "fullName": (
        "name", "full name", "fullname", "customer name", "member name", "client name",
        "kundenname", "kunde", "nom complet", "nombre completo", "display name",
    ),
    "dateofbirth": (
        "dob", "date of birth", "birth date", "birthdate", "birthday", "bday", "born",
        "geburtsdatum", "geburtstag", "geb datum", "date de naissance", "naissance",
        "fecha de nacimiento", "nacimiento",
    ),
    "gender": ("gender", "sex", "geschlecht", "sexe", "genre", "genero", "sexo"),
    "city": ("city", "town", "stadt", "ort", "wohnort", "ville", "ciudad", "localidad"),
    "state": ("state", "province", "county", "bundesland", "provinz", "provincia", "etat"),
    "zip": (
        "zip", "zip code", "zipcode", "postcode", "post code", "postal code", "plz",
        "postleitzahl", "pin", "pincode", "pin code", "code postal", "codigo postal", "cp",
    ),
    "country": (
        "country", "country code", "land", "pays", "pais", "nation", "nationality",
        "country of residence", "staat",
    ),
    "tier": (
        "tier", "tier name", "level", "membership level", "member level", "loyalty tier",
        "loyalty level", "membership tier", "status", "stufe", "kundenstufe", "niveau",
        "nivel", "category", "segment",
    ),
    "points": (
        "points", "point", "points balance", "point balance", "balance", "loyalty points",
        "current points", "punkte", "punktestand", "bonuspunkte", "points fidelite", "puntos",
    ),
    "consent": (
        "opt in", "optin", "opt in sms", "sms opt in", "opt in email", "email opt in",
        "marketing", "marketing consent", "consent", "newsletter", "subscribed", "subscription",
        "sms consent", "email consent", "dnd", "einwilligung", "werbung", "werbeeinwilligung",
        "newsletter abo",
    ),
    "pointsExpiryDate": (
        "points expiry", "points expiry date", "points expire", "points valid until",
    ),
    "tierExpiryDate": ("tier expiry", "tier expiry date", "tier valid until", "tier expires"),
}  # fmt: skip

#: spelling (as ``words`` writes it) -> the API's gender value ("" for unknown: sent as none)
GENDERS: dict[str, str] = {
    "m": "Male", "male": "Male", "man": "Male", "men": "Male", "mr": "Male", "herr": "Male",
    "mannlich": "Male", "maennlich": "Male", "masculin": "Male", "homme": "Male",
    "hombre": "Male", "masculino": "Male",
    "f": "Female", "female": "Female", "woman": "Female", "women": "Female", "w": "Female",
    "weiblich": "Female", "frau": "Female", "mrs": "Female", "ms": "Female",
    "femme": "Female", "feminin": "Female", "mujer": "Female", "femenino": "Female",
    "o": "Other", "other": "Other", "d": "Other", "divers": "Other", "x": "Other",
    "non binary": "Other", "nonbinary": "Other", "diverse": "Other",
    "u": "", "unknown": "", "n a": "", "na": "", "not specified": "", "unbekannt": "",
    "keine angabe": "", "prefer not to say": "",
}  # fmt: skip

#: tier names in their usual order, lowest first
TIER_ORDER: tuple[str, ...] = (
    "basic", "standard", "classic", "member", "blue", "green", "bronze", "silver", "gold",
    "platinum", "diamond", "black", "vip", "elite",
)  # fmt: skip

#: yes/no spellings that ``as: bool`` does not read itself (it reads true/yes/y/1/on and the
#: opposites), as ``words`` writes them
BOOLEANS: dict[str, str] = {
    "ja": "true", "j": "true", "oui": "true", "si": "true", "opt in": "true",
    "opted in": "true", "nein": "false", "non": "false", "opt out": "false",
    "opted out": "false",
}  # fmt: skip
#: what ``as: bool`` reads on its own
BOOL_WORDS = frozenset({"true", "t", "yes", "y", "1", "on", "false", "f", "no", "n", "0", "off"})

#: common country names pycountry does not know
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "usa": "US", "u s a": "US", "u s": "US", "america": "US",
    "united states of america": "US", "uae": "AE", "u a e": "AE", "emirates": "AE",
    "deutschland": "DE", "allemagne": "DE", "espana": "ES", "holland": "NL",
    "south korea": "KR", "korea": "KR", "russia": "RU", "vietnam": "VN",
}  # fmt: skip

#: an id of something other than the customer (``Last Order ID``, ``Owner ID``, ``Store ID``)
_NOT_THEIRS = frozenset({
    "order", "invoice", "transaction", "receipt", "owner", "company", "parent", "campaign",
    "list", "group", "store", "shop", "session", "device", "product", "cart", "payment", "ip",
    "tax", "vat", "referrer", "affiliate", "location", "register", "outlet",
})  # fmt: skip


def names_another_thing(header: str) -> bool:
    """Whether a header says its values belong to something other than the customer (an
    order's, an invoice's, a store's: ``Order #``, ``Invoice No``), so they are not the
    customer's id however unique they are in the file."""
    return bool(set(header_words(header).split()) & _NOT_THEIRS)


_NON_WORD = re.compile(r"[^0-9a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@cache
def words(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: ``E-Mail`` -> ``e mail``."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("ß", "ss")
    return _NON_WORD.sub(" ", plain).strip()


@cache
def header_words(header: str) -> str:
    """A header's words, camel case split too: ``HasOptedOutOfEmail`` -> ``has opted out of
    email``, ``MailingCountry`` -> ``mailing country`` (Salesforce's API names)."""
    plain = words(_CAMEL.sub(" ", header))
    return " ".join(_segment(word) for word in plain.split())


#: words glued together in all-caps API names (Salesforce's Data Loader: ``MOBILEPHONE``,
#: ``HASOPTEDOUTOFEMAIL``) are split into these
_GLUED = frozenset({
    "has", "opted", "out", "of", "do", "not", "call", "email", "mail", "home", "other",
    "assistant", "asst", "fax", "mailing", "billing", "shipping", "street", "account", "owner",
    "lead", "source", "created", "modified", "date", "salutation", "birth", "postal", "code",
    "country", "state", "city", "phone", "mobile", "first", "last", "name", "id", "opt", "in",
    "marketing", "consent", "sms", "number", "customer", "contact", "record", "middle", "suffix",
    "title", "zip", "address", "company", "unsubscribed", "subscribed", "status", "accepts",
    "default", "full", "display", "gender", "time", "zone", "language", "tags", "note",
})  # fmt: skip


@cache
def _segment(word: str) -> str:
    """``mobilephone`` -> ``mobile phone`` when the word is nothing but known words glued."""
    if len(word) < 6 or word in _GLUED:
        return word
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(max(0, end - 12), end - 1):
            piece = word[start:end]
            head = best[start]
            shorter = best[end] is None or len(head or []) + 1 < len(best[end] or [])
            if head is not None and piece in _GLUED and shorter:
                best[end] = [*head, piece]
    found = best[len(word)]
    return " ".join(found) if found else word


@cache
def header_fields(header: str) -> dict[str, float]:
    """Fields a header names: 1.0 when it is one of the field's phrases, 0.6 when it contains
    one as whole words (the longest phrase wins a tie), e.g. ``Mobile No.`` -> mobile 1.0; a
    header whose last word is ``id`` names an id (``Contact ID``, ``Klaviyo Id``)."""
    key = header_words(header)
    found: dict[str, float] = {}
    padded = f" {key} "
    for name, phrases in HEADERS.items():
        for phrase in phrases:
            if key == phrase:
                found[name] = 1.0
            elif len(phrase) > 2 and f" {phrase} " in padded:
                score = 0.5 + 0.1 * min(len(phrase.split()), 3)
                found[name] = max(found.get(name, 0.0), score)
    if key.endswith(" id") and "externalId" not in found and not set(key.split()) & _NOT_THEIRS:
        found["externalId"] = 0.6
    return found


@cache
def country_code(text: str) -> str | None:
    """The ISO alpha-2 code a cell names (alpha-2, alpha-3, English name, common alias), or None."""
    import pycountry

    value = text.strip()
    if not value or value.isdigit():
        return None
    alias = COUNTRY_ALIASES.get(words(value))
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None
