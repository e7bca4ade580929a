"""The Add Customer API's field rules, in one place: limits, patterns, types and bounds.

The compiled mapping (``_codegen``), the request model (``_rules``) and the mapping's own checks
(``_spec``) all read them from here, so a rule changes once and the dry run, ``preview`` and
``run`` keep agreeing; the emulator checks bodies against the same limits, patterns and bounds.
Sources: the vendor's Add Customer reference and API notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from importer._models import SOURCES, Source
from importer.mapping._problems import reject

__all__ = ["SOURCES", "Source"]

#: identifier types: the reference's table, and those its sample requests send.
IdentifierType = Literal["mobile", "email", "externalId", "cardnumber", "cuid", "unionId", "line"]
#: channel types: the reference's table, and those its sample requests send.
ChannelType = Literal["mobile", "email", "cardnumber", "mobilePush", "line"]
#: the true/false flags of a channel: sent as "true"/"false" (the reference's documented form)
#: unless the value says ``json: boolean``.
CHANNEL_FLAGS = ("primary", "verified", "subscribed")

#: first and last names: the API keeps the first 100 characters and ignores the rest.
NAME_LIMIT = 100
#: an e-mail identifier: at most 255 characters of ``a-z A-Z 0-9 - _ + . @``.
EMAIL_LIMIT = 255
EMAIL_CHARS = re.compile(r"[A-Za-z0-9\-_+.@]+")
#: what the request model takes for an e-mail: one ``@`` and a dotted domain, API characters.
EMAIL_SHAPE = re.compile(r"[A-Za-z0-9._+\-]+@[A-Za-z0-9._+\-]+\.[A-Za-z0-9_\-]+")
#: a mobile identifier: digits only, with the country code.
MOBILE = re.compile(r"\d{7,15}")
MOBILE_PATTERN = r"^\d{7,15}$"
#: Numbers the API can hold. Whole numbers (programId, tierNumber, seriesId, any ``as: int``) are
#: Java longs at the vendor, like the createdId it answers with.
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
#: loyaltyPoints (and any ``as: number``): what a decimal(15,3) points column holds; the
#: response's rawAwardedPoints is a BigDecimal with three decimals.
POINTS_LIMIT = Decimal("999999999999.999")
_SURELY_IN = 999_999_999_999
#: tierExpiryDate, pointsExpiryDate: ``YYYY-MM-DDTHH:MM:SS+hh:mm``.
EXPIRY_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"
EXPIRY = re.compile(EXPIRY_PATTERN)


@dataclass(frozen=True)
class Field:
    """What one request field takes.

    ``type``: ``text`` (a string), ``int``, ``number`` (int or float), ``expiry`` (a string in
    EXPIRY_PATTERN) or ``scalar`` (any of text, number, boolean). ``kinds`` are the ``as``
    conversions that can give such a value (text fields take any: numbers and booleans are sent
    as their text); ``minimum`` bounds numbers; ``default`` is the conversion when ``as`` is not
    given.
    """

    type: str
    default: str = "text"
    kinds: tuple[str, ...] | None = None  # None: any
    minimum: int | None = None
    #: a mobile identifier or channel: a phone number there must be able to be a mobile
    mobile: bool = False


TEXT = Field("text")
MOBILE_FIELD = Field("text", mobile=True)
SCALAR = Field("scalar")
NAME = Field("text", default="text")
SERIES_ID = Field("int", default="int", kinds=("int",))

#: the fields of one loyalty program enrollment.
ENROLLMENT: dict[str, Field] = {
    "programId": Field("int", default="int", kinds=("int",)),
    "tierNumber": Field("int", default="int", kinds=("int",), minimum=1),
    "loyaltyPoints": Field("number", default="number", kinds=("int", "number"), minimum=0),
    "tierExpiryDate": Field("expiry", default="datetime", kinds=("datetime", "text")),
    "pointsExpiryDate": Field("expiry", default="datetime", kinds=("datetime", "text")),
}

#: the conversion an identifier's (or channel's) value gets when ``as`` is not given.
IDENTIFIER_KIND = {"mobile": "phone", "email": "email"}  # every other type: text


def check_identifier(kind: str, value: str, column: str) -> None:
    """The API's rules for a mobile or e-mail identifier the mapping did not convert itself."""
    if kind == "mobile" and not MOBILE.fullmatch(value):
        raise reject(
            column,
            value,
            "is not a mobile number (7-15 digits with country code)",
            "invalid_mobile",
        )
    if kind == "email" and (
        len(value) > EMAIL_LIMIT or not EMAIL_SHAPE.fullmatch(value) or value.count("@") != 1
    ):
        raise reject(column, value, "is not an e-mail the API accepts", "invalid_email")


def check_expiry(value: str, column: str) -> str:
    """A text value sent as an expiry date must already be in the API's format."""
    if not EXPIRY.fullmatch(value):
        raise reject(
            column, value, "is not a date-time like 2026-12-31T23:59:59+05:30", "invalid_date"
        )
    return value


def check_bound(number: int | float, kind: str) -> str | None:
    """Why ``number`` is beyond what the API holds for an ``int`` or a ``number``, or None."""
    if kind == "int" and not LONG_MIN <= number <= LONG_MAX:
        return f"is beyond what the API holds (a 64-bit whole number, {LONG_MIN} to {LONG_MAX})"
    if kind != "number" or -_SURELY_IN < number < _SURELY_IN:
        return None
    # near the limit, compare the number as written (repr), not its binary float
    if not -POINTS_LIMIT <= Decimal(repr(number)) <= POINTS_LIMIT:
        return f"is beyond what the API holds (at most {POINTS_LIMIT})"
    return None


def bounded(number: int | float, kind: str, value: str, column: str | None) -> int | float:
    """``number``, or RowRejected ``out_of_range`` naming column and value past the bound."""
    why = check_bound(number, kind)
    if why is not None:
        raise reject(column, value, why, "out_of_range")
    return number


def as_text(value: object) -> str:
    """A converted value as a text field sends it: booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
