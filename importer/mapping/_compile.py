"""Compile one value spec into the pieces that turn a cell's text into an API value.

``column_parts`` gives the steps of a one-column value for ``_codegen`` to string together
inline; ``compile_value`` gives a closure over the row's cells (joined columns, constants, and
the reference the property tests compare the generated code with). The steps run in the order
README.md gives: trim, split, default, case, map, then the ``as`` conversion, then the rules of
the API field the value is sent in (``_fields``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from importer._exceptions import RowRejected
from importer.mapping import _fields, _names, _numbers, _phone, _region
from importer.mapping import _transforms as tf
from importer.mapping._problems import Kept, reject
from importer.mapping._value import Value

Cells = list[str]
Getter = Callable[[Cells], Any]
Step = Callable[[str], str]


@dataclass(frozen=True)
class Options:
    """What a value's conversion needs from the rest of the mapping."""

    region: str | None = None  # settings.region
    timezone: str = "UTC"  # settings.timezone
    field: _fields.Field = _fields.SCALAR  # the API field the value is sent in


@dataclass(frozen=True)
class ColumnParts:
    """A value read from one column, in pieces that generated code strings together inline.

    ``early`` steps run before ``default`` is put in an empty cell, ``late`` ones after it;
    ``convert`` takes the text (and the row's region when ``region`` is a per-row value).
    """

    at: int
    column: str
    early: list[Step]
    default: str | None
    late: list[Step]
    required: bool
    convert: Callable[..., Any] | None  # None: the text itself
    limit: int | None
    region: Value | None = None


def column_parts(
    spec: Value, index: dict[str, int], where: str, kind: str, options: Options
) -> ColumnParts | None:
    """The pieces of a value read from one column; None for joined columns and constants."""
    if spec.column is None:
        return None
    kind = spec.kind(kind)
    column = spec.label(where)
    convert = converter(spec, kind, column, options)
    early, late = text_steps(spec, column)
    return ColumnParts(
        at=index[spec.column],
        column=column,
        early=early,
        default=spec.default,
        late=late,
        required=spec.required,
        convert=None if convert is _identity else convert,
        limit=spec.max_length,
        region=per_row_region(spec),
    )


def getter_of(parts: ColumnParts) -> Callable[..., Any]:
    """``get(text, region=None)``: the value of one cell's text with every step applied."""
    early, late, convert, default, limit = (
        parts.early,
        parts.late,
        parts.convert,
        parts.default,
        parts.limit,
    )
    column, required, regional = parts.column, parts.required, parts.region is not None

    def get(text: str, region: Any = None) -> Any:
        for step in early:
            text = step(text)
        if not text and default is not None:
            text = default
        for step in late:
            text = step(text)
        if not text:
            if required:
                raise RowRejected(
                    f"{column}: is empty but required", code="missing_value", column=column
                )
            return None
        if convert is not None:
            value = convert(text, region) if regional else convert(text)
        else:
            value = text
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise too_long(value, limit, column)
        return value

    return get


def compile_value(
    spec: Value, index: dict[str, int], where: str, kind: str = "text", options: Options = Options()
) -> Getter:
    """One value's getter: cells -> API value, or None when empty and optional."""
    if spec.first_of is not None:
        return _first_of(spec, index, where, kind, options)
    column = spec.label(where)
    parts = ColumnParts(-1, column, *_joined(spec, column, kind, options))
    to_value = getter_of(parts)
    read = _origin(spec, index)
    if parts.region is not None:
        region = compile_value(parts.region, index, f"{where}.region", "region", options)
        return lambda cells: to_value(read(cells), region(cells))
    return lambda cells: to_value(read(cells))


def _first_of(
    spec: Value, index: dict[str, int], where: str, kind: str, options: Options
) -> Getter:
    """The first candidate with a value (the reference ``_codegen`` is compared with; dropped
    candidates' warnings are the generated code's business)."""
    getters = [
        (compile_value(cand, index, f"{where}.first_of.{n}", kind, options), cand.on_invalid)
        for n, cand in enumerate(spec.candidates())
    ]
    dropped: list[RowRejected] = []

    def first(cells: Cells) -> Any:
        dropped.clear()
        for get, on_invalid in getters:
            try:
                value = get(cells)
            except Kept as kept:
                value = kept.value
            except RowRejected as exc:
                if on_invalid != "drop":
                    raise
                dropped.append(exc)
                continue
            if value is not None:
                return value
        if spec.required:
            if dropped:
                raise dropped[0]
            raise RowRejected(f"{spec.label(where)}: is empty but required", code="missing_value")
        return None

    return first


def _joined(spec: Value, column: str, kind: str, options: Options) -> tuple[Any, ...]:
    kind = spec.kind(kind)
    convert = converter(spec, kind, column, options)
    early, late = text_steps(spec, column)
    if spec.value is not None and not isinstance(spec.value, str):
        early = []  # a number or boolean constant is used as written
    return (early, spec.default, late, spec.required, convert, spec.max_length,
            per_row_region(spec))  # fmt: skip


def constant(spec: Value, where: str, kind: str, options: Options) -> tuple[Any, list[Any]]:
    """A value without a column: (value, warnings), worked out once before the first row.

    A RowRejected here is a mistake in the mapping (the Builder says so)."""
    if spec.value is not None and not isinstance(spec.value, str) and spec.kind(kind) == "text":
        value: Any = spec.value
        if options.field.type == "text":
            value = _fields.as_text(value)
        return value, []
    try:
        return compile_value(spec, {}, where, kind, options)([]), []
    except Kept as kept:
        return kept.value, kept.warnings


def too_long(value: str, limit: int, column: str) -> Exception:
    """The rejection of a value past its length limit."""
    return reject(column, value, f"is longer than {limit} characters", "too_long")


def per_row_region(spec: Value) -> Value | None:
    """The region spec of a phone value that reads it from a column, row by row."""
    region = spec.region
    return region if region is not None and region.value is None else None


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
        text = spec.value if isinstance(spec.value, str) else str(spec.value)
        if isinstance(spec.value, bool):
            text = "true" if spec.value else "false"
        return lambda cells: text
    return lambda cells: ""


def text_steps(spec: Value, column: str) -> tuple[list[Step], list[Step]]:
    """The text steps before the default (trim, split) and after it (case, map)."""
    early: list[Step] = []
    late: list[Step] = []
    if spec.trim:
        early.append(tf.trim)
    if spec.split is not None:
        sep, at = spec.split.sep, spec.split.index
        early.append(lambda v: tf.split(v, sep, at))
    if spec.case is not None:
        how = spec.case
        late.append(lambda v: tf.case(v, how))
    if spec.map is not None:
        table = dict(spec.map)
        table.update({k.casefold(): v for k, v in spec.map.items() if k.casefold() not in table})
        strict = spec.strict
        late.append(lambda v: tf.map_value(v, table, column=column, strict=strict) if v else v)
    return early, late


def converter(spec: Value, kind: str, column: str, options: Options) -> Callable[..., Any]:
    """The ``as`` conversion, followed by what the API field needs of its result."""
    convert = _typed(_kind_converter(spec, kind, column, options), kind, column, options.field)
    if options.field.org is not None:  # the org's own field: its check after the conversion
        return options.field.org.wrap(convert, column)
    return convert


def _typed(convert: Callable[..., Any], kind: str, column: str, field: _fields.Field) -> Any:
    if field.type == "text" and kind in ("int", "number", "bool"):
        return lambda v: _fields.as_text(convert(v))
    if field.type == "expiry" and kind == "text":
        return lambda v: _fields.check_expiry(v, column)
    return convert


def _kind_converter(spec: Value, kind: str, column: str, options: Options) -> Callable[..., Any]:
    if kind == "phone":
        read = _phone_converter(spec, column, options.region, options.field.mobile)
        return _phone.mobile_only(read, column) if options.field.mobile else read
    if kind == "email":
        return lambda v: tf.email(v, column)
    if kind == "int":
        lo, hi, decimal = spec.min, spec.max, spec.decimal
        floor = options.field.minimum
        if floor is not None and (lo is None or lo < floor):
            lo = floor  # the API's own bound (tierNumber >= 1, loyaltyPoints >= 0)
        return lambda v: _numbers.to_int(v, column, minimum=lo, maximum=hi, decimal=decimal)
    if kind == "number":
        decimal = spec.decimal
        return lambda v: _numbers.to_number(v, column, decimal=decimal)
    if kind == "bool":
        return lambda v: tf.to_bool(v, column)
    if kind == "name":
        which = spec.part or "first"
        return lambda v: _names.part(v, which)
    if kind == "region":
        return _region.resolve
    if kind in ("date", "datetime"):
        return _date_converter(spec, kind, column, options.timezone)
    return _identity


def _phone_converter(
    spec: Value, column: str, default: str | None, mobile: bool = False
) -> Callable[..., Any]:
    region = spec.region
    if region is not None and region.value is None:
        # read row by row from a column; an empty cell falls back on settings.region
        where = _phone.Where(region.label("region"), regional=True, mobile=mobile)

        def read_in_row(v: str, row_region: Any) -> str:
            return _phone.read(v, row_region or default, column, where)

        return read_in_row
    fixed = str(region.value) if region is not None else default
    where = _phone.Where(None, regional=fixed is not None, mobile=mobile)
    return lambda v: _phone.read(v, fixed, column, where)


def _date_converter(spec: Value, kind: str, column: str, timezone: str) -> Callable[[str], Any]:
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
