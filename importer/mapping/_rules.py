"""The Add Customer request as a pydantic model: the API's rules, checked before sending."""

from __future__ import annotations

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
from importer.mapping import _fields as f
from importer.mapping._problems import show

Text = Annotated[str, StringConstraints(min_length=1)]
Name = Annotated[str, StringConstraints(max_length=f.NAME_LIMIT)]
Flag = Literal["true", "false"]
ExpiryDate = Annotated[str, StringConstraints(pattern=f.EXPIRY_PATTERN)]
Long = Annotated[int, Field(ge=f.LONG_MIN, le=f.LONG_MAX)]
Points = Annotated[int | float, Field(le=float(f.POINTS_LIMIT))]  # its float, as sent
Scalar = str | Long | float | bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Identifier(_Body):
    """An identifier: mobile digits with country code, an e-mail, an external ID or a card."""

    type: f.IdentifierType
    value: Text
    seriesId: Long | None = None
    seriesCode: str | None = None
    statusLabel: str | None = None
    extendedFields: dict[str, Scalar] | None = None

    @model_validator(mode="after")
    def _rules(self) -> Identifier:
        value = self.value
        if self.type == "mobile" and not f.MOBILE.fullmatch(value):
            raise ValueError(f"mobile {value!r} must be 7 to 15 digits with the country code")
        if self.type == "email" and (
            len(value) > f.EMAIL_LIMIT or not f.EMAIL_SHAPE.fullmatch(value)
        ):
            raise ValueError(f"email {value!r} is not an address the API accepts")
        if self.type == "cardnumber" and self.seriesId is None and not self.seriesCode:
            raise ValueError(f"card {value!r} needs a seriesId or seriesCode")
        return self


class CommChannel(_Body):
    """A communication channel; the reference's samples send flags as "true" and as true."""

    type: f.ChannelType
    value: Text
    primary: Flag | bool | None = None
    verified: Flag | bool | None = None
    subscribed: Flag | bool | None = None
    meta: dict[str, Scalar] | None = None


class Profile(_Body):
    """One source account."""

    firstName: Name | None = None
    lastName: Name | None = None
    identifiers: list[Identifier] = Field(min_length=1)
    commChannels: list[CommChannel] | None = None
    fields: dict[str, Scalar] | None = None
    source: f.Source
    accountId: str | None = None


class Enrollment(_Body):
    """A loyalty program enrollment."""

    programId: Long
    tierNumber: (
        Annotated[int, Field(ge=f.ENROLLMENT["tierNumber"].minimum, le=f.LONG_MAX)] | None
    ) = None
    loyaltyPoints: Annotated[Points, Field(ge=f.ENROLLMENT["loyaltyPoints"].minimum)] | None = None
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


def check_payload(payload: dict[str, Any], labels: dict[str, str] | None = None) -> None:
    """Raise RowRejected (code ``invalid_request``) naming what the API would refuse: the field,
    the column it came from when ``labels`` (body path -> column) knows it, and the value."""
    try:
        _ADAPTER.validate_python(payload)
    except ValidationError as exc:
        problems = []
        beyond = False  # a number past what the API holds (or its own minimum): out_of_range
        for error in exc.errors():
            beyond = beyond or error["type"] in _BOUND_ERRORS
            where = ".".join(str(p) for p in error["loc"])
            column = (labels or {}).get(where)
            field = f"{where} (column {column})" if column and column != where else where
            value = error.get("input")
            shown = f" {show(str(value))}" if isinstance(value, str | int | float) else ""
            msg = error["msg"].removeprefix("Value error, ")
            problems.append(f"{field}:{shown} {msg}")
        code = "out_of_range" if beyond and len(problems) == 1 else "invalid_request"
        raise RowRejected(" | ".join(problems), code=code) from None


_BOUND_ERRORS = frozenset({"less_than_equal", "greater_than_equal", "less_than", "greater_than"})
