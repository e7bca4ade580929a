"""The Add Customer reference's field rules, as the emulator reads them: its own code.

Written from the vendor's Add Customer reference and API notes, apart from the importer's own
rules (``importer/mapping``): the emulator stands for the API in every test, so a rule the
importer gets wrong must meet an emulator that still says no. Nothing here is imported from the
product; a test breaks a product rule and checks that the emulator disagrees.
"""

from __future__ import annotations

from decimal import Decimal

#: the sources the reference's ``source`` field lists ("Values: FACEBOOK, WEB_ENGAGE, ...").
SOURCES: tuple[str, ...] = (
    "FACEBOOK",
    "WEB_ENGAGE",
    "WECHAT",
    "INSTORE",
    "MARTJACK",
    "TMALL",
    "TAOBAO",
    "JD",
    "ECOMMERCE",
    "WEBSITE",
    "LINE",
    "MOBILE_APP",
)

#: "The character limit for first names is 100. Characters exceeding this limit is ignored".
NAME_LIMIT = 100
#: "The character limit for an email can go up to 255 characters" (the notes: "at most 255").
EMAIL_LIMIT = 255
#: "Email: Supported characters: a-z A-Z 0-9 - _ + . and @".
EMAIL_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_+.@")
#: ids (programId, tierNumber, seriesId) are Java longs at the vendor, like the ``Long``
#: createdId it answers with.
LONG_MIN, LONG_MAX = -(1 << 63), (1 << 63) - 1
#: loyaltyPoints: the reference says "Number" and answers points as BigDecimal with three
#: decimals; the emulator takes what a decimal(15,3) column holds.
POINTS_LIMIT = Decimal("999999999999.999")


def kept_name(value: object) -> str:
    """A first or last name as the API keeps it: cut to ``NAME_LIMIT`` characters."""
    return str(value)[:NAME_LIMIT]


def email_fault(value: str) -> str | None:
    """Why the API refuses ``value`` as an e-mail identifier, or None.

    Beyond the reference's alphabet and length, an address needs one ``@`` with something
    before it and a domain with a dot inside it (``a@b.c``): the emulator's reading of "email".
    """
    if len(value) > EMAIL_LIMIT:
        return f"longer than {EMAIL_LIMIT}"
    if not value or not set(value) <= EMAIL_ALPHABET:
        return "characters outside a-z A-Z 0-9 - _ + . @"
    local, _, domain = value.partition("@")
    if not local or not domain or "@" in domain:
        return "not one @ between a name and a domain"
    dot = domain.rfind(".")
    if dot < 1 or dot == len(domain) - 1:
        return "no dot inside the domain"
    return None
