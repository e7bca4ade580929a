"""Compile a mapping once into plain closures that turn one row's cells into a request body.

Interpreting the YAML per row would cost more than the row's own work; here each value becomes
one closure over a column index, and the API's per-field rules run inside them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from importer._exceptions import ConfigError, RowRejected
from importer._models import IdentityKey
from importer.mapping import _transforms as tf
from importer.mapping._spec import Mapping, Value

Cells = list[str]
Getter = Callable[[Cells], Any]
RawKey = tuple[str, str, str, str]

NAME_LIMIT = 100
_MOBILE = re.compile(r"\d{7,15}")


class Builder:
    """A compiled mapping: ``build(cells)`` gives the payload and its identity keys."""

    def __init__(self, mapping: Mapping, columns: list[str]) -> None:
        self.mapping = mapping
        self.columns = list(columns)
        index = {name: i for i, name in enumerate(self.columns)}
        from importer.mapping._codegen import compile_body

        try:
            self._build = self.build_raw = compile_body(mapping, index)
        except RowRejected as exc:  # only constants are converted before the first row
            raise ConfigError(f"{mapping.path or 'mapping'}: {exc}") from None

    def build(self, cells: Cells) -> tuple[dict[str, Any], tuple[IdentityKey, ...]]:
        """The request body for one row and its identity keys; raises RowRejected."""
        body, keys, _ = self._build(cells)
        return body, tuple(IdentityKey(*k) for k in keys)

    #: build_raw(cells) -> (body, keys as (source, account, type, value) tuples, their hashes);
    #: the generated function itself, called directly. The hashes use Python's per-interpreter
    #: seeded ``hash``: comparable only within one process and the processes it forks.
    build_raw: Callable[[Cells], tuple[dict[str, Any], list[RawKey], list[int]]]


def _label(spec: Value, where: str) -> str:
    if spec.column:
        return spec.column
    if spec.columns:
        return "+".join(spec.columns)
    return where


def compile_value(
    spec: Value,
    index: dict[str, int],
    where: str,
    *,
    kind: str = "text",
    region: str | None = None,
    timezone: str = "UTC",
    max_length: int | None = None,
) -> Getter:
    """One value's getter: cells -> API value, or None when empty and optional."""
    if "as_" in spec.model_fields_set:
        kind = spec.as_
    column = _label(spec, where)
    read = _origin(spec, index)
    steps = _text_steps(spec, column)
    convert = _converter(spec, kind, column, region, timezone)
    limit = spec.max_length or max_length
    required, default = spec.required, spec.default
    constant = spec.value if not isinstance(spec.value, str) and kind == "text" else None
    if (
        spec.column is not None
        and steps == [tf.trim]
        and default is None
        and not required
        and limit is None
    ):
        i = index[spec.column]
        trim = tf.trim

        if kind == "text" and spec.value is None:
            return lambda cells: trim(cells[i]) or None

        def get_plain(cells: Cells) -> Any:
            text = trim(cells[i])
            return convert(text) if text else None

        return get_plain

    if spec.column is None and spec.columns is None:
        # a constant (or a default alone): the same for every row, so work it out once
        fixed = _evaluate_constant(spec, steps, convert, column)
        return lambda cells: fixed

    if constant is not None:
        return lambda cells: constant
    to_value = getter_of(
        ColumnParts(-1, column, steps, default, required, convert, limit)  # read by ``read``
    )
    return lambda cells: to_value(read(cells))


@dataclass(frozen=True)
class ColumnParts:
    """A value read from one column, in pieces that generated code strings together inline."""

    at: int
    column: str
    steps: list[Callable[[str], str]]
    default: str | None
    required: bool
    convert: Callable[[str], Any] | None  # None: the text itself
    limit: int | None


def column_parts(
    spec: Value,
    index: dict[str, int],
    where: str,
    *,
    kind: str = "text",
    region: str | None = None,
    timezone: str = "UTC",
    max_length: int | None = None,
) -> ColumnParts | None:
    """The pieces of a value read from one column; None for joined columns and constants."""
    if spec.column is None:
        return None
    if "as_" in spec.model_fields_set:
        kind = spec.as_
    column = _label(spec, where)
    convert = _converter(spec, kind, column, region, timezone)
    return ColumnParts(
        at=index[spec.column],
        column=column,
        steps=_text_steps(spec, column),
        default=spec.default,
        required=spec.required,
        convert=None if convert is _identity else convert,
        limit=spec.max_length or max_length,
    )


def getter_of(parts: ColumnParts) -> Callable[[str], Any]:
    """The value of one cell's text with every step of ``parts`` applied."""
    steps, convert, default, limit = parts.steps, parts.convert, parts.default, parts.limit
    column, required = parts.column, parts.required

    def get(text: str) -> Any:
        for step in steps:
            text = step(text)
        if not text and default is not None:
            text = default
        if not text:
            if required:
                raise RowRejected(
                    f"{column}: is empty but required", code="missing_value", column=column
                )
            return None
        value = convert(text) if convert is not None else text
        if limit is not None and isinstance(value, str) and len(value) > limit:
            too_long(value, limit, column)
        return value

    return get


def too_long(value: str, limit: int, column: str) -> None:
    """Reject a value past its length limit."""
    raise tf.reject(column, value, f"is longer than {limit} characters", "too_long")


def _evaluate_constant(
    spec: Value, steps: list[Callable[[str], str]], convert: Callable[[str], Any], column: str
) -> Any:
    if spec.value is not None and not isinstance(spec.value, str) and convert is _identity:
        return spec.value
    text = "" if spec.value is None else _origin(spec, {})([])
    for step in steps:
        text = step(text)
    text = text or (spec.default or "")
    if not text:
        return None
    return convert(text)  # a RowRejected here is a mistake in the mapping: see Builder


def _identity(value: str) -> str:
    return value


def _origin(spec: Value, index: dict[str, int]) -> Callable[[Cells], str]:
    if spec.column is not None:
        i = index[spec.column]
        return lambda cells: cells[i]
    if spec.columns is not None:
        idx = [index[c] for c in spec.columns]
        sep = spec.sep
        return lambda cells: tf.join([tf.trim(cells[i]) for i in idx], sep)
    if spec.value is not None:
        text = tf.trim(spec.value) if isinstance(spec.value, str) else str(spec.value)
        if isinstance(spec.value, bool):
            text = "true" if spec.value else "false"
        return lambda cells: text
    return lambda cells: ""


def _text_steps(spec: Value, column: str) -> list[Callable[[str], str]]:
    steps: list[Callable[[str], str]] = []
    if spec.trim:
        steps.append(tf.trim)
    if spec.split is not None:
        sep, at = spec.split.sep, spec.split.index
        steps.append(lambda v: tf.split(v, sep, at))
    if spec.case is not None:
        how = spec.case
        steps.append(lambda v: tf.case(v, how))
    if spec.map is not None:
        table = dict(spec.map)
        table.update({k.casefold(): v for k, v in spec.map.items() if k.casefold() not in table})
        strict = spec.strict
        steps.append(lambda v: tf.map_value(v, table, column=column, strict=strict) if v else v)
    return steps


def _converter(
    spec: Value, kind: str, column: str, region: str | None, timezone: str
) -> Callable[[str], Any]:
    if kind == "phone":
        reg = spec.region or region
        return lambda v: tf.phone(v, reg, column)
    if kind == "email":
        return lambda v: tf.email(v, column)
    if kind == "int":
        lo, hi = spec.min, spec.max
        return lambda v: tf.to_int(v, column, minimum=lo, maximum=hi)
    if kind == "number":
        return lambda v: _number(v, column)
    if kind == "bool":
        return lambda v: tf.to_bool(v, column)
    if kind in ("date", "datetime"):
        formats = list(spec.formats)
        names = [*formats, *(f for f in tf.ISO_FORMATS if f not in formats)]
        parsers = [tf.compile_format(f) for f in names]
        shown = formats or ["YYYY-MM-DD"]
        if kind == "date":
            output = spec.output
            if output == "%Y-%m-%d":
                return lambda v: (
                    tf.iso_date(v) or (tf.parse_date(v, parsers, shown, column).date().isoformat())
                )
            return lambda v: tf.parse_date(v, parsers, shown, column).strftime(output)
        zone = ZoneInfo(spec.timezone or timezone)
        default_time = dt.time.fromisoformat(spec.time)
        return lambda v: tf.format_datetime(
            found := tf.parse_date(v, parsers, shown, column),
            zone,
            default_time,
            has_time=found.time() != dt.time(0),
        )
    return _identity


def _number(value: str, column: str) -> int | float:
    text = tf.exact_digits(value.replace(",", "").strip(), column)
    try:
        number = float(text)
    except ValueError:
        raise tf.reject(column, value, "is not a number", "invalid_number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise tf.reject(column, value, "is not a number", "invalid_number")
    if number < 0:
        raise tf.reject(column, value, "is negative", "out_of_range")
    return int(number) if number.is_integer() else number


def _require(required: tuple[str, ...], keys: list[RawKey], mapping: Mapping) -> None:
    have = {k[2] for k in keys}
    for kind in required:
        if kind not in have:
            columns = sorted(
                spec.value.columns_used().pop()
                for p in mapping.profiles
                for spec in p.identifiers
                if spec.type == kind and spec.value.columns_used()
            )
            where = f" and column {', '.join(columns)} is empty" if columns else ""
            raise RowRejected(
                f"identifier {kind} is required by the org's registration rules{where}",
                code="missing_identifier",
                column=columns[0] if columns else None,
            )


def _check_identifier(kind: str, value: str, column: str) -> None:
    """The API's identifier rules, for values the mapping did not already convert."""
    if kind == "mobile" and not _MOBILE.fullmatch(value):
        raise tf.reject(
            column,
            value,
            "is not a mobile number (7-15 digits with country code)",
            "invalid_mobile",
        )
    if kind == "email" and (
        len(value) > tf.EMAIL_LIMIT or not tf._API_EMAIL.fullmatch(value) or value.count("@") != 1
    ):
        raise tf.reject(column, value, "is not an e-mail the API accepts", "invalid_email")
