"""Generate one straight-line Python function per mapping that assembles a row's request body.

Nested closures cost a call per field per row, and a million rows make that the largest cost of a
dry run; the generated function computes each distinct value once into a local variable (the
mobile identifier and the mobile channel share one phone check) and builds the body inline.
The leaf work stays in the getters of ``_compile`` and the transforms of ``_transforms``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from importer._exceptions import RowRejected
from importer.mapping import _compile as c
from importer.mapping import _transforms as tf
from importer.mapping._spec import FLAGS, Mapping, Value

_MISS = object()
_MASK = 0xFFFF_FFFF_FFFF_FFFF
_MEMO_LIMIT = 4096
_ID_KIND = {"mobile": "phone", "email": "email"}  # identifiers and channels: others are text
_TEXT_KINDS = ("text", "phone", "email", "date", "datetime")
_ENROLLMENT_KINDS = {
    "programId": "int",
    "tierNumber": "int",
    "loyaltyPoints": "number",
    "tierExpiryDate": "datetime",
    "pointsExpiryDate": "datetime",
}


class _Source:
    """The function being written: its lines, its constants and the values computed so far."""

    def __init__(self, mapping: Mapping, index: dict[str, int]) -> None:
        self.mapping = mapping
        self.index = index
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "_trim": tf.trim,
            "_check_identifier": c._check_identifier,
            "_reject": _reject,
            "_meta": _meta,
            "_kept": _kept,
            "_show": tf.show,
            "_too_long": c.too_long,
            "_MISS": _MISS,
            "_hash": hash,
        }
        self.values: dict[Any, str] = {}
        self.counter = 0
        self.required: tuple[str, ...] = ()

    def emit(self, line: str, depth: int = 1) -> None:
        self.lines.append("    " * depth + line)

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, obj: Any) -> str:
        key = self.name("_k")
        self.names[key] = obj
        return key

    def value(self, spec: Value, where: str, kind: str = "text", limit: int | None = None) -> str:
        """Emit the computation of one value (once per distinct spec); return its variable."""
        if "as_" in spec.model_fields_set:
            kind = spec.as_
        settings = self.mapping.settings
        key = (spec.model_dump_json(by_alias=True), kind, c._label(spec, where), limit)
        if key in self.values:
            return self.values[key]
        var = self.name("v")
        options = {"region": settings.region, "timezone": settings.timezone, "max_length": limit}
        parts = c.column_parts(spec, self.index, where, kind=kind, **options)
        if parts is None:
            getter = c.compile_value(spec, self.index, where, kind=kind, **options)
            if spec.columns is None:
                # a constant: compile_value worked it out once; read it as a global
                var = self.const(getter([]))
            else:
                self.emit(f"{var} = {self.const(getter)}(cells)")
        else:
            self._inline(var, parts)
        if spec.json_ == "string":
            var = self.then(var, "_meta")
        if spec.keep_empty:
            var = self.then(var, "_kept")
        self.values[key] = var
        return var

    def then(self, var: str, function: str) -> str:
        """A variable holding ``function(var)``; of a constant, worked out once."""
        if var in self.names:
            return self.const(self.names[function](self.names[var]))
        new = self.name("v")
        self.emit(f"{new} = {function}({var})")
        return new

    def _inline(self, var: str, parts: c.ColumnParts) -> None:
        """Emit the steps of a one-column value as plain statements."""
        if any(step is not tf.trim for step in parts.steps):
            # case, map, split: categorical columns (gender, tier names) repeat a few values,
            # so the whole value is worked out once per distinct cell text
            self._memoised(var, parts)
            return
        self.emit(f"{var} = cells[{parts.at}]")
        for _ in parts.steps:  # only trim: inline, the exact test tf.trim makes
            self.emit(f"{var} = {var}.strip()")
            self.emit(f"if '  ' in {var} or '\\t' in {var} or '\\n' in {var}: {var} = _trim({var})")
        if parts.default is not None:
            self.emit(f"if not {var}: {var} = {parts.default!r}")
        if parts.convert is None and not parts.required and parts.limit is None:
            self.emit(f"{var} = {var} or None")
            return
        self.emit(f"if {var}:")
        if parts.convert is None and parts.limit is None:
            self.emit("pass", 2)
        if parts.convert is not None:
            self.emit(f"{var} = {self.const(parts.convert)}({var})", 2)
        if parts.limit is not None:
            self.emit(f"if isinstance({var}, str) and len({var}) > {parts.limit}:", 2)
            self.emit(f"_too_long({var}, {parts.limit}, {parts.column!r})", 3)
        self.emit("else:")
        if parts.required:
            message = f"{parts.column}: is empty but required"
            self.emit(f"_reject({message!r}, 'missing_value', {parts.column!r})", 2)
        else:
            self.emit(f"{var} = None", 2)

    def _memoised(self, var: str, parts: c.ColumnParts) -> None:
        memo: dict[str, Any] = {}
        getter = c.getter_of(parts)

        def work(text: str) -> Any:
            value = getter(text)
            if len(memo) < _MEMO_LIMIT:
                memo[text] = value
            return value

        cell = f"cells[{parts.at}]"
        self.emit(f"{var} = {self.const(memo)}.get({cell}, _MISS)")
        self.emit(f"if {var} is _MISS: {var} = {self.const(work)}({cell})")

    def fields(self, specs: dict[str, Value], where: str, convert: str = "") -> str | None:
        """Emit a dict of the non-empty values; return its variable, or None when there are none."""
        if not specs:
            return None
        pairs = [(name, self.value(spec, f"{where}.{name}"), spec) for name, spec in specs.items()]
        var = self.name("d")
        self.emit(f"{var} = {{}}")
        for name, value, spec in pairs:
            # an explicit ``json`` was applied by value(): no conversion of the place on top
            wrapped = f"{convert}({value})" if convert and spec.json_ is None else value
            self.emit(f"if {value} is not None: {var}[{name!r}] = {wrapped}")
        return var


def compile_body(mapping: Mapping, index: dict[str, int]) -> Callable[[list[str]], Any]:
    """The function ``cells -> (body, keys)`` for this mapping and these columns."""
    src = _Source(mapping, index)
    src.emit("keys = []")
    src.emit("hashes = []")
    required = tuple(mapping.registration.required_identifiers)
    for kind in required:
        src.emit(f"has_{kind} = False")
    src.required = required
    profiles = [_profile(src, p, n) for n, p in enumerate(mapping.profiles)]
    src.emit("if not keys:")
    src.emit(f"_reject({'no identifier: every identifier column of the row is empty'!r}, "
             "'no_identifier')", 2)  # fmt: skip
    if mapping.registration.required_identifiers:
        src.names["_require"] = c._require
        src.names["_required"] = tuple(mapping.registration.required_identifiers)
        src.names["_mapping"] = mapping
        have = " and ".join(f"has_{kind}" for kind in required)
        src.emit(f"if not ({have}): _require(_required, keys, _mapping)")
    src.emit(f"body = {{'profiles': [{', '.join(profiles)}]}}")
    extended = src.fields(mapping.extendedFields, "extendedFields")
    if extended:
        src.emit(f"if {extended}: body['extendedFields'] = {extended}")
    elif _written_empty(mapping, "extendedFields"):
        src.emit("body['extendedFields'] = {}")
    enrollments = [_enrollment(src, e, n) for n, e in enumerate(mapping.loyaltyProgramEnrollments)]
    if enrollments:
        src.emit(f"body['loyaltyProgramEnrollments'] = [{', '.join(enrollments)}]")
    for name in ("referralCode", "statusLabel", "associatedWith"):
        spec = getattr(mapping, name)
        if spec is not None:
            value = src.value(spec, name)
            src.emit(f"if {value} is not None: body[{name!r}] = {value}")
    info = src.fields(mapping.loyaltyInfo, "loyaltyInfo")
    if info:
        src.emit(f"if {info}: body['loyaltyInfo'] = {info}")
    elif _written_empty(mapping, "loyaltyInfo"):
        src.emit("body['loyaltyInfo'] = {}")
    src.emit("return body, keys, hashes")
    code = "def build(cells):\n" + "\n".join(src.lines) + "\n"
    namespace = dict(src.names)
    exec(compile(code, "<mapping>", "exec"), namespace)  # noqa: S102 - our own generated code
    build = namespace["build"]
    build.source = code  # for debugging: print(builder._build.source)
    return build


def _profile(src: _Source, spec: Any, n: int) -> str:
    where = f"profiles.{n}"
    names = [
        (name, src.value(v, f"{where}.{name}", limit=c.NAME_LIMIT))
        for name in ("firstName", "lastName")
        if (v := getattr(spec, name)) is not None
    ]
    account = src.name("a")
    if spec.accountId is not None:
        value = src.value(spec.accountId, f"{where}.accountId")
        src.emit(f"{account} = '' if {value} is None else str({value})")
    else:
        src.emit(f"{account} = ''")
    ids = src.name("ids")
    src.emit(f"{ids} = []")
    for k, ident in enumerate(spec.identifiers):
        _identifier(src, ident, f"{where}.identifiers.{k}", ids, spec.source, account)
    channels = src.name("cc")
    src.emit(f"{channels} = []")
    for k, channel in enumerate(spec.commChannels):
        _channel(src, channel, f"{where}.commChannels.{k}", channels)
    custom = src.fields(spec.fields, f"{where}.fields")
    profile = src.name("p")
    src.emit(f"{profile} = {{}}")
    for name, value in names:
        src.emit(f"if {value} is not None: {profile}[{name!r}] = {value}")
    src.emit(f"{profile}['identifiers'] = {ids}")
    src.emit(f"if {channels}: {profile}['commChannels'] = {channels}")
    if custom:
        src.emit(f"if {custom}: {profile}['fields'] = {custom}")
    elif _written_empty(spec, "fields"):
        src.emit(f"{profile}['fields'] = {{}}")
    src.emit(f"{profile}['source'] = {spec.source!r}")
    if spec.accountId is not None:
        src.emit(f"if {account}: {profile}['accountId'] = {account}")
    return profile


def _identifier(src: _Source, spec: Any, where: str, ids: str, source: str, account: str) -> None:
    kind = spec.type
    convert = _effective_kind(spec.value, _ID_KIND.get(kind, "text"))
    value = src.value(spec.value, f"{where}.value", _ID_KIND.get(kind, "text"))
    column = c._label(spec.value, f"{where}.value")
    extras = [
        (name, src.value(v, f"{where}.{name}", "int" if name == "seriesId" else "text"))
        for name in ("seriesId", "seriesCode", "statusLabel")
        if (v := getattr(spec, name)) is not None
    ]
    ext = src.fields(spec.extendedFields, f"{where}.extendedFields")
    item = src.name("i")
    src.emit(f"if {value} is not None:")
    if convert not in _TEXT_KINDS:
        src.emit(f"{value} = str({value})", 2)
    if convert not in ("phone", "email") and kind in ("mobile", "email"):
        src.emit(f"_check_identifier({kind!r}, {value}, {column!r})", 2)
    src.emit(f"{item} = {{'type': {kind!r}, 'value': {value}}}", 2)
    for name, extra in extras:
        src.emit(f"if {extra} is not None: {item}[{name!r}] = {extra}", 2)
    if kind == "cardnumber":
        src.emit(f"if 'seriesId' not in {item} and 'seriesCode' not in {item}:", 2)
        src.emit(f"_reject({column + ': card '!r} + _show({value}) + ' has no seriesId or "
                 f"seriesCode', 'invalid_card', {column!r})", 3)  # fmt: skip
    if ext:
        src.emit(f"if {ext}: {item}['extendedFields'] = {ext}", 2)
    elif _written_empty(spec, "extendedFields"):
        src.emit(f"{item}['extendedFields'] = {{}}", 2)
    src.emit(f"{ids}.append({item})", 2)
    src.emit(f"keys.append(({source!r}, {account}, {kind!r}, {value}))", 2)
    # the key as the API compares it (e-mails ignore case), hashed for the in-file duplicate check
    compared = f"{value}.lower()" if kind == "email" else value
    src.emit(f"hashes.append(_hash(({source!r}, {account}, {kind!r}, {compared})) & {_MASK})", 2)
    if kind in src.required:
        src.emit(f"has_{kind} = True", 2)


def _channel(src: _Source, spec: Any, where: str, channels: str) -> None:
    convert = _effective_kind(spec.value, _ID_KIND.get(spec.type, "text"))
    value = src.value(spec.value, f"{where}.value", _ID_KIND.get(spec.type, "text"))
    # the flags are sent as the strings "true"/"false" the reference documents, unless the
    # spec says ``json: boolean``; a flag whose cell is empty is left out
    fixed: dict[str, Any] = {}
    per_row: list[tuple[str, str]] = []
    for name in FLAGS:
        if (flag := getattr(spec, name)) is None:
            continue
        var = src.value(flag, f"{where}.{name}", "bool")
        if flag.json_ is None:
            var = src.then(var, "_meta")
        if var in src.names:
            if src.names[var] is not None:
                fixed[name] = src.names[var]
        else:
            per_row.append((name, var))
    meta = src.fields(spec.meta, f"{where}.meta", convert="_meta")
    shown = value if convert in _TEXT_KINDS else f"str({value})"
    item = src.name("c")
    src.emit(f"if {value} is not None:")
    src.emit(f"{item} = {{'type': {spec.type!r}, 'value': {shown}, **{fixed!r}}}", 2)
    for name, var in per_row:
        src.emit(f"if {var} is not None: {item}[{name!r}] = {var}", 2)
    if meta:
        src.emit(f"if {meta}: {item}['meta'] = {meta}", 2)
    elif _written_empty(spec, "meta"):
        src.emit(f"{item}['meta'] = {{}}", 2)
    src.emit(f"{channels}.append({item})", 2)


def _enrollment(src: _Source, spec: Any, n: int) -> str:
    where = f"loyaltyProgramEnrollments.{n}"
    pairs = [
        (name, src.value(v, f"{where}.{name}", kind))
        for name, kind in _ENROLLMENT_KINDS.items()
        if (v := getattr(spec, name)) is not None
    ]
    var = src.name("e")
    src.emit(f"{var} = {{}}")
    for name, value in pairs:
        src.emit(f"if {value} is not None: {var}[{name!r}] = {value}")
    src.emit(f"if 'programId' not in {var}: _reject({where + '.programId: is empty'!r}, "
             "'missing_value')")  # fmt: skip
    return var


def _written_empty(spec: Any, name: str) -> bool:
    """A group written as ``{}`` in the mapping is sent as ``{}``, like the vendor's samples."""
    return name in spec.model_fields_set and not getattr(spec, name)


def _effective_kind(spec: Value, default: str) -> str:
    return spec.as_ if "as_" in spec.model_fields_set else default


def _reject(message: str, code: str, column: str | None = None) -> None:
    raise RowRejected(message, code=code, column=column)


def _kept(value: Any) -> Any:
    return "" if value is None else value


def _meta(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
