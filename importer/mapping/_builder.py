"""A mapping compiled for one input's columns: ``build(cells)`` gives a row's request body.

``compile_body`` writes the function (see ``_codegen``): every value of the row, then the body
assembled from them, then the row-level rules (an identifier at all, the org's required ones).
It returns the body, the identity keys, their hashes and the row's warnings, or raises one
RowRejected naming every problem of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from importer._exceptions import ConfigError, RowRejected
from importer._models import IdentityKey
from importer.mapping import _fields
from importer.mapping._codegen import Source
from importer.mapping._problems import Problem, rejected, show
from importer.mapping._spec import CommChannel, Identifier, Mapping, Profile

Cells = list[str]
RawKey = tuple[str, str, str, str]
_MASK = 0xFFFF_FFFF_FFFF_FFFF
_NO_ID: Problem = (
    "no_identifier",
    None,
    "no identifier: every identifier column of the row is empty",
)


class Builder:
    """A compiled mapping: ``build(cells)`` gives the payload and its identity keys."""

    def __init__(self, mapping: Mapping, columns: list[str]) -> None:
        self.mapping = mapping
        self.columns = list(columns)
        index = {name: i for i, name in enumerate(self.columns)}
        try:
            self.build_raw, self.labels, self._usage = compile_body(mapping, index)
        except RowRejected as exc:  # only constants are converted before the first row
            raise ConfigError(f"{mapping.path or 'mapping'}: {exc}") from None

    def take_usage(self) -> dict[str, dict[str, int]]:
        """Per ``first_of`` value, the rows built since the last call (that passed the mapping)
        by the candidate that gave the value (``(none)``: no candidate did); the counts restart.
        Counted in the process that built the rows: workers send theirs with their results."""
        found: dict[str, dict[str, int]] = {}
        for where, labels, counts in self._usage:
            if any(counts):
                names = _unique([*labels, "(none)"])
                found[where] = {names[i - 1]: n for i, n in enumerate(counts) if n}
                counts[:] = [0] * len(counts)
        return found

    def build(self, cells: Cells) -> tuple[dict[str, Any], tuple[IdentityKey, ...]]:
        """The request body for one row and its identity keys; raises RowRejected."""
        body, keys, _, _ = self.build_raw(cells)
        return body, tuple(IdentityKey(*k) for k in keys)

    #: build_raw(cells) -> (body, keys as (source, account, type, value) tuples, their hashes,
    #: warnings or None); the generated function itself, called directly. The hashes use
    #: Python's per-interpreter seeded ``hash``: comparable only within one process and the
    #: processes it forks.
    build_raw: Callable[[Cells], tuple[dict[str, Any], list[RawKey], list[int], Any]]
    #: body path (``loyaltyProgramEnrollments.0.loyaltyPoints``) -> the column it comes from.
    labels: dict[str, str]


def compile_body(
    mapping: Mapping, index: dict[str, int]
) -> tuple[Callable[[Cells], Any], dict[str, str], list[tuple[str, list[str], list[int]]]]:
    """The function ``cells -> (body, keys, hashes, warnings)`` for this mapping and columns,
    the column of each body path it fills (for messages), and the counters of its ``first_of``
    values (``Source.usage``)."""
    required = tuple(mapping.registration.required_identifiers)
    protected = {
        spec.value.model_dump_json(by_alias=True)
        for p in mapping.profiles
        for spec in p.identifiers
        if spec.type in required
    }
    src = Source(mapping, index, protected)
    for line in ("keys = []", "hashes = []", "problems = None", "warns = None"):
        src.emit(line)
    for kind in required:
        src.emit(f"has_{kind} = False")
    profiles = [_profile(src, p, n, required) for n, p in enumerate(mapping.profiles)]
    src.emit(f"if not keys: problems = _add(problems, {src.const(_NO_ID)})")
    for kind in required:
        src.emit(
            f"if not has_{kind}: problems = _add(problems, {src.const(_missing(kind, mapping))})"
        )
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
            value = src.value(spec, name, field=_fields.TEXT)
            src.emit(f"if {value} is not None: body[{name!r}] = {value}")
    info = src.fields(mapping.loyaltyInfo, "loyaltyInfo")
    if info:
        src.emit(f"if {info}: body['loyaltyInfo'] = {info}")
    elif _written_empty(mapping, "loyaltyInfo"):
        src.emit("body['loyaltyInfo'] = {}")
    src.names["_rejected"] = rejected
    src.emit("if problems is not None: raise _rejected(problems)")
    for used, counts in src.used:  # which candidate of each first_of a row that passed used
        src.emit(f"{src.const(counts)}[{used}] += 1")
    src.emit("return body, keys, hashes, warns")
    return src.compile(), src.labels, src.usage


def merge_usage(into: dict[str, dict[str, int]], usage: dict[str, dict[str, int]]) -> None:
    """Add one count of ``first_of`` candidates used (``take_usage``) to another."""
    for where, counts in usage.items():
        mine = into.setdefault(where, {})
        for label, n in counts.items():
            mine[label] = mine.get(label, 0) + n


def _unique(labels: list[str]) -> list[str]:
    """Candidates named by their columns; the same column twice gets its place too."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _missing(kind: str, mapping: Mapping) -> Problem:
    columns = sorted(
        spec.value.columns_used().pop()
        for p in mapping.profiles
        for spec in p.identifiers
        if spec.type == kind and spec.value.columns_used()
    )
    where = f" and column {', '.join(columns)} is empty" if columns else ""
    message = f"identifier {kind} is required by the org's registration rules{where}"
    return ("missing_identifier", columns[0] if columns else None, message)


def _profile(src: Source, spec: Profile, n: int, required: tuple[str, ...]) -> str:
    where = f"profiles.{n}"
    names = [
        (name, src.value(v, f"{where}.{name}", field=_fields.NAME, name=True))
        for name in ("firstName", "lastName")
        if (v := getattr(spec, name)) is not None
    ]
    account = src.name("a")
    if spec.accountId is not None:
        value = src.value(spec.accountId, f"{where}.accountId", field=_fields.TEXT)
        src.emit(f"{account} = '' if {value} is None else {value}")
    else:
        src.emit(f"{account} = ''")
    ids = src.name("ids")
    src.emit(f"{ids} = []")
    for k, ident in enumerate(spec.identifiers):
        _identifier(src, ident, f"{where}.identifiers.{k}", ids, spec.source, account, required)
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


def _identifier(
    src: Source,
    spec: Identifier,
    where: str,
    ids: str,
    source: str,
    account: str,
    required: tuple[str, ...],
) -> None:
    kind = spec.type
    default = _fields.IDENTIFIER_KIND.get(kind, "text")
    field = _fields.MOBILE_FIELD if kind == "mobile" else _fields.TEXT
    value = src.value(spec.value, f"{where}.value", default, field)
    column = spec.value.label(f"{where}.value")
    extras = [
        (name, src.value(v, f"{where}.{name}", field=field))
        for name, field in (
            ("seriesId", _fields.SERIES_ID),
            ("seriesCode", _fields.TEXT),
            ("statusLabel", _fields.TEXT),
        )
        if (v := getattr(spec, name)) is not None
    ]
    ext = src.fields(spec.extendedFields, f"{where}.extendedFields")
    candidates = spec.value.first_of or [spec.value]
    kinds = {candidate.kind(default) for candidate in candidates}
    if kinds - {"phone", "email"} and kind in ("mobile", "email"):
        # a value the mapping did not convert must still be one the API takes
        src.names["_check_identifier"] = _fields.check_identifier
        src.emit(f"if {value}:")
        src.emit("try:", 2)
        named = src.chosen.get(value, repr(column))  # a first_of: the candidate it used
        src.emit(f"_check_identifier({kind!r}, {value}, {named})", 3)
        src.emit("except _Rejected as exc:", 2)
        src.emit(f"{value} = ''", 3)
        src.emit("problems = _problem(problems, exc)", 3)
    item = src.name("i")
    src.emit(f"if {value} is not None:")
    src.emit(f"{item} = {{'type': {kind!r}, 'value': {value}}}", 2)
    for name, extra in extras:
        src.emit(f"if {extra} is not None: {item}[{name!r}] = {extra}", 2)
    if kind == "cardnumber":
        src.names["_show"] = show
        src.emit(f"if 'seriesId' not in {item} and 'seriesCode' not in {item}:", 2)
        src.emit(f"problems = _add(problems, ('invalid_card', {column!r}, {column + ': card '!r} "
                 f"+ _show({value}) + ' has no seriesId or seriesCode'))", 3)  # fmt: skip
    if ext:
        src.emit(f"if {ext}: {item}['extendedFields'] = {ext}", 2)
    elif _written_empty(spec, "extendedFields"):
        src.emit(f"{item}['extendedFields'] = {{}}", 2)
    src.emit(f"{ids}.append({item})", 2)
    src.emit(f"keys.append(({source!r}, {account}, {kind!r}, {value}))", 2)
    # the key as the API compares it (e-mails ignore case), hashed for the in-file duplicate check
    compared = f"{value}.lower()" if kind == "email" else value
    src.emit(f"hashes.append(_hash(({source!r}, {account}, {kind!r}, {compared})) & {_MASK})", 2)
    if kind in required:
        src.emit(f"has_{kind} = True", 2)


def _channel(src: Source, spec: CommChannel, where: str, channels: str) -> None:
    kind = _fields.IDENTIFIER_KIND.get(spec.type, "text")
    field = _fields.MOBILE_FIELD if spec.type == "mobile" else _fields.TEXT
    value = src.value(spec.value, f"{where}.value", kind, field)
    # the flags are sent as the strings "true"/"false" the reference documents, unless the
    # spec says ``json: boolean``; a flag whose cell is empty is left out, never false. A flag
    # read from a column is a value like any other: rejected naming column and value, or
    # dropped with a warning where the mapping says ``on_invalid: drop``.
    fixed: dict[str, Any] = {}
    per_row: list[tuple[str, str]] = []
    for name in _fields.CHANNEL_FLAGS:
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
    item = src.name("c")
    src.emit(f"if {value} is not None:")
    src.emit(f"{item} = {{'type': {spec.type!r}, 'value': {value}, **{fixed!r}}}", 2)
    for name, var in per_row:
        src.emit(f"if {var} is not None: {item}[{name!r}] = {var}", 2)
    if meta:
        src.emit(f"if {meta}: {item}['meta'] = {meta}", 2)
    elif _written_empty(spec, "meta"):
        src.emit(f"{item}['meta'] = {{}}", 2)
    src.emit(f"{channels}.append({item})", 2)


def _enrollment(src: Source, spec: Any, n: int) -> str:
    where = f"loyaltyProgramEnrollments.{n}"
    pairs = [
        (name, src.value(v, f"{where}.{name}", field.default, field))
        for name, field in _fields.ENROLLMENT.items()
        if (v := getattr(spec, name)) is not None
    ]
    var = src.name("e")
    src.emit(f"{var} = {{}}")
    for name, value in pairs:
        src.emit(f"if {value} is not None: {var}[{name!r}] = {value}")
    empty = ("missing_value", None, f"{where}.programId: is empty")
    src.emit(f"if 'programId' not in {var}: problems = _add(problems, {src.const(empty)})")
    return var


def _written_empty(spec: Any, name: str) -> bool:
    """A group written as ``{}`` in the mapping is sent as ``{}``, like the vendor's samples."""
    return name in spec.model_fields_set and not getattr(spec, name)
