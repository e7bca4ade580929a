"""The emulated org's configuration: sources, registration rules, programs and credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from importer._exceptions import ConfigError
from importer._models import SOURCES, Source

DEFAULT_USER = "demo"
DEFAULT_PASSWORD = "demo123"
DEFAULT_OAUTH_KEY = "demo-key"
DEFAULT_OAUTH_SECRET = "demo-secret"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class User(_Strict):
    """A Basic-auth till user; ``access: false`` answers 403 instead of serving."""

    username: str = Field(min_length=1)
    password: str
    access: bool = True


class OAuthClient(_Strict):
    """An OAuth client that may generate tokens."""

    key: str = Field(min_length=1)
    secret: str
    access: bool = True


class Auth(_Strict):
    """Accepted credentials and the OAuth token lifetime."""

    users: tuple[User, ...] = (User(username=DEFAULT_USER, password=DEFAULT_PASSWORD),)
    oauth_clients: tuple[OAuthClient, ...] = (
        OAuthClient(key=DEFAULT_OAUTH_KEY, secret=DEFAULT_OAUTH_SECRET),
    )
    token_ttl_seconds: float = Field(default=300, ge=0)


class Registration(_Strict):
    """Organization Settings > Registration Configuration, as far as the emulator checks it."""

    required_identifiers: tuple[str, ...] = ()
    mobile_min_digits: int = Field(default=7, ge=1)
    mobile_max_digits: int = Field(default=15, ge=1)
    external_id_prefix: str | None = None
    external_id_length: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> Registration:
        if self.mobile_min_digits > self.mobile_max_digits:
            raise ValueError("mobile_min_digits is larger than mobile_max_digits")
        return self


class Program(_Strict):
    """A loyalty program a registration may enroll into."""

    id: int
    name: str = ""
    tiers: tuple[int, ...] = (1, 2, 3)


class Referral(_Strict):
    """Points awarded when a registration carries another customer's referral code."""

    referrer_points: float = Field(default=100, ge=0)
    referee_points: float = Field(default=100, ge=0)


class ExtendedField(_Strict):
    """One extended field of the customer entity, as ``GET /v2/extendedFields`` lists it."""

    name: str = Field(min_length=1)
    label: str = ""
    dataType: Literal[
        "INTEGER", "STRING", "DOUBLE", "DATETIME", "STANDARD_STRING", "STANDARD_ENUM"
    ] = "STRING"  # noqa: E501
    #: STANDARD_ENUM values (the reference does not list them: the org file does); None: any
    values: tuple[str, ...] | None = None
    maxLength: int | None = Field(default=None, ge=1)
    #: an invalid value rejects the add (error 8072) instead of being dropped with a warning
    rejectTxnOnInvalidValue: bool = False
    mandatory: bool = False


class CustomField(_Strict):
    """One custom field (the free-form ``fields`` of a profile)."""

    name: str = Field(min_length=1)
    label: str = ""
    dataType: str = "STRING"
    mandatory: bool = False


#: The documented customer fields: those of the reference's example answer and of its sample
#: requests (which the emulator answers as documented, so none of their values is dropped).
DEFAULT_EXTENDED = (
    ExtendedField(name="gender", label="Gender", dataType="STANDARD_ENUM",
                  values=("Male", "Female", "Other")),
    ExtendedField(name="marital_status", label="Marital Status", dataType="STANDARD_ENUM"),
    ExtendedField(name="Age", label="Age", dataType="INTEGER"),
    *(ExtendedField(name=n, label=n.replace("_", " ").title()) for n in (
        "city", "state", "zip", "area", "country_of_residence", "dob", "acquisition_channel",
        "preferred_language",
    )),
)  # fmt: skip
DEFAULT_CUSTOM = tuple(
    CustomField(name=n)
    for n in (
        "employee", "dateofbirth", "kanjifirstname", "kanjilastname", "email2", "mobile2", "fax",
        "customer_address", "gender", "city",
    )
)  # fmt: skip


class Org(_Strict):
    """Everything the emulator needs to know about the org it pretends to serve."""

    name: str = "Emulated org"
    sources: tuple[Source, ...] = SOURCES
    registration: Registration = Registration()
    #: None reproduces the samples' warning 8107 "Default customer status label not set".
    default_status_label: str | None = None
    loyalty_programs: tuple[Program, ...] = (Program(id=469, name="Demo loyalty"),)
    referral: Referral = Referral()
    auth: Auth = Auth()
    #: the customer's extended fields (``GET /v2/extendedFields``) and custom fields
    extended_fields: tuple[ExtendedField, ...] = DEFAULT_EXTENDED
    custom_fields: tuple[CustomField, ...] = DEFAULT_CUSTOM
    #: false: ``GET /v2/entity/extendedFieldConfig`` answers 404, as on orgs without it
    extended_field_config: bool = True
    #: an extended or custom field the org does not have: dropped with a warning, or (true) the
    #: add is rejected
    reject_unknown_fields: bool = False

    def program(self, program_id: object) -> Program | None:
        """The configured program with this id, if any."""
        return next((p for p in self.loyalty_programs if p.id == program_id), None)


def load_org(path: Path | None) -> Org:
    """Read an org file (YAML); ``None`` gives the documented defaults."""
    if path is None:
        return Org()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the org file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the org file must be a mapping of settings")
    try:
        return Org.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None
