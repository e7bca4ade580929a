"""The mapping file: a YAML description of how columns become an Add Customer request.

The schema is pydantic; a mistake is reported with the file, its line and the key path. See
README.md ("The mapping file") for every key with an example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from importer._exceptions import ConfigError
from importer._models import Source

#: The identifier types of the reference's table, and those its sample requests send.
IdentifierType = Literal["mobile", "email", "externalId", "cardnumber", "cuid", "unionId", "line"]
#: The channel types of the reference's table, and those its sample requests send.
ChannelType = Literal["mobile", "email", "cardnumber", "mobilePush", "line"]
Kind = Literal["text", "phone", "email", "date", "datetime", "int", "number", "bool"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _shorthand(value: Any) -> Any:
    """A bare string names a column; a bare number or boolean is a constant."""
    if isinstance(value, str):
        return {"column": value}
    if isinstance(value, bool | int | float):
        return {"value": value}
    return value


class Split(_Strict):
    """Take one part of a column split on a separator (white space when ``sep`` is omitted)."""

    sep: str | None = None
    index: int = 0


class Value(_Strict):
    """Where one request value comes from and how it is transformed, in this order.

    column/columns/value -> trim -> split -> default -> case -> map -> ``as`` conversion.
    """

    column: str | None = None
    columns: list[str] | None = Field(default=None, min_length=1)
    sep: str = " "
    value: str | int | float | bool | None = None
    default: str | None = None
    trim: bool = True
    split: Split | None = None
    case: Literal["upper", "lower", "title", "capitalize"] | None = None
    map: dict[str, str] | None = None
    strict: bool = False
    as_: Kind = Field(default="text", alias="as")
    region: str | None = None
    formats: list[str] = Field(default_factory=list)
    output: str = "%Y-%m-%d"
    timezone: str | None = None
    time: str = "00:00:00"
    min: int | None = None
    max: int | None = None
    max_length: int | None = Field(default=None, ge=1)
    required: bool = False
    #: send an empty value as "" (as some of the vendor's samples do) instead of leaving it out
    keep_empty: bool = False
    #: how a true/false is written in the body; None: as the place's default (see README)
    json_: Literal["boolean", "string"] | None = Field(default=None, alias="json")

    @field_validator("map", mode="before")
    @classmethod
    def _map_text(cls, table: Any) -> Any:
        if isinstance(table, dict):
            return {_text(k): _text(v) for k, v in table.items()}
        return table

    @field_validator("default", mode="before")
    @classmethod
    def _default_text(cls, value: Any) -> Any:
        return _text(value) if isinstance(value, int | float | bool) else value

    @field_validator("region")
    @classmethod
    def _region(cls, region: str | None) -> str | None:
        return _check_region(region)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str | None) -> str | None:
        if zone is not None:
            _check_zone(zone)
        return zone

    @field_validator("time")
    @classmethod
    def _time(cls, text: str) -> str:
        if not re.fullmatch(r"\d{2}:\d{2}:\d{2}", text):
            raise ValueError("time must look like 23:59:59")
        return text

    @model_validator(mode="after")
    def _one_origin(self) -> Value:
        origins = [
            name for name in ("column", "columns", "value") if getattr(self, name) is not None
        ]
        if len(origins) > 1:
            raise ValueError(f"give only one of column, columns, value (got {', '.join(origins)})")
        if not origins and self.default is None:
            raise ValueError("give a column, columns, value or default")
        if self.as_ not in ("date", "datetime") and self.formats:
            raise ValueError(f"formats applies to as: date or datetime, not as: {self.as_}")
        if self.region is not None and self.as_ != "phone":
            raise ValueError("region applies to as: phone")
        explicit = "as_" in self.model_fields_set
        if self.keep_empty and (self.required or (explicit and self.as_ != "text")):
            raise ValueError("keep_empty applies to text values that are not required")
        if self.json_ is not None and explicit and self.as_ != "bool":
            raise ValueError("json applies to as: bool (true/false)")
        for fmt in self.formats:
            if "%" not in fmt:
                raise ValueError(f"format {fmt!r} has no % directive (e.g. %d/%m/%Y)")
        return self

    def columns_used(self) -> set[str]:
        return {self.column} if self.column else set(self.columns or ())


#: A value spec, or its shorthand: a column name, or a constant number/boolean.
Val = Annotated[Value, BeforeValidator(_shorthand)]


class Identifier(_Strict):
    """One identifier of a profile; skipped when its value is empty (unless required)."""

    type: IdentifierType
    value: Val
    seriesId: Val | None = None
    seriesCode: Val | None = None
    statusLabel: Val | None = None
    extendedFields: dict[str, Val] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _card(self) -> Identifier:
        _not_kept_empty(value=self.value, seriesId=self.seriesId, seriesCode=self.seriesCode)
        if self.type == "cardnumber" and self.seriesId is None and self.seriesCode is None:
            raise ValueError("a cardnumber identifier needs seriesId or seriesCode")
        if self.type != "cardnumber" and (self.seriesId or self.seriesCode or self.statusLabel):
            raise ValueError("seriesId, seriesCode and statusLabel apply to cardnumber only")
        return self


#: The true/false flags of a channel.
FLAGS = ("primary", "verified", "subscribed")


class CommChannel(_Strict):
    """One communication channel; skipped when its value is empty.

    The flags are booleans (``as: bool`` by default), constant or read from a column; an empty
    cell leaves the flag out of the body, never false.
    """

    type: ChannelType
    value: Val
    primary: Val | None = None
    verified: Val | None = None
    subscribed: Val | None = None
    meta: dict[str, Val] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _flags(self) -> CommChannel:
        _not_kept_empty(value=self.value)
        for name in FLAGS:
            flag = getattr(self, name)
            if flag is None:
                continue
            if "as_" in flag.model_fields_set and flag.as_ != "bool":
                raise ValueError(f"{name} is true or false: as: bool (the default), not {flag.as_}")
            _not_kept_empty(**{name: flag})
        return self


class Profile(_Strict):
    """One source account of the customer."""

    source: Source
    accountId: Val | None = None
    firstName: Val | None = None
    lastName: Val | None = None
    identifiers: list[Identifier] = Field(min_length=1)
    commChannels: list[CommChannel] = Field(default_factory=list)
    fields: dict[str, Val] = Field(default_factory=dict)


class Enrollment(_Strict):
    """One loyalty program enrollment."""

    programId: Val
    tierNumber: Val | None = None
    loyaltyPoints: Val | None = None
    tierExpiryDate: Val | None = None
    pointsExpiryDate: Val | None = None

    @model_validator(mode="after")
    def _not_text(self) -> Enrollment:
        _not_kept_empty(**{name: getattr(self, name) for name in type(self).model_fields})
        return self


class Registration(_Strict):
    """The org's registration rules (Organization Settings > Registration Configuration)."""

    required_identifiers: list[IdentifierType] = Field(default_factory=list)


class Settings(_Strict):
    """Defaults for every value: the phone region for local numbers and the time zone."""

    region: str | None = None
    timezone: str = "UTC"

    @field_validator("region")
    @classmethod
    def _region(cls, region: str | None) -> str | None:
        return _check_region(region)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        _check_zone(zone)
        return zone


class Mapping(_Strict):
    """The whole mapping file."""

    version: Literal[1] = 1
    settings: Settings = Settings()
    registration: Registration = Registration()
    profiles: list[Profile] = Field(min_length=1)
    extendedFields: dict[str, Val] = Field(default_factory=dict)
    loyaltyProgramEnrollments: list[Enrollment] = Field(default_factory=list)
    referralCode: Val | None = None
    statusLabel: Val | None = None
    associatedWith: Val | None = None
    loyaltyInfo: dict[str, Val] = Field(default_factory=dict)
    #: where the file was read from, for messages.
    path: str | None = Field(default=None, exclude=True)

    def values(self) -> list[Value]:
        """Every value spec of the mapping."""
        found: list[Value] = []
        _collect(self, found)
        return found

    def columns_used(self) -> set[str]:
        """The input columns this mapping reads."""
        return set().union(*(v.columns_used() for v in self.values()))


def _collect(node: Any, found: list[Value]) -> None:
    if isinstance(node, Value):
        found.append(node)
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _collect(getattr(node, name), found)
    elif isinstance(node, dict):
        for item in node.values():
            _collect(item, found)
    elif isinstance(node, list | tuple):
        for item in node:
            _collect(item, found)


def _not_kept_empty(**specs: Value | None) -> None:
    """keep_empty is for text: an empty identifier, flag, number or date is left out."""
    for name, spec in specs.items():
        if spec is not None and spec.keep_empty:
            raise ValueError(
                f"{name}: keep_empty applies to text values; an empty {name} is left out"
            )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _check_region(region: str | None) -> str | None:
    if region is None:
        return None
    import phonenumbers

    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown phone region {region!r} (use a two-letter code like IN)")
    return region


def _check_zone(zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r} (use a name like Asia/Kolkata)") from None


# -- loading -------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so ``N: No`` in a value map stays text."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; raise ConfigError naming the file, line and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such mapping file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the mapping file: {exc}") from None
    return parse_mapping(text, str(path))


def parse_mapping(text: str, name: str = "<mapping>") -> Mapping:
    """Validate mapping YAML text; ``name`` is the file named in messages."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{name}:{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: the mapping must be a YAML mapping with a profiles key")
    lines: dict[tuple[Any, ...], int] = {}
    _lines(node, (), lines)
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, name, lines)) from None
    return mapping.model_copy(update={"path": name})


def _lines(node: Any, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _lines(value, (*path, key.value), out)
            out[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def _explain(exc: ValidationError, name: str, lines: dict[tuple[Any, ...], int]) -> str:
    problems = []
    for error in exc.errors():
        # pydantic adds the names of union branches and validators to loc: keep real keys only
        loc = tuple(p for p in error["loc"] if not _synthetic(p))
        line = None
        for cut in range(len(loc), -1, -1):
            line = lines.get(tuple(str(p) if isinstance(p, str) else p for p in loc[:cut]))
            if line is not None:
                break
        key = ".".join(str(p) for p in loc) or "(top level)"
        msg = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            msg = "unknown key (see README.md, 'The mapping file')"
        elif error["type"] == "missing":
            msg = "required key is missing"
        problems.append(f"{name}:{line or 1}: {key}: {msg}")
    return "\n".join(dict.fromkeys(problems))


def _synthetic(part: Any) -> bool:
    return isinstance(part, str) and (part.startswith("function-") or part in ("Value",))
