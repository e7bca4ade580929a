"""The mapping and every value checked against the org's own fields (see ``_org``).

Before the first row, ``with_org`` checks the mapping: every ``extendedFields`` and custom
``fields`` name the org has (else the closest names it does have), a conversion the field's
``dataType`` can take, and every field the org marks mandatory filled. Row by row, each value of
an org field passes ``OrgRule.wrap``, hooked into the value's conversion by ``_compile``, so the
check is one call inside the generated code and a bad value is rejected (or dropped, with
``on_invalid: drop``) like any other value, naming column, value and field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import _fields
from importer.mapping._org import OrgConfig, OrgField
from importer.mapping._problems import reject
from importer.mapping._spec import Mapping

EXTENDED = "extended field"
CUSTOM = "custom field"


@dataclass(frozen=True)
class OrgRule:
    """What one org field asks of a converted value, and how a rejection names the field."""

    field: OrgField
    place: str  # EXTENDED or CUSTOM

    def wrap(self, convert: Callable[..., Any], column: str) -> Callable[..., Any]:
        """``convert`` followed by this field's own check; a rejection names the field."""
        about = f" (the org's {self.place} {self.field.name} is {self.field.data_type})"
        check = self._check(column)

        def converted(text: str, *region: Any) -> Any:
            try:
                value = convert(text, *region)
                return value if check is None else check(value)
            except RowRejected as exc:
                raise RowRejected(str(exc) + about, code=exc.code, column=exc.column) from None

        return converted

    def _check(self, column: str) -> Callable[[Any], Any] | None:
        field = self.field
        if field.data_type == "STANDARD_ENUM" and field.values:
            exact = frozenset(field.values)
            folded: dict[str, str | None] = {}
            for v in field.values:
                # two listed values that differ only in case: neither is guessed from a cell
                folded[v.casefold()] = None if v.casefold() in folded else v
            listed = ", ".join(field.values[:12]) + (", ..." if len(field.values) > 12 else "")

            def enum(value: Any) -> Any:
                if value in exact:
                    return value
                text = _fields.as_text(value)
                spelled = folded.get(text.casefold())
                if spelled is not None:
                    return spelled  # the same value in the org's spelling
                raise reject(
                    column, text, f"is not one of the org's values ({listed})", "not_in_enum"
                )

            return enum
        if field.data_type in ("INTEGER", "DOUBLE"):
            # ``as: text`` sends the cell as written: it must still read as the field's number
            pattern = _WHOLE if field.data_type == "INTEGER" else _DECIMAL
            code = "invalid_int" if field.data_type == "INTEGER" else "invalid_number"
            why = "is not a whole number" if code == "invalid_int" else "is not a number"

            def number_text(value: Any) -> Any:
                if isinstance(value, str) and not pattern.fullmatch(value):
                    raise reject(column, value, why, code)
                return value

            return number_text
        limit = field.max_length
        if limit is not None and field.data_type in _TEXT_TYPES:

            def length(value: Any) -> Any:
                if isinstance(value, str) and len(value) > limit:
                    raise reject(column, value, f"is longer than {limit} characters", "too_long")
                return value

            return length
        return None


_TEXT_TYPES = frozenset({"STRING", "STANDARD_STRING", "STANDARD_ENUM"})
#: numbers sent as text (``as: text``): plain digits, as a JSON reader takes them
_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def field_of(field: OrgField, place: str) -> _fields.Field:
    """The request field an org field is: its type, default conversion and allowed ones."""
    rule = OrgRule(field, place)
    kind = field.data_type
    if kind == "INTEGER":
        return _fields.Field("scalar", default="int", kinds=("int", "text"), org=rule)
    if kind == "DOUBLE":
        return _fields.Field("scalar", default="number", kinds=("int", "number", "text"), org=rule)
    if kind == "DATETIME":
        return _fields.Field("expiry", default="datetime", kinds=("datetime", "text"), org=rule)
    if kind == "STANDARD_ENUM":
        return _fields.Field("text", default="text", kinds=("text",), org=rule)
    if kind in _TEXT_TYPES:
        return _fields.Field("text", org=rule)
    return _fields.Field("scalar", org=rule)  # a type the tool does not know: sent as mapped


def fields_of(org: OrgConfig | None, place: str) -> Callable[[str], _fields.Field]:
    """name -> the request field for values of this place (any scalar without an org file)."""
    table = None if org is None else org.extended if place == EXTENDED else org.custom
    if not table:
        return lambda name: _fields.SCALAR
    found = {name: field_of(f, place) for name, f in table.items()}
    return lambda name: found.get(name, _fields.SCALAR)


def with_org(mapping: Mapping, org: OrgConfig | None) -> Mapping:
    """The mapping checked against the org file and carrying it into compilation.

    ConfigError (exit 2, before the first row) names every field the org does not have, with
    its closest names, every conversion the field's type cannot take, and every mandatory field
    the mapping does not fill."""
    if org is None:
        return mapping
    problems: list[str] = []
    if org.extended is not None:
        _names(mapping.extendedFields, org.extended, EXTENDED, "extendedFields", problems)
        filled = set(mapping.extendedFields)
        problems += [
            f"{name}: the org marks this extended field mandatory; the mapping does not fill it"
            f" (add extendedFields.{name})"
            for name, f in org.extended.items()
            if f.mandatory and name not in filled
        ]
    if org.custom is not None:
        filled = set()
        for n, profile in enumerate(mapping.profiles):
            _names(profile.fields, org.custom, CUSTOM, f"profiles.{n}.fields", problems)
            filled |= set(profile.fields)
        problems += [
            f"{name}: the org marks this custom field mandatory; the mapping does not fill it"
            f" (add profiles[].fields.{name})"
            for name, f in org.custom.items()
            if f.mandatory and name not in filled
        ]
    if problems:
        where = mapping.path or "mapping"
        lines = "\n".join(f"{where}: {p}" for p in problems)
        raise ConfigError(f"{lines}\n(checked against the org file {org.path}, read {org.read_at})")
    return mapping.model_copy(update={"org": org})


def _names(
    specs: dict[str, Any],
    table: dict[str, OrgField],
    place: str,
    where: str,
    problems: list[str],
) -> None:
    for name, spec in specs.items():
        field = table.get(name)
        if field is None:
            problems.append(f"{name}: the org has no such {place}{_suggest(name, table)}")
            continue
        rules = field_of(field, place)
        kind = spec.kind(rules.default)
        if rules.kinds is not None and kind not in rules.kinds:
            takes = " or ".join(f"as: {k}" for k in rules.kinds)
            problems.append(
                f"{where}.{name}: the org's {place} {name} is {field.data_type}: it takes "
                f"{takes}, not as: {kind}"
            )


def closest(name: str, table: dict[str, OrgField], n: int = 3) -> list[str]:
    """The org's field names nearest ``name``: same spelling but case, a label, then similar."""
    key = _key(name)
    same = [
        f.name for f in table.values() if _key(f.name) == key or (f.label and _key(f.label) == key)
    ]
    by_key = {_key(f.name): f.name for f in table.values()}
    similar = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)]
    return list(dict.fromkeys(same + similar))[:n]


def _suggest(name: str, table: dict[str, OrgField]) -> str:
    near = closest(name, table)
    if near:
        return "; did you mean " + " or ".join(near) + "?"
    if not table:
        return " (the org has none)"
    names = sorted(table)
    shown = ", ".join(names[:15]) + (", ..." if len(names) > 15 else "")
    return f" (the org has: {shown})"


def _key(text: str) -> str:
    """A name or label as people write it: ``Marital Status`` and ``marital_status`` agree."""
    return re.sub(r"[\s_\-.]+", "_", text.strip().casefold())
