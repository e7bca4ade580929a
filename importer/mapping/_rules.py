"""The Add Customer request as a pydantic model: the API's rules, checked before sending."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from importer._exceptions import RowRejected
from importer.mapping._spec import Source

NAME_LIMIT = 100
EMAIL_LIMIT = 255
#: Numbers the API can hold. Ids and counts (programId, tierNumber, seriesId, any whole number)
#: are Java longs at the vendor, like the createdId it answers with.
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
#: loyaltyPoints (and any ``as: number``): what a decimal(15,3) points column holds; the
#: response's rawAwardedPoints is a BigDecimal with three decimals.
POINTS_LIMIT = Decimal("999999999999.999")
_EMAIL = re.compile(r"[A-Za-z0-9._+\-]+@[A-Za-z0-9._+\-]+\.[A-Za-z0-9_\-]+")

Text = Annotated[str, StringConstraints(min_length=1)]
Flag = Literal["true", "false"]
ExpiryDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
]
Long = Annotated[int, Field(ge=LONG_MIN, le=LONG_MAX)]
Points = Annotated[int | float, Field(ge=0, le=float(POINTS_LIMIT))]  # its float, as sent
Scalar = str | Long | float | bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Identifier(_Body):
    """An identifier: mobile digits with country code, an e-mail, an external ID or a card."""

    type: Literal["mobile", "email", "externalId", "cardnumber"]
    value: Text
    seriesId: Long | None = None
    seriesCode: str | None = None
    statusLabel: str | None = None
    extendedFields: dict[str, Scalar] | None = None

    @model_validator(mode="after")
    def _rules(self) -> Identifier:
        value = self.value
        if self.type == "mobile" and not re.fullmatch(r"\d{7,15}", value):
            raise ValueError(f"mobile {value!r} must be 7 to 15 digits with the country code")
        if self.type == "email" and (len(value) > EMAIL_LIMIT or not _EMAIL.fullmatch(value)):
            raise ValueError(f"email {value!r} is not an address the API accepts")
        if self.type == "cardnumber" and self.seriesId is None and not self.seriesCode:
            raise ValueError(f"card {value!r} needs a seriesId or seriesCode")
        return self


class CommChannel(_Body):
    """A communication channel; flags are the strings "true"/"false", as the API samples send."""

    type: Literal["mobile", "email", "cardnumber"]
    value: Text
    primary: Flag | None = None
    verified: Flag | None = None
    meta: dict[str, Scalar] | None = None


class Profile(_Body):
    """One source account."""

    firstName: Annotated[str, StringConstraints(max_length=NAME_LIMIT)] | None = None
    lastName: Annotated[str, StringConstraints(max_length=NAME_LIMIT)] | None = None
    identifiers: list[Identifier] = Field(min_length=1)
    commChannels: list[CommChannel] | None = None
    fields: dict[str, Scalar] | None = None
    source: Source
    accountId: str | None = None


class Enrollment(_Body):
    """A loyalty program enrollment."""

    programId: Long
    tierNumber: Annotated[int, Field(ge=1, le=LONG_MAX)] | None = None
    loyaltyPoints: Points | None = None
    tierExpiryDate: ExpiryDate | None = None
    pointsExpiryDate: ExpiryDate | None = None


class AddCustomerRequest(_Body):
    """The body of ``POST /v2/customers``."""

    profiles: list[Profile] = Field(min_length=1)
    extendedFields: dict[str, Scalar] | None = None
    loyaltyProgramEnrollments: list[Enrollment] | None = None
    referralCode: str | None = None
    statusLabel: str | None = None
    associatedWith: str | None = None
    loyaltyInfo: dict[str, Scalar] | None = None


_ADAPTER: TypeAdapter[AddCustomerRequest] = TypeAdapter(AddCustomerRequest)


def check_payload(payload: dict[str, Any]) -> None:
    """Raise RowRejected (code ``invalid_request``) naming the first field the API would refuse."""
    try:
        _ADAPTER.validate_python(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        msg = error["msg"].removeprefix("Value error, ")
        if error["type"] in _BOUND_ERRORS and isinstance(error.get("input"), int | float):
            raise RowRejected(
                f"{where}: {error['input']!r} is beyond what the API holds ({msg})",
                code="out_of_range",
            ) from None
        raise RowRejected(f"{where}: {msg}", code="invalid_request") from None


_BOUND_ERRORS = frozenset({"less_than_equal", "greater_than_equal", "less_than", "greater_than"})


def check_bound(number: int | float | Decimal, kind: str) -> str | None:
    """Why ``number`` is beyond what the API holds for an ``int`` or a ``number``, or None."""
    if kind == "int" and not LONG_MIN <= number <= LONG_MAX:
        return f"is beyond what the API holds (a 64-bit whole number, {LONG_MIN} to {LONG_MAX})"
    if kind != "number" or -_SURELY_IN < number < _SURELY_IN:
        return None
    # near the limit, compare the number as written (repr), not its binary float
    if not -POINTS_LIMIT <= Decimal(repr(number)) <= POINTS_LIMIT:
        return f"is beyond what the API holds (at most {POINTS_LIMIT})"
    return None


_SURELY_IN = 999_999_999_999
