"""The corpus oracle: what the importer must store for each customer, from the generator's truth.

Written apart from the project's code (it imports nothing from ``importer``; phonenumbers is
called directly). It never reads a written cell: it is given the truth (the number object the
generator drew, the person's names and e-mail, the consent the platform recorded) and *how* the
layout wrote it (a phone style, the country the row's country column names), and says:

- **mobile**: the E.164 digits (no ``+``) of a number that is a mobile (phonenumbers' MOBILE, or
  FIXED_LINE_OR_MOBILE for plans such as the US that cannot tell), else none. A landline is
  never a mobile. A number written as bare digits (its ``+`` or its trunk ``0`` lost, as Excel
  and careless typists lose them) is read both ways: in the row's country, and as an
  international number; when the readings that are valid mobiles are not exactly the true one,
  the cell is ambiguous (or misleading) and the right answer is *no* mobile. Digits that are a
  national mobile in its usual form (a plan that writes it without a trunk prefix: China's, the
  US's) lost nothing: a reader takes the national reading, right only when it is the truth.
- **e-mail**: the address as typed when it is a real one, none when the generator broke it.
- **first / last name**: the person's given and family name (never a title or degree).
- **consents**: per channel, the right ``subscribed`` value and the other stored values that are
  not wrong (a platform's "not opted out" is not a "yes", so leaving it out is right too).

Judging a stored value: equal to the right one (e-mails and names without case) is ``ok``; none
stored where the oracle has a value is ``lost`` (reported, not wrong); anything else ``wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers

MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)

#: phone styles whose cell is digits only, with no sign of how to read them
BARE = ("nsn", "plus_lost", "plus_trunk_lost")
#: phone styles whose cell carries its own country code
INTERNATIONAL = ("e164", "intl", "00", "intl_trunk", "e164_apostrophe")

OK, LOST, WRONG = "ok", "lost", "wrong"


def _digits(number: phonenumbers.PhoneNumber) -> str:
    # the national significant number keeps the leading 0 Italy's numbers carry (+39 011 ...),
    # which ``national_number`` alone drops
    return f"{number.country_code}{phonenumbers.national_significant_number(number)}"


def _is_mobile(number: phonenumbers.PhoneNumber | None) -> bool:
    return (
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in MOBILE_TYPES
    )


def _read(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def bare_digits(number: phonenumbers.PhoneNumber, style: str) -> str:
    """The digits a bare style leaves of the true number (what the cell holds, derived from the
    truth: national significant number, country code + it, or country code + trunk 0 + it)."""
    nsn = phonenumbers.national_significant_number(number)
    if style == "nsn":
        return nsn
    if style == "plus_lost":
        return f"{number.country_code}{nsn}"
    if style == "plus_trunk_lost":
        return f"{number.country_code}0{nsn}"
    raise ValueError(style)


def mobile(number: phonenumbers.PhoneNumber | None, style: str, region: str | None) -> str | None:
    """The right mobile of a true ``number`` written in ``style`` on a row whose country column
    names ``region`` (None: the row names no country)."""
    if not _is_mobile(number):
        return None
    truth = _digits(number)
    if style == "national_digits" and not _national_digits(number).startswith("0"):
        style = "nsn"  # a plan without a trunk prefix (US, BR): its national digits are bare
    if style not in BARE:
        return truth
    digits = bare_digits(number, style)
    readings = set()
    for text, where in ((digits, region), ("+" + digits, None)):
        if where is None and not text.startswith("+"):
            continue
        reading = _read(text, where)
        if _is_mobile(reading):
            readings.add(_digits(reading))
            if where is not None and _national_digits(reading) == _nsn(reading):
                # the national number's usual form (a plan that writes it without a trunk
                # prefix: China's, the US's, Brazil's mobiles): nothing was lost, a reader takes
                # it, and it is right only when it is the true number
                return truth if _digits(reading) == truth else None
    if readings == {truth} or not readings:
        return truth
    return None  # two mobile readings, or only a wrong one: no reader can know


def _nsn(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.national_significant_number(number)


def _national_digits(number: phonenumbers.PhoneNumber) -> str:
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit())


def email(address: str | None, valid: bool) -> str | None:
    return address.strip() if address and valid else None


@dataclass(frozen=True)
class Consent:
    """The right ``subscribed`` of a channel, and the other stored values that are not wrong."""

    right: bool | None = None
    also: frozenset[bool | None] = frozenset()

    def judge(self, stored: bool | None) -> str:
        if stored == self.right or stored in self.also:
            return OK
        return LOST if stored is None else WRONG


NONE = Consent()


def said(value: bool | None, *, unsaid_ok: bool = False) -> Consent:
    """A platform's explicit yes/no (``unsaid_ok``: its "no" may also be left out)."""
    if value is None:
        return NONE
    return Consent(value, frozenset({None}) if unsaid_ok and value is False else frozenset())


def opted_out(flag: bool) -> Consent:
    """An opt-out flag (HasOptedOutOfEmail, Email Opt Out): set is a "no"; unset is not a "yes",
    so it may be left out or read as subscribed."""
    return Consent(False) if flag else Consent(None, frozenset({True}))


@dataclass
class Expected:
    """What the emulator must hold for one customer of a layout."""

    person: int
    mobile: str | None
    email: str | None
    first: str | None
    last: str | None
    sms: Consent = NONE
    mail: Consent = NONE
    external_id: str | None = None
    #: other ids of the same record that are as right an externalId (Square's Reference ID,
    #: Lightspeed's customer_code beside its id, Mailchimp's LEID and EUID)
    also_ids: frozenset[str] = frozenset()
    #: every number of the person (mobiles and landlines): finds the customer a wrong mobile
    #: was stored for
    numbers: frozenset[str] = field(default_factory=frozenset)

    @property
    def ids(self) -> frozenset[str]:
        return self.also_ids | ({self.external_id} if self.external_id else set())

    @property
    def identifiable(self) -> bool:
        return self.mobile is not None or self.email is not None


def numbers_of(*phones: phonenumbers.PhoneNumber | None) -> frozenset[str]:
    return frozenset(_digits(p) for p in phones if p is not None)


def same_text(stored: str | None, right: str | None) -> str:
    """Judge a stored e-mail or name: equal without case and outer spaces."""
    norm = (stored or "").strip().casefold() or None
    want = (right or "").strip().casefold() or None
    if norm == want:
        return OK
    return LOST if norm is None else WRONG
