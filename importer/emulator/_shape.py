"""Read a request body as JSON and check the JSON types of every documented field.

This runs before any rule looks at a body, so the rules and the store only ever meet the types
and numbers they can handle. Whatever is refused here is a request-level problem (HTTP 400, code
400, the field named), like a body the vendor's JSON reader cannot map onto its request class.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from importer.emulator._reference import LONG_MAX, LONG_MIN, POINTS_LIMIT
from importer.emulator._rules import Problem

#: code and status of a body that cannot be read: the HTTP status, as for 401, 415 or 429.
UNREADABLE = 400
#: deepest nesting accepted anywhere; the documented body is 6 levels deep
#: (body > profiles > profile > commChannels > channel > meta).
MAX_DEPTH = 32
#: ids (programId, tierNumber, seriesId) are Java longs at the vendor, like createdId;
#: loyaltyPoints is what a decimal(15,3) column holds: the reference's rules as the emulator
#: reads them (``_reference``), apart from the importer's own.
#: at most this many type problems are listed in one answer.
MAX_PROBLEMS = 10

_SURROGATE = re.compile("[\ud800-\udfff]")


class Unreadable(ValueError):
    """The body is not a JSON document the emulator can read."""

    @property
    def problem(self) -> Problem:
        return Problem(UNREADABLE, str(self))


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and no decimal column holds
    raise ValueError(f"{name} is not a JSON number")


def parse(raw: bytes) -> Any:
    """The JSON document in ``raw``, or raise Unreadable saying why not."""
    try:
        # decoded here: json.loads would guess UTF-16 or UTF-32 from bytes, JSON is UTF-8
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"Body is not UTF-8: {exc.reason} at byte {exc.start}") from None
    if not text.strip():
        raise Unreadable("Empty body: send a JSON object")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        # the C parser recurses per level; deeper than the interpreter allows is too deep
        raise Unreadable(f"Malformed JSON: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # syntax, NaN/Infinity, integers past Python's digit limit
        raise Unreadable(f"Malformed JSON: {exc}") from None
    _check_tree(value)
    return value


def _check_tree(value: Any) -> None:
    """Refuse nesting past MAX_DEPTH, lone surrogates and infinite numbers, anywhere.

    A loop, not recursion: this must not fail on the very input it exists to refuse.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise Unreadable(f"Malformed JSON: nested deeper than {MAX_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
        elif isinstance(item, str):
            # "\ud800" is valid JSON text but no UTF-8 string: SQLite and clients cannot take it
            if _SURROGATE.search(item):
                raise Unreadable("Malformed JSON: a string holds a lone UTF-16 surrogate")
        elif isinstance(item, float) and math.isinf(item):  # 1e999 reads as infinity
            raise Unreadable("Malformed JSON: a number is too large for a double")


# -- the documented request's types --------------------------------------------------------------

# Each leaf check answers None when the value fits, or what was expected instead.

FLAG_EXPECTED = 'true, false, "true" or "false"'


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


def _long(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and LONG_MIN <= value <= LONG_MAX:
        return None
    return "a whole number within 64 bits (-2^63 to 2^63-1)"


def _points(value: Any) -> str | None:
    if isinstance(value, float):
        # as written in the body: the binary float of 999999999999.999 lies just past it
        value = Decimal(repr(value))
    number = isinstance(value, int | Decimal) and not isinstance(value, bool)
    if number and abs(value) <= POINTS_LIMIT:
        return None
    return f"a number from -{POINTS_LIMIT} to {POINTS_LIMIT}"


def _flag(value: Any) -> str | None:
    # the samples send both true and "true"; the importer sends the strings
    return None if isinstance(value, bool) or value in ("true", "false") else FLAG_EXPECTED


def _scalars(value: Any) -> str | None:
    # custom fields, extended fields and meta: flat name -> value maps
    if isinstance(value, dict) and all(
        v is None or isinstance(v, str | int | float) for v in value.values()
    ):
        return None
    return "an object of strings, numbers, booleans or nulls"


CHANNEL = {
    "type": _string,
    "value": _string,
    "primary": _flag,
    "verified": _flag,
    "subscribed": _flag,
    "meta": _scalars,
}
IDENTIFIER = {
    "type": _string,
    "value": _string,
    "seriesId": _long,
    "seriesCode": _string,
    "statusLabel": _string,
    "extendedFields": _scalars,
}
PROFILE = {
    "firstName": _string,
    "lastName": _string,
    "identifiers": [IDENTIFIER],
    "commChannels": [CHANNEL],
    "fields": _scalars,
    "source": _string,
    "accountId": _string,
}
ENROLLMENT = {
    "programId": _long,
    "tierNumber": _long,
    "loyaltyPoints": _points,
    "tierExpiryDate": _string,
    "pointsExpiryDate": _string,
}
ADD_BODY = {
    "associatedWith": _string,
    "profiles": [PROFILE],
    "extendedFields": _scalars,
    "loyaltyInfo": _scalars,
    "loyaltyProgramEnrollments": [ENROLLMENT],
    "referralCode": _string,
    "statusLabel": _string,
}


def add_problems(body: Any) -> list[Problem]:
    """Every documented field of an add body whose JSON type or range is wrong (at most 10).

    null counts as absent for every field (the rules then decide whether it was required);
    null as a list item is wrong. Undocumented keys are left alone.
    """
    if not isinstance(body, dict):
        return [Problem(UNREADABLE, f"Request body must be a JSON object, got {_shown(body)}")]
    found: list[str] = []
    _walk(body, ADD_BODY, "", found)
    return [Problem(UNREADABLE, message) for message in found[:MAX_PROBLEMS]]


def _walk(value: Any, spec: Any, path: str, found: list[str]) -> None:
    # recursion over the spec, whose depth is fixed, not over the body
    if value is None:
        return
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            found.append(f"{path}: expected an object, got {_shown(value)}")
            return
        for key, inner in spec.items():
            if key in value:
                _walk(value[key], inner, f"{path}.{key}" if path else key, found)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            found.append(f"{path}: expected a list, got {_shown(value)}")
            return
        for n, item in enumerate(value):
            if item is None:
                found.append(f"{path}[{n}]: expected an object, got null")
            else:
                _walk(item, spec[0], f"{path}[{n}]", found)
    else:
        expected = spec(value)
        if expected is not None:
            found.append(f"{path}: expected {expected}, got {_shown(value)}")


def _shown(value: Any) -> str:
    """A short description of a JSON value for a message: never the whole of a huge one."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value) if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
