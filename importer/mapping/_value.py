"""A value spec of the mapping file: where one request value comes from and how it is converted.

See README.md ("Values") for every key with an example; ``_spec`` holds the rest of the file.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from importer.mapping._region import check_constant

Kind = Literal["text", "phone", "email", "date", "datetime", "int", "number", "bool", "name"]
OnInvalid = Literal["reject", "drop"]


class StrictModel(BaseModel):
    """Every mapping model: unknown keys are mistakes, values never change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _region_shorthand(value: Any) -> Any:
    """``region: IN`` is a constant (not a column, unlike other values); a spec reads a column."""
    return {"value": value} if isinstance(value, str) else value


def _shorthand(value: Any) -> Any:
    """A bare string names a column; a bare number or boolean is a constant."""
    if isinstance(value, str):
        return {"column": value}
    if isinstance(value, bool | int | float):
        return {"value": value}
    return value


class Split(StrictModel):
    """Take one part of a column split on a separator (white space when ``sep`` is omitted)."""

    sep: str | None = None
    index: int = 0


class Value(StrictModel):
    """Where one request value comes from and how it is transformed, in this order.

    column/columns/value -> trim -> split -> default -> case -> map -> ``as`` conversion.
    ``on_invalid`` says what a value that fails its conversion does: reject the row, or drop the
    value with a warning (None: the file's ``settings.on_invalid``).
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
    region: Annotated[Value, BeforeValidator(_region_shorthand)] | None = None
    part: Literal["first", "last", "middle", "title", "suffix"] | None = None
    decimal: Literal[".", ","] = "."
    on_invalid: OnInvalid | None = None
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
    #: the first candidate that gives a value wins (README "Values", ``first_of``); each is a
    #: whole value spec with its own column, region, conversion and ``on_invalid``
    first_of: list[Annotated[Value, BeforeValidator(_shorthand)]] | None = Field(
        default=None, min_length=1
    )

    @field_validator("map", mode="before")
    @classmethod
    def _map_text(cls, table: Any) -> Any:
        if isinstance(table, dict):
            return {text_of(k): text_of(v) for k, v in table.items()}
        return table

    @field_validator("default", mode="before")
    @classmethod
    def _default_text(cls, value: Any) -> Any:
        return text_of(value) if isinstance(value, int | float | bool) else value

    @field_validator("region")
    @classmethod
    def _region(cls, region: Value | None) -> Value | None:
        return None if region is None else region.as_region()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str | None) -> str | None:
        if zone is not None:
            check_zone(zone)
        return zone

    @field_validator("time")
    @classmethod
    def _time(cls, text: str) -> str:
        if not re.fullmatch(r"\d{2}:\d{2}:\d{2}", text):
            raise ValueError("time must look like 23:59:59")
        return text

    @model_validator(mode="after")
    def _one_origin(self) -> Value:
        if self.first_of is not None:
            return self._candidates()
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
        if self.as_ == "name" and self.part is None:
            raise ValueError("as: name needs part (first, last, middle, title or suffix)")
        if self.as_ != "name" and self.part is not None:
            raise ValueError("part applies to as: name")
        if "decimal" in self.model_fields_set and self.as_ not in ("int", "number"):
            raise ValueError("decimal applies to as: int or as: number")
        explicit = "as_" in self.model_fields_set
        if self.keep_empty and (self.required or (explicit and self.as_ != "text")):
            raise ValueError("keep_empty applies to text values that are not required")
        if self.json_ is not None and explicit and self.as_ != "bool":
            raise ValueError("json applies to as: bool (true/false)")
        for fmt in self.formats:
            if "%" not in fmt:
                raise ValueError(f"format {fmt!r} has no % directive (e.g. %d/%m/%Y)")
        return self

    def _candidates(self) -> Value:
        """``first_of`` says where the value comes from: beside it, only what applies to the
        value as a whole (``required``; ``on_invalid``, the candidates' default)."""
        extra = self.model_fields_set - {"first_of", "required", "on_invalid"}
        if extra:
            keys = ", ".join(sorted(k.rstrip("_") for k in extra))
            raise ValueError(
                f"first_of takes its candidates' keys inside each candidate: {keys} does not "
                "apply beside it (only required and on_invalid do)"
            )
        for candidate in self.first_of or ():
            if candidate.first_of is not None:
                raise ValueError("a first_of candidate cannot be a first_of itself")
            if candidate.required:
                # an empty candidate falls through to the next: say it of the whole value
                raise ValueError("required goes beside first_of, not on a candidate")
        return self

    def candidates(self) -> list[Value]:
        """The candidates of a ``first_of``, each with the outer ``on_invalid`` as its default."""
        found = []
        for candidate in self.first_of or ():
            if candidate.on_invalid is None and self.on_invalid is not None:
                candidate = candidate.model_copy(update={"on_invalid": self.on_invalid})
            found.append(candidate)
        return found

    def columns_used(self) -> set[str]:
        if self.first_of is not None:
            return set().union(*(c.columns_used() for c in self.first_of))
        used = {self.column} if self.column else set(self.columns or ())
        return used | (self.region.columns_used() if self.region is not None else set())

    def label(self, where: str) -> str:
        """What messages call this value: its column(s), else its place in the mapping."""
        if self.first_of is not None:
            labels = (c.label(f"{where}.first_of.{n}") for n, c in enumerate(self.first_of))
            return " or ".join(labels)
        if self.column:
            return self.column
        if self.columns:
            return "+".join(self.columns)
        return where

    def kind(self, default: str) -> str:
        """The conversion: ``as`` when given, else the field's own."""
        return self.as_ if "as_" in self.model_fields_set else default

    def as_region(self) -> Value:
        """This value as a phone region: text only; a constant must name a country."""
        extra = {"as_", "part", "decimal", "region", "formats", "required", "max_length"}
        extra |= {"keep_empty", "json_", "first_of"}
        extra &= self.model_fields_set
        if extra:
            keys = ", ".join(sorted(k.rstrip("_") for k in extra))
            raise ValueError(f"a region value reads text: {keys} does not apply")
        if isinstance(self.value, str):
            return self.model_copy(update={"value": check_constant(self.value)})
        return self


#: A value spec, or its shorthand: a column name, or a constant number/boolean.
Val = Annotated[Value, BeforeValidator(_shorthand)]


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def check_zone(zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r} (use a name like Asia/Kolkata)") from None


# -- loading -------------------------------------------------------------------------------------
