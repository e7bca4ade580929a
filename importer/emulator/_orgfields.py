"""The org's extended and custom fields: the three GETs that list them, and what Add Customer
does with the ``extendedFields`` and ``fields`` of a body (pure).

The reference documents the answers' shapes (``GET /v2/extendedFields``: ``entity.CUSTOMER``;
``GET /v2/entity/extendedFieldConfig``: one entry per ``extendedFieldId``) but not what an add
answers for a field the org does not have or a value of the wrong type. The emulator's choice,
following ``rejectTxnOnInvalidValue``: the value is dropped with a warning, or the add is
rejected; the codes (8071-8073) are the emulator's own. These checks are written apart from the
importer's (``importer.mapping``), so each is a test of the other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from importer.emulator._org import CustomField, ExtendedField, Org
from importer.emulator._rules import Problem

#: warning: an extended or custom field the org does not have, left out
UNKNOWN_FIELD = 8071
#: warning (or error, when the field says rejectTxnOnInvalidValue): a value the field refuses
INVALID_VALUE = 8072
#: the date-time format extended DATETIME fields take, as the reference writes its dates
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}:\d{2}|Z)")
_INTEGER = re.compile(r"[+-]?\d{1,18}")
#: a fixed time for createdOn / modifiedOn, as the documented answer carries them
_CREATED_MS = 1_609_459_200_000
_CREATED_ISO = "2021-01-01T00:00:00Z"
_ENVELOPE = {"warnings": [], "errors": [], "success": True}


def extended_fields_answer(org: Org) -> dict[str, Any]:
    """``GET /v2/extendedFields``: the customer's fields (other entities listed empty)."""
    fields = [_extended(n, f) for n, f in enumerate(org.extended_fields, start=1)]
    entity = {"CUSTOMER": fields, "REGULAR_LINEITEM": [], "TRANSACTION": []}
    return {"entity": entity, **_ENVELOPE}


def _extended(n: int, field: ExtendedField) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": n,
        "name": field.name,
        "label": field.label or field.name,
        "dataType": field.dataType,
        "baseEntityType": "CUSTOMER",
        "entityType": "CUSTOMER",
        "createdOn": _CREATED_MS,
        "createdOnISO": _CREATED_ISO,
        "modifiedOn": _CREATED_MS,
        "modifiedOnISO": _CREATED_ISO,
        "createdBy": -1,
        "modifiedBy": -1,
    }
    if field.values is not None:
        item["enumValues"] = list(field.values)  # undocumented: the emulator's key
    if field.maxLength is not None:
        item["maxLength"] = field.maxLength
    return item


def field_config_answer(org: Org) -> dict[str, Any] | None:
    """``GET /v2/entity/extendedFieldConfig``; None when the org does not answer it."""
    if not org.extended_field_config:
        return None
    entity = [
        {
            "extendedFieldId": n,
            "mandatory": f.mandatory,
            "isPiiData": False,
            "isPsiData": False,
            "hideDisplay": False,
            "position": n,
            "fieldUpdatable": True,
            "updatable": True,
            "computeEnabled": False,
            "rejectTxnOnInvalidValue": f.rejectTxnOnInvalidValue,
            "auditTrailEnabled": False,
        }
        for n, f in enumerate(org.extended_fields, start=1)
    ]
    return {"entity": entity, **_ENVELOPE}


def custom_fields_answer(org: Org) -> dict[str, Any]:
    """``GET /v2/organization/customFields``: the shape is the emulator's (undocumented)."""
    fields = [_custom(f) for f in org.custom_fields]
    return {"entity": {"customFields": fields}, **_ENVELOPE}


def _custom(field: CustomField) -> dict[str, Any]:
    return {
        "name": field.name,
        "label": field.label or field.name,
        "dataType": field.dataType,
        "scope": "loyalty_registration",
        "isMandatory": field.mandatory,
    }


def apply_fields(body: Mapping[str, Any], org: Org) -> tuple[list[Problem], list[Problem], int]:
    """(errors, warnings, values dropped) for the body's extended and custom fields."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    dropped = 0
    known = {f.name: f for f in org.extended_fields}
    extended = body.get("extendedFields")
    for name, value in extended.items() if isinstance(extended, Mapping) else ():
        if value is None:
            continue
        field = known.get(name)
        if field is None:
            message = f"Extended field {name} is not configured for the org"
            reject = org.reject_unknown_fields
            dropped += _refuse(UNKNOWN_FIELD, message, reject, errors, warnings)
            continue
        why = invalid(field, value)
        if why is not None:
            message = f"Invalid value for extended field {name} ({field.dataType}): {why}"
            reject = field.rejectTxnOnInvalidValue
            dropped += _refuse(INVALID_VALUE, message, reject, errors, warnings)
    custom = {f.name for f in org.custom_fields}
    profiles = body.get("profiles")
    for profile in profiles if isinstance(profiles, list) else ():
        fields = profile.get("fields") if isinstance(profile, Mapping) else None
        for name in fields if isinstance(fields, Mapping) else ():
            if name not in custom:
                message = f"Custom field {name} is not configured for the org"
                reject = org.reject_unknown_fields
                dropped += _refuse(UNKNOWN_FIELD, message, reject, errors, warnings)
    return errors, warnings, dropped


def _refuse(
    code: int, message: str, reject: bool, errors: list[Problem], warnings: list[Problem]
) -> int:
    if reject:
        errors.append(Problem(code, message))
        return 0
    warnings.append(Problem(code, message + ": dropped"))
    return 1


def invalid(field: ExtendedField, value: Any) -> str | None:
    """Why ``value`` is not one the field takes, or None."""
    if isinstance(value, bool):
        return None if field.dataType in ("STRING", "STANDARD_STRING") else f"{value!r}"
    kind = field.dataType
    if kind == "INTEGER":
        if isinstance(value, int) or (isinstance(value, str) and _INTEGER.fullmatch(value)):
            return None
        return f"{value!r} is not a whole number"
    if kind == "DOUBLE":
        try:
            ok = math.isfinite(float(value))
        except (TypeError, ValueError):
            ok = False
        return None if ok else f"{value!r} is not a number"
    if kind == "DATETIME":
        if isinstance(value, str) and _DATETIME.fullmatch(value):
            return None
        return f"{value!r} is not a date-time like 2026-12-31T23:59:59+05:30"
    text = value if isinstance(value, str) else str(value)
    if kind == "STANDARD_ENUM" and field.values is not None and text not in field.values:
        return f"{text!r} is not one of {', '.join(field.values)}"
    if field.maxLength is not None and len(text) > field.maxLength:
        return f"longer than {field.maxLength} characters"
    return None
