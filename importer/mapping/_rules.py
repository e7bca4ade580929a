"""The Add Customer request as a pydantic model: the API's rules, checked before sending."""

from __future__ import annotations

import re
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
from importer.mapping._spec import ChannelType, IdentifierType, Source

NAME_LIMIT = 100
EMAIL_LIMIT = 255
_EMAIL = re.compile(r"[A-Za-z0-9._+\-]+@[A-Za-z0-9._+\-]+\.[A-Za-z0-9_\-]+")

Text = Annotated[str, StringConstraints(min_length=1)]
Flag = Literal["true", "false"]
ExpiryDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
]
Scalar = str | int | float | bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Identifier(_Body):
    """An identifier: mobile digits with country code, an e-mail, an external ID or a card."""

    type: IdentifierType
    value: Text
    seriesId: int | None = None
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
    """A communication channel; the reference's samples send flags as "true" and as true."""

    type: ChannelType
    value: Text
    primary: Flag | bool | None = None
    verified: Flag | bool | None = None
    subscribed: Flag | bool | None = None
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

    programId: int
    tierNumber: Annotated[int, Field(ge=1)] | None = None
    loyaltyPoints: Annotated[int | float, Field(ge=0)] | None = None
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
        raise RowRejected(f"{where}: {msg}", code="invalid_request") from None
