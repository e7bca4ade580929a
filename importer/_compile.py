"""Compile a mapping once into plain closures that turn one row's cells into a request body.

Interpreting the YAML per row would cost more than the row's own work; here each value becomes
one closure over a column index, and the API's per-field rules run inside them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from importer import _transforms as tf
from importer._exceptions import RowRejected
from importer._mapping import Mapping, Value
from importer._models import IdentityKey

Cells = list[str]
Getter = Callable[[Cells], Any]
RawKey = tuple[str, str, str, str]

NAME_LIMIT = 100
_MOBILE = re.compile(r"\d{7,15}")
_SERIES = re.compile(r"\d+")


class Builder:
    """A compiled mapping: ``build(cells)`` gives the payload and its identity keys."""

    def __init__(self, mapping: Mapping, columns: list[str]) -> None:
        self.mapping = mapping
        self.columns = list(columns)
        index = {name: i for i, name in enumerate(self.columns)}
        cache: dict[Any, Any] = {"tick": [0]}
        self._tick = cache["tick"]
        self._build = _compile_body(mapping, index, cache)

    def build(self, cells: Cells) -> tuple[dict[str, Any], tuple[IdentityKey, ...]]:
        """The request body for one row and its identity keys; raises RowRejected."""
        body, keys = self.build_raw(cells)
        return body, tuple(IdentityKey(*k) for k in keys)

    def build_raw(self, cells: Cells) -> tuple[dict[str, Any], list[RawKey]]:
        """Like build, with keys as plain (source, account, type, value) tuples."""
        self._tick[0] += 1
        return self._build(cells)


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
    cache: dict[Any, Any] | None = None,
) -> Getter:
    """One value's getter: cells -> API value, or None when empty and optional.

    With a ``cache`` (one per Builder), identical specs share one getter that computes once per
    row: the mobile identifier and the mobile channel cost one phone check, not two.
    """
    if "as_" in spec.model_fields_set:
        kind = spec.as_
    column = _label(spec, where)
    if cache is not None and kind in ("phone", "email"):
        key = (spec.model_dump_json(by_alias=True), kind, column, region, timezone, max_length)
        if key not in cache:
            plain = compile_value(
                spec, index, where, kind=kind, region=region, timezone=timezone,
                max_length=max_length,
            )  # fmt: skip
            cache[key] = _once_per_row(plain, cache.setdefault("tick", [0]))
        return cache[key]
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

    def get(cells: Cells) -> Any:
        text = read(cells)
        if constant is not None:
            return constant
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
        value = convert(text)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise tf.reject(column, text, f"is longer than {limit} characters", "too_long")
        return value

    return get


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
    try:
        return convert(text)
    except RowRejected as exc:
        from importer._exceptions import ConfigError

        raise ConfigError(f"{mapping_name()}: a constant is not valid: {exc}") from None


def mapping_name() -> str:
    return "the mapping"


def _identity(value: str) -> str:
    return value


def _once_per_row(get: Getter, tick: list[int]) -> Getter:
    """Memoise a getter for the current row (``tick`` counts rows, see Builder.build)."""
    last = [-1, None]

    def memo(cells: Cells) -> Any:
        if last[0] != tick[0]:
            last[1] = get(cells)
            last[0] = tick[0]
        return last[1]

    return memo


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


def _no_fields(cells: Cells) -> dict[str, Any]:
    return {}


def _fields(
    specs: dict[str, Value], index: dict[str, int], where: str, **options: Any
) -> Callable[[Cells], dict[str, Any]]:
    getters = [
        (name, compile_value(spec, index, f"{where}.{name}", **options))
        for name, spec in specs.items()
    ]
    if not getters:
        return _no_fields

    def get(cells: Cells) -> dict[str, Any]:
        out = {}
        for name, getter in getters:
            value = getter(cells)
            if value is not None:
                out[name] = value
        return out

    return get


def _compile_body(
    mapping: Mapping, index: dict[str, int], cache: dict[Any, Any]
) -> Callable[[Cells], Any]:
    s = mapping.settings
    opts = {"region": s.region, "timezone": s.timezone, "cache": cache}
    profiles = [_profile(p, i, index, opts) for i, p in enumerate(mapping.profiles)]
    required = tuple(mapping.registration.required_identifiers)
    extended = _fields(mapping.extendedFields, index, "extendedFields", **opts)
    loyalty_info = _fields(mapping.loyaltyInfo, index, "loyaltyInfo", **opts)
    enrollments = [
        _enrollment(e, i, index, opts) for i, e in enumerate(mapping.loyaltyProgramEnrollments)
    ]
    tops = [
        (name, compile_value(spec, index, name, **opts))
        for name in ("referralCode", "statusLabel", "associatedWith")
        if (spec := getattr(mapping, name)) is not None
    ]

    def build(cells: Cells) -> tuple[dict[str, Any], list[RawKey]]:
        body: dict[str, Any] = {}
        keys: list[RawKey] = []
        body["profiles"] = [profile(cells, keys) for profile in profiles]
        if not keys:
            raise RowRejected(
                "no identifier: every identifier column of the row is empty", code="no_identifier"
            )
        if required:
            _require(required, keys, mapping)
        if extended_fields := extended(cells):
            body["extendedFields"] = extended_fields
        if enrollments:
            body["loyaltyProgramEnrollments"] = [e(cells) for e in enrollments]
        for name, getter in tops:
            value = getter(cells)
            if value is not None:
                body[name] = value
        if info := loyalty_info(cells):
            body["loyaltyInfo"] = info
        return body, keys

    return build


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


_ID_KIND = {"mobile": "phone", "email": "email", "externalId": "text", "cardnumber": "text"}


def _profile(
    spec: Any, n: int, index: dict[str, int], opts: dict[str, Any]
) -> Callable[[Cells, list[RawKey]], dict[str, Any]]:
    where = f"profiles.{n}"
    source = spec.source
    account = (
        compile_value(spec.accountId, index, f"{where}.accountId", **opts)
        if spec.accountId
        else None
    )
    names = [
        (name, compile_value(v, index, f"{where}.{name}", max_length=NAME_LIMIT, **opts))
        for name in ("firstName", "lastName")
        if (v := getattr(spec, name)) is not None
    ]
    identifiers = [
        _identifier(i, f"{where}.identifiers.{k}", index, opts)
        for k, i in enumerate(spec.identifiers)
    ]
    channels = [
        _channel(c, f"{where}.commChannels.{k}", index, opts)
        for k, c in enumerate(spec.commChannels)
    ]
    fields = _fields(spec.fields, index, f"{where}.fields", **opts)

    def build(cells: Cells, keys: list[RawKey]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, getter in names:
            value = getter(cells)
            if value is not None:
                out[name] = value
        account_id = account(cells) if account is not None else None
        ids = [x for x in (i(cells) for i in identifiers) if x is not None]
        out["identifiers"] = ids
        acct = "" if account_id is None else str(account_id)
        keys.extend((source, acct, x["type"], x["value"]) for x in ids)
        comm = [x for x in (c(cells) for c in channels) if x is not None]
        if comm:
            out["commChannels"] = comm
        if custom := fields(cells):
            out["fields"] = custom
        out["source"] = source
        if account_id is not None:
            out["accountId"] = str(account_id)
        return out

    return build


def _identifier(spec: Any, where: str, index: dict[str, int], opts: dict[str, Any]) -> Getter:
    kind = spec.type
    value = compile_value(spec.value, index, f"{where}.value", kind=_ID_KIND[kind], **opts)
    column = _label(spec.value, f"{where}.value")
    extras = [
        (
            name,
            compile_value(
                v, index, f"{where}.{name}", kind="int" if name == "seriesId" else "text", **opts
            ),
        )
        for name in ("seriesId", "seriesCode", "statusLabel")
        if (v := getattr(spec, name)) is not None
    ]
    ext = _fields(spec.extendedFields, index, f"{where}.extendedFields", **opts)

    def get(cells: Cells) -> dict[str, Any] | None:
        text = value(cells)
        if text is None:
            return None
        text = str(text)
        _check_identifier(kind, text, column)
        out: dict[str, Any] = {"type": kind, "value": text}
        for name, getter in extras:
            extra = getter(cells)
            if extra is not None:
                out[name] = extra
        if kind == "cardnumber" and "seriesId" not in out and "seriesCode" not in out:
            raise RowRejected(
                f"{column}: card {tf.show(text)} has no seriesId or seriesCode",
                code="invalid_card",
                column=column,
            )
        if fields := ext(cells):
            out["extendedFields"] = fields
        return out

    return get


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


def _channel(spec: Any, where: str, index: dict[str, int], opts: dict[str, Any]) -> Getter:
    kind = spec.type
    value = compile_value(spec.value, index, f"{where}.value", kind=_ID_KIND[kind], **opts)
    flags = {
        name: ("true" if flag else "false")
        for name in ("primary", "verified")
        if (flag := getattr(spec, name)) is not None
    }
    meta = _fields(spec.meta, index, f"{where}.meta", **opts)

    def get(cells: Cells) -> dict[str, Any] | None:
        text = value(cells)
        if text is None:
            return None
        out: dict[str, Any] = {"type": kind, "value": str(text), **flags}
        if info := meta(cells):
            out["meta"] = {k: str(v).lower() if isinstance(v, bool) else v for k, v in info.items()}
        return out

    return get


def _enrollment(
    spec: Any, n: int, index: dict[str, int], opts: dict[str, Any]
) -> Callable[[Cells], dict[str, Any]]:
    where = f"loyaltyProgramEnrollments.{n}"
    kinds = {
        "programId": "int",
        "tierNumber": "int",
        "loyaltyPoints": "number",
        "tierExpiryDate": "datetime",
        "pointsExpiryDate": "datetime",
    }
    getters = [
        (name, compile_value(v, index, f"{where}.{name}", kind=kind, **opts))
        for name, kind in kinds.items()
        if (v := getattr(spec, name)) is not None
    ]

    def get(cells: Cells) -> dict[str, Any]:
        out = {}
        for name, getter in getters:
            value = getter(cells)
            if value is not None:
                out[name] = value
        if "programId" not in out:
            raise RowRejected(f"{where}.programId: is empty", code="missing_value")
        return out

    return get
