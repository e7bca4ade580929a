"""The emulated org's configuration: sources, registration rules, programs and credentials."""

from __future__ import annotations

from pathlib import Path

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
