"""Write one straight-line Python function per mapping: the values of a row, one local each.

Nested closures cost a call per field per row, and a million rows make that the largest cost of a
dry run; the generated function computes each distinct value once into a local variable (the
mobile identifier and the mobile channel share one phone check). ``_builder`` assembles the body
from these variables; the leaf work stays in the getters of ``_compile``.

Every value runs inside its own ``try`` (free in Python 3.11 when nothing is raised), so a row
collects every problem of its values: a rejected value adds to ``problems`` and leaves the
sentinel ``""`` (present, so an identifier that failed is not also reported missing); a value
the mapping lets ``drop`` becomes None (left out) with a warning; a value ``Kept`` with a
warning is used. A value's own ``json: string`` and ``keep_empty`` are applied inside its ``try``,
so a dropped value stays left out.
"""

from __future__ import annotations

from typing import Any

from importer._exceptions import RowRejected
from importer.mapping import _compile as c
from importer.mapping import _fields
from importer.mapping import _transforms as tf
from importer.mapping._problems import Kept, LocalWarning, Problem, dropped, problem_of, warning
from importer.mapping._spec import Mapping
from importer.mapping._value import Value

_MISS = object()
_MEMO_LIMIT = 4096


def _problem(problems: list[Problem] | None, exc: RowRejected) -> list[Problem]:
    if problems is None:
        problems = []
    problems.append(problem_of(exc))
    return problems


def _add(problems: list[Problem] | None, problem: Problem) -> list[Problem]:
    return [problem] if problems is None else [*problems, problem]


def _warned(warns: list[LocalWarning] | None, items: list[LocalWarning]) -> list[LocalWarning]:
    return list(items) if warns is None else warns + items


def _kept(value: Any) -> Any:
    """``keep_empty``: an empty value is sent as ""."""
    return "" if value is None else value


def _meta(value: Any) -> Any:
    """A true/false as the text "true"/"false" (``json: string``, channel flags and meta)."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def _finishing(spec: Value) -> list[str]:
    """What a value's own keys do to it after its conversion, in this order."""
    return (["_meta"] if spec.json_ == "string" else []) + (["_kept"] if spec.keep_empty else [])


def _cut(value: str, column: str) -> LocalWarning:
    message = (
        f"{column}: {tf.trim(value[:40])}… has {len(value)} characters: cut to "
        f"{_fields.NAME_LIMIT}, as the API does"
    )
    return warning("cut_to_100", column, message)


class Source:
    """The function being written: its lines, its constants and the values computed so far."""

    def __init__(self, mapping: Mapping, index: dict[str, int], protected: set[str]) -> None:
        self.mapping = mapping
        self.index = index
        #: specs (as JSON) of required identifiers: never dropped, whatever on_invalid says
        self.protected = protected
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "_trim": tf.trim,
            "_MISS": _MISS,
            "_hash": hash,
            "_Kept": Kept,
            "_Rejected": RowRejected,
            "_problem": _problem,
            "_add": _add,
            "_warned": _warned,
            "_dropped": dropped,
            "_cut": _cut,
            "_kept": _kept,
            "_meta": _meta,
        }
        self.values: dict[Any, str] = {}
        #: body path -> the column its value comes from, for the request model's messages
        self.labels: dict[str, str] = {}
        self.counter = 0
        #: how deep the lines being written are nested (a ``first_of`` candidate's ``else``)
        self.indent = 0
        #: per ``first_of`` value: (its place, its candidates' labels, rows per candidate;
        #: index 0 counts the rows where none gave a value), counted by the generated code
        self.usage: list[tuple[str, list[str], list[int]]] = []
        #: (the variable saying which candidate a row used, its counts), counted at the end
        self.used: list[tuple[str, list[int]]] = []
        #: a first_of's variable -> an expression naming the column of the candidate it used
        self.chosen: dict[str, str] = {}
        self.options = c.Options(mapping.settings.region, mapping.settings.timezone)

    def emit(self, line: str, depth: int = 1) -> None:
        self.lines.append("    " * (depth + self.indent) + line)

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, obj: Any) -> str:
        key = self.name("_k")
        self.names[key] = obj
        return key

    def value(
        self,
        spec: Value,
        where: str,
        kind: str = "text",
        field: _fields.Field = _fields.SCALAR,
        *,
        name: bool = False,
    ) -> str:
        """Emit the computation of one value (once per distinct spec); return its variable.

        ``name``: a first or last name, cut to the API's 100 characters with a warning unless
        the spec says ``max_length`` or ``on_invalid: reject``."""
        dump = spec.model_dump_json(by_alias=True)
        kind = spec.kind(kind)
        if "identifiers" not in where and "commChannels" not in where:
            self.labels[where] = spec.label(where)  # lists skip empty items: paths may shift
        key = (dump, kind, spec.label(where), field, name)
        if key in self.values:
            return self.values[key]
        options = c.Options(self.options.region, self.options.timezone, field)
        if spec.first_of is not None:
            var = self._first_of(spec, where, kind, field, name, dump)
        elif spec.column is None and spec.columns is None:
            var = self._constant(spec, where, kind, options)
        else:
            var = self.name("v")
            self._computed(var, spec, where, kind, options, name, dump)
        self.values[key] = var
        return var

    def then(self, var: str, function: str) -> str:
        """A variable holding ``function(var)``; of a constant, worked out once."""
        if var in self.names:
            return self.const(self.names[function](self.names[var]))
        new = self.name("v")
        self.emit(f"{new} = {function}({var})")
        return new

    def _constant(self, spec: Value, where: str, kind: str, options: c.Options) -> str:
        found, warns = c.constant(spec, where, kind, options)
        for function in _finishing(spec):
            found = self.names[function](found)
        if warns:
            self.emit(f"warns = _warned(warns, {self.const(warns)})")
        return self.const(found)  # worked out once; read as a global

    def _computed(
        self,
        var: str,
        spec: Value,
        where: str,
        kind: str,
        options: c.Options,
        name: bool,
        dump: str,
        drops: str | None = None,
    ) -> None:
        """``drops``: a ``first_of`` candidate, whose dropped value goes into that list (the
        ``first_of`` decides what it becomes) instead of becoming a warning here."""
        explicit_reject = spec.on_invalid == "reject"
        limit = spec.max_length or (_fields.NAME_LIMIT if name and explicit_reject else None)
        # a name the limit above lets through is cut to the API's 100 characters, as it would
        cut = name and not explicit_reject and (limit is None or limit > _fields.NAME_LIMIT)
        if limit != spec.max_length:
            spec = spec.model_copy(update={"max_length": limit})
        parts = c.column_parts(spec, self.index, where, kind, options)
        region = None
        if parts is not None and parts.region is not None:
            region = self.value(parts.region, f"{where}.region", "region")
        self.emit("try:")
        if parts is None:
            getter = c.compile_value(spec, self.index, where, kind, options)
            self.emit(f"{var} = {self.const(getter)}(cells)", 2)
        else:
            self._inline(var, parts, region)
        finishing = _finishing(spec)
        for function in finishing:
            self.emit(f"{var} = {function}({var})", 2)
        self.emit("except _Kept as kept:")
        self.emit(f"{var} = kept.value", 2)
        for function in finishing:
            self.emit(f"{var} = {function}({var})", 2)
        self.emit("warns = _warned(warns, kept.warnings)", 2)
        self.emit("except _Rejected as exc:")
        on_invalid = spec.on_invalid or self.mapping.settings.on_invalid
        if on_invalid == "drop" and not spec.required and dump not in self.protected:
            self.emit(f"{var} = None", 2)
            if drops is None:
                self.emit("warns = _warned(warns, [_dropped(exc)])", 2)
            else:
                self.emit(f"{drops} = _add({drops}, exc)", 2)
        else:
            self.emit(f"{var} = ''", 2)
            self.emit("problems = _problem(problems, exc)", 2)
        if cut:
            column = spec.label(where)
            self.emit(f"if {var} is not None and len({var}) > {_fields.NAME_LIMIT}:")
            self.emit(f"warns = _warned(warns, [_cut({var}, {column!r})])", 2)
            self.emit(f"{var} = {var}[:{_fields.NAME_LIMIT}]", 2)

    def _first_of(
        self, spec: Value, where: str, kind: str, field: _fields.Field, name: bool, dump: str
    ) -> str:
        """The first candidate that gives a value, each computed only when the ones before it
        gave none: a candidate rejected stops there (its problem rejects the row); one dropped
        (``on_invalid: drop``) falls through to the next with a ``dropped_value`` warning. When
        none gives a value and the value may not be left out (``required``, an identifier the
        org requires), the dropped ones reject the row instead, naming their values."""
        var, used, drops = self.name("v"), self.name("u"), self.name("x")
        for line in (f"{var} = None", f"{used} = 0", f"{drops} = None"):
            self.emit(line)
        known, base = dict(self.values), self.indent
        candidates = spec.candidates()
        for n, candidate in enumerate(candidates, 1):
            at = f"{where}.first_of.{n - 1}"
            if candidate.column is None and candidate.columns is None:
                found = self.value(candidate, at, kind, field, name=name)
            else:
                found = self.name("v")
                options = c.Options(self.options.region, self.options.timezone, field)
                self._computed(found, candidate, at, candidate.kind(kind), options, name,
                               candidate.model_dump_json(by_alias=True), drops)  # fmt: skip
            self.emit(f"if {found} is not None:")
            self.emit(f"{var} = {found}", 2)
            self.emit(f"{used} = {n}", 2)
            if n < len(candidates):
                self.emit("else:")
                self.indent += 1
        # what a candidate's branch computed is not there on the other branches
        self.values, self.indent = known, base
        self.emit(f"if {drops} is not None:")
        if spec.required or dump in self.protected:
            self.emit(f"if {var} is None:", 2)
            self.emit(f"for exc in {drops}: problems = _problem(problems, exc)", 3)
            self.emit("else:", 2)
            self.emit(f"warns = _warned(warns, [_dropped(exc) for exc in {drops}])", 3)
        else:
            self.emit(f"warns = _warned(warns, [_dropped(exc) for exc in {drops}])", 2)
        labels = [cand.label(f"{where}.first_of.{n}") for n, cand in enumerate(candidates)]
        if spec.required:
            others = ", ".join(labels[1:])
            message = f"{labels[0]}: is empty, and so are the other candidates ({others}): required"
            problem = ("missing_value", labels[0], message)
            self.emit(f"if {var} is None and {drops} is None: "
                      f"problems = _add(problems, {self.const(problem)})")  # fmt: skip
        self.usage.append((where, labels, [0] * (len(candidates) + 1)))
        self.used.append((used, self.usage[-1][2]))
        self.chosen[var] = f"{self.const([labels[0], *labels])}[{used}]"
        return var

    def _inline(self, var: str, parts: c.ColumnParts, region: str | None) -> None:
        """Emit the steps of a one-column value as plain statements (inside the ``try``)."""
        if parts.late or any(step is not tf.trim for step in parts.early):
            self._memoised(var, parts, region)
            return
        self.emit(f"{var} = cells[{parts.at}]", 2)
        for _ in parts.early:  # only trim: inline, the exact test tf.trim makes
            self.emit(f"{var} = {var}.strip()", 2)
            self.emit(
                f"if '  ' in {var} or '\\t' in {var} or '\\n' in {var}: {var} = _trim({var})", 2
            )
        if parts.default is not None:
            self.emit(f"if not {var}: {var} = {parts.default!r}", 2)
        if parts.convert is None and not parts.required and parts.limit is None:
            self.emit(f"{var} = {var} or None", 2)
            return
        self.emit(f"if {var}:", 2)
        if parts.convert is None and parts.limit is None:
            self.emit("pass", 3)
        if parts.convert is not None:
            extra = f", {region}" if region is not None else ""  # a phone: the row's region
            self.emit(f"{var} = {self.const(parts.convert)}({var}{extra})", 3)
        if parts.limit is not None:
            self.emit(f"if isinstance({var}, str) and len({var}) > {parts.limit}:", 3)
            self.emit(f"raise {self.const(c.too_long)}({var}, {parts.limit}, {parts.column!r})", 4)
        self.emit("else:", 2)
        if parts.required:
            message = f"{parts.column}: is empty but required"
            self.emit(f"raise _Rejected({message!r}, code='missing_value', "
                      f"column={parts.column!r})", 3)  # fmt: skip
        else:
            self.emit(f"{var} = None", 3)

    def _memoised(self, var: str, parts: c.ColumnParts, region: str | None) -> None:
        getter = c.getter_of(parts)
        cell = f"cells[{parts.at}]"
        if region is not None:
            # a phone read in the row's region: a value of its own on every row
            self.emit(f"{var} = {self.const(getter)}({cell}, {region})", 2)
            return
        # case, map, split: categorical columns (gender, tier names) repeat a few values,
        # so the whole value is worked out once per distinct cell text
        memo: dict[str, Any] = {}

        def work(text: str) -> Any:
            value = getter(text)
            if len(memo) < _MEMO_LIMIT:
                memo[text] = value
            return value

        self.emit(f"{var} = {self.const(memo)}.get({cell}, _MISS)", 2)
        self.emit(f"if {var} is _MISS: {var} = {self.const(work)}({cell})", 2)

    def fields(
        self, specs: dict[str, Value], where: str, convert: str = "", field: Any = _fields.SCALAR
    ) -> str | None:
        """Emit a dict of the non-empty values; return its variable, or None when there are none."""
        if not specs:
            return None
        pairs = [
            (n, self.value(spec, f"{where}.{n}", field=field), spec) for n, spec in specs.items()
        ]
        var = self.name("d")
        self.emit(f"{var} = {{}}")
        for name, value, spec in pairs:
            # an explicit ``json`` was applied by value(): no conversion of the place on top
            wrapped = f"{convert}({value})" if convert and spec.json_ is None else value
            self.emit(f"if {value} is not None: {var}[{name!r}] = {wrapped}")
        return var

    def compile(self) -> Any:
        """The generated function, with its source kept for debugging."""
        code = "def build(cells):\n" + "\n".join(self.lines) + "\n"
        namespace = dict(self.names)
        exec(compile(code, "<mapping>", "exec"), namespace)  # noqa: S102 - our own generated code
        build = namespace["build"]
        build.source = code  # for debugging: print(builder.build_raw.source)
        return build
