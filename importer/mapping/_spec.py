"""The mapping file: a YAML description of how columns become an Add Customer request.

The schema is pydantic; a mistake is reported with the file, its line and the key path. See
README.md ("The mapping file") for every key with an example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from importer._exceptions import ConfigError
from importer._models import Source
from importer.mapping import _fields
from importer.mapping._region import check_constant
from importer.mapping._value import Kind, OnInvalid, Split, StrictModel, Val, Value, check_zone

__all__ = ["Kind", "Mapping", "Split", "Val", "Value", "load_mapping", "parse_mapping"]


class Identifier(StrictModel):
    """One identifier of a profile; skipped when its value is empty (unless required)."""

    type: _fields.IdentifierType
    value: Val
    seriesId: Val | None = None
    seriesCode: Val | None = None
    statusLabel: Val | None = None
    extendedFields: dict[str, Val] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _card(self) -> Identifier:
        _not_kept_empty(value=self.value, seriesId=self.seriesId, seriesCode=self.seriesCode)
        _check_kind(self.seriesId, _fields.SERIES_ID, "seriesId")
        if self.type == "cardnumber" and self.seriesId is None and self.seriesCode is None:
            raise ValueError("a cardnumber identifier needs seriesId or seriesCode")
        if self.type != "cardnumber" and (self.seriesId or self.seriesCode or self.statusLabel):
            raise ValueError("seriesId, seriesCode and statusLabel apply to cardnumber only")
        return self


class CommChannel(StrictModel):
    """One communication channel; skipped when its value is empty.

    The flags are booleans (``as: bool`` by default), constant or read from a column; an empty
    cell leaves the flag out of the body, never false.
    """

    type: _fields.ChannelType
    value: Val
    primary: Val | None = None
    verified: Val | None = None
    subscribed: Val | None = None
    meta: dict[str, Val] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _flags(self) -> CommChannel:
        _not_kept_empty(value=self.value)
        for name in _fields.CHANNEL_FLAGS:
            flag = getattr(self, name)
            if flag is None:
                continue
            if "as_" in flag.model_fields_set and flag.as_ != "bool":
                raise ValueError(f"{name} is true or false: as: bool (the default), not {flag.as_}")
            _not_kept_empty(**{name: flag})
        return self


class Profile(StrictModel):
    """One source account of the customer."""

    source: Source
    accountId: Val | None = None
    firstName: Val | None = None
    lastName: Val | None = None
    identifiers: list[Identifier] = Field(min_length=1)
    commChannels: list[CommChannel] = Field(default_factory=list)
    fields: dict[str, Val] = Field(default_factory=dict)


class Enrollment(StrictModel):
    """One loyalty program enrollment."""

    programId: Val
    tierNumber: Val | None = None
    loyaltyPoints: Val | None = None
    tierExpiryDate: Val | None = None
    pointsExpiryDate: Val | None = None

    @model_validator(mode="after")
    def _kinds(self) -> Enrollment:
        _not_kept_empty(**{name: getattr(self, name) for name in type(self).model_fields})
        for name, field in _fields.ENROLLMENT.items():
            _check_kind(getattr(self, name), field, name)
        return self


class Registration(StrictModel):
    """The org's registration rules (Organization Settings > Registration Configuration)."""

    required_identifiers: list[_fields.IdentifierType] = Field(default_factory=list)


class Settings(StrictModel):
    """Defaults for every value: the phone region for local numbers, the time zone, and what a
    value that fails its conversion does."""

    region: str | None = None
    timezone: str = "UTC"
    on_invalid: OnInvalid = "reject"

    @field_validator("region")
    @classmethod
    def _region(cls, region: str | None) -> str | None:
        return None if region is None else check_constant(region)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        check_zone(zone)
        return zone


class Mapping(StrictModel):
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


def _check_kind(spec: Value | None, field: _fields.Field, name: str) -> None:
    """A conversion that can never give what the API field takes is a mistake in the mapping."""
    if spec is None or field.kinds is None:
        return
    if spec.first_of is not None:
        for candidate in spec.first_of:
            _check_kind(candidate, field, name)
        return
    kind = spec.kind(field.default)
    if kind not in field.kinds:
        takes = " or ".join(f"as: {k}" for k in field.kinds)
        raise ValueError(f"{name} takes {takes}, not as: {kind}")


def _not_kept_empty(**specs: Value | None) -> None:
    """keep_empty is for text: an empty identifier, flag, number or date is left out."""
    for name, spec in specs.items():
        if spec is not None and spec.keep_empty:
            raise ValueError(
                f"{name}: keep_empty applies to text values; an empty {name} is left out"
            )


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
