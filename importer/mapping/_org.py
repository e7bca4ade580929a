"""The org's own field configuration, as ``importer org pull`` saved it: which extended and custom
fields the org has, their data types, enum values and whether the org requires them.

The file keeps the API's answers as they came (``endpoints.<name>.answer``); this module reads
the fields out of them. The answers' shapes are those the vendor documents for
``GET /v2/extendedFields`` (``entity.CUSTOMER``: name, label, dataType) and
``GET /v2/entity/extendedFieldConfig`` (per ``extendedFieldId``: mandatory,
rejectTxnOnInvalidValue); where the reference is silent (enum values, the custom fields' list)
a few plausible spellings are read. Pure but for reading the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importer._exceptions import ConfigError

#: the endpoints ``org pull`` reads, by the key the file keeps each answer under.
ENDPOINTS = {
    "extendedFields": "/v2/extendedFields",
    "customFields": "/v2/organization/customFields",
    "extendedFieldConfig": "/v2/entity/extendedFieldConfig",
}
#: the version of the file's layout.
FORMAT = 1
#: where a field lists its enum values: undocumented, so the spellings seen in the vendor's
#: other answers and the emulator's own (``enumValues``).
_VALUE_KEYS = ("enumValues", "possibleValues", "allowedValues", "values", "enums")
_LENGTH_KEYS = ("maxLength", "length", "size")


@dataclass(frozen=True)
class OrgField:
    """One extended or custom field of the org."""

    name: str
    label: str = ""
    data_type: str = "STRING"
    values: tuple[str, ...] | None = None  # STANDARD_ENUM values, when the org file lists them
    max_length: int | None = None
    mandatory: bool = False
    reject_invalid: bool = False  # rejectTxnOnInvalidValue: the API refuses the whole add
    id: int | None = None


@dataclass(frozen=True)
class OrgConfig:
    """The org file: its fields, or None for an endpoint that could not be read."""

    path: str
    base_url: str
    read_at: str
    extended: dict[str, OrgField] | None
    custom: dict[str, OrgField] | None
    #: endpoint key -> why it could not be read (the others still count)
    failures: dict[str, str]


def load_org(path: str | Path) -> OrgConfig:
    """Read an org file written by ``importer org pull``; ConfigError naming the file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such org file (write it with: importer org pull)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the org file: {exc}") from None
    return parse_org(data, str(path))


def parse_org(data: Any, name: str = "<org>") -> OrgConfig:
    """The org's fields out of the saved answers."""
    if not isinstance(data, dict) or not isinstance(data.get("endpoints"), dict):
        raise ConfigError(f"{name}: not an org file (written by importer org pull)")
    endpoints = data["endpoints"]
    answers = {k: v.get("answer") for k, v in endpoints.items() if isinstance(v, dict)}
    failures = {
        k: str(v.get("error")) for k, v in endpoints.items() if isinstance(v, dict) and "error" in v
    }
    config = _config(answers.get("extendedFieldConfig"))
    extended = None
    if answers.get("extendedFields") is not None:
        extended = {f.name: f for f in _extended(answers["extendedFields"], config)}
    custom = None
    if answers.get("customFields") is not None:
        custom = {f.name: f for f in _custom(answers["customFields"])}
    return OrgConfig(
        path=name,
        base_url=str(data.get("base_url") or ""),
        read_at=str(data.get("read_at") or ""),
        extended=extended,
        custom=custom,
        failures=failures,
    )


def _extended(answer: Any, config: Mapping[Any, Mapping[str, Any]]) -> Iterable[OrgField]:
    entity = answer.get("entity") if isinstance(answer, dict) else None
    if not isinstance(entity, dict):
        return []
    customer = next((v for k, v in entity.items() if str(k).upper() == "CUSTOMER"), None)
    fields = []
    for item in customer if isinstance(customer, list) else []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        extra = config.get(item.get("id"), {})
        fields.append(_field(item, extra))
    return fields


def _custom(answer: Any) -> Iterable[OrgField]:
    """Custom fields: the shape is undocumented; a list of objects with a ``name``, found under
    the first key that holds one (``entity``, ``customFields``, ...), or the answer itself."""
    items: Any = answer
    if isinstance(answer, dict):
        items = next(
            (
                v
                for k, v in answer.items()
                if k not in ("warnings", "errors") and isinstance(v, list | dict)
            ),
            [],
        )
        if isinstance(items, dict):  # e.g. {"entity": {"customFields": [...]}} or by scope
            items = [x for v in items.values() if isinstance(v, list) for x in v]
    return [_field(i, {}) for i in items if isinstance(i, dict) and i.get("name")]


def _config(answer: Any) -> dict[Any, Mapping[str, Any]]:
    """extendedFieldConfig by extendedFieldId."""
    items: Any = answer.get("entity") if isinstance(answer, dict) else answer
    if isinstance(items, dict):
        items = [x for v in items.values() if isinstance(v, list) for x in v]
    found: dict[Any, Mapping[str, Any]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("extendedFieldId") is not None:
            found[item["extendedFieldId"]] = item
    return found


def _field(item: Mapping[str, Any], config: Mapping[str, Any]) -> OrgField:
    values = next((item[k] for k in _VALUE_KEYS if isinstance(item.get(k), list)), None)
    length = next((item[k] for k in _LENGTH_KEYS if isinstance(item.get(k), int)), None)
    mandatory = config.get("mandatory", item.get("mandatory", item.get("isMandatory", False)))
    reject = config.get("rejectTxnOnInvalidValue", item.get("rejectTxnOnInvalidValue", False))
    return OrgField(
        name=str(item["name"]),
        label=str(item.get("label") or ""),
        data_type=str(item.get("dataType") or item.get("type") or "STRING").upper(),
        values=tuple(str(v.get("value", v)) if isinstance(v, dict) else str(v) for v in values)
        if values is not None
        else None,
        max_length=length if length and length > 0 else None,
        mandatory=mandatory is True or str(mandatory).lower() == "true",
        reject_invalid=reject is True or str(reject).lower() == "true",
        id=item.get("id") if isinstance(item.get("id"), int) else None,
    )
