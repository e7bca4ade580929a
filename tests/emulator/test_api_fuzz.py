"""Property: whatever body arrives, the emulator answers JSON with a status below 500.

Generated bodies go over a real socket to the session emulator (started without fault
injection, so a 5xx can only be a bug): arbitrary JSON, raw bytes, deep nesting, and a valid
add body with fields replaced by values of other types, huge numbers or deep nesting.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from emulator_helpers import AUTH, fresh_mobile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.emulator import Answer, EmulatorProcess

ADD_PATH = "/v2/customers"
TOKEN_PATH = "/v3/oauth/token/generate"
JSON_TYPE = {"Content-Type": "application/json"}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: a body using every documented field; MOBILE and EMAIL are made fresh for each example
VALID: dict[str, Any] = {
    "associatedWith": "bukl.till",
    "loyaltyInfo": {"loyaltyType": "loyalty"},
    "profiles": [
        {
            "firstName": "Tom",
            "lastName": "Sawyer",
            "identifiers": [
                {"type": "mobile", "value": "MOBILE"},
                {"type": "email", "value": "EMAIL"},
                {
                    "type": "cardnumber",
                    "value": "MOBILE",
                    "seriesId": 73,
                    "statusLabel": "ACTIVE",
                    "extendedFields": {"custom_card_name": "Mystays"},
                },
            ],
            "commChannels": [
                {
                    "type": "email",
                    "value": "EMAIL",
                    "primary": "true",
                    "verified": False,
                    "subscribed": True,
                    "meta": {"residence": "true"},
                }
            ],
            "fields": {"employee": "true", "dateofbirth": "22-10-2000"},
            "source": "INSTORE",
            "accountId": "",
        }
    ],
    "extendedFields": {"gender": "Male", "city": "Bangalore"},
    "loyaltyProgramEnrollments": [
        {
            "programId": 469,
            "tierNumber": 1,
            "loyaltyPoints": 75,
            "tierExpiryDate": "2025-02-11T16:36:17+05:30",
            "pointsExpiryDate": "2025-02-11T16:36:17+05:30",
        }
    ],
    "referralCode": "REF556000001",
    "statusLabel": "Active",
}


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """The path of every node of a JSON value, the value itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += _paths(inner, (*prefix, n))
    return found


PATHS = _paths(VALID)
KEYS = sorted({step for path in PATHS for step in path if isinstance(step, str)})


class Deep:
    """Nesting too deep to build as Python objects: spliced into the JSON text instead."""

    def __init__(self, levels: int, opener: str) -> None:
        closer = {"[": "]", '{"a":': "}"}[opener]
        self.text = opener * levels + ("1" if opener != "[" else "") + closer * levels


class Delete:
    """Remove the field instead of replacing it."""


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities too: json.dumps writes them, JSON has no such numbers
    st.text(max_size=12),
    st.sampled_from(["\ud800", "a\udfffb", "", " ", "true", "TRUE", "yes", "469", "1e30"]),
)
huge = st.sampled_from(
    [10**30, -(10**30), 1e30, -1e30, 2**63, 2**63 - 1, -(2**63) - 1, 1e308, 5e-324, 10**4000]
)
any_json = st.recursive(
    scalars | huge,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
deep = st.builds(Deep, st.integers(20, 3000), st.sampled_from(["[", '{"a":']))
replacement = st.one_of(any_json, huge, deep, st.builds(Delete))


def render(value: Any) -> bytes:
    """JSON text of ``value`` with every Deep spliced in where it stands."""
    spliced: dict[str, str] = {}

    def placeholders(node: Any) -> Any:
        if isinstance(node, Deep):
            key = f"@@deep{len(spliced)}@@"
            spliced[json.dumps(key)] = node.text
            return key
        if isinstance(node, dict):
            return {k: placeholders(v) for k, v in node.items()}
        if isinstance(node, list):
            return [placeholders(v) for v in node]
        return node

    text = json.dumps(placeholders(value))
    for key, nested in spliced.items():
        text = text.replace(key, nested)
    # lone surrogates stay \\ud800 escapes, so the bytes are UTF-8 and the JSON carries them
    return text.encode("utf-8")


def mutate(body: dict[str, Any], path: tuple, new: Any) -> Any:
    if not path:
        return None if isinstance(new, Delete) else new
    target = body
    for step in path[:-1]:
        target = target[step]
    if isinstance(new, Delete):
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return body


def answered_in_json(answer: Answer, shape: str = "add") -> None:
    assert answer.status == 200 or 400 <= answer.status < 500, (answer.status, answer.body)
    assert answer.headers["content-type"].startswith("application/json"), answer.headers
    body = answer.body
    assert isinstance(body, dict), body
    if shape == "token":
        assert set(body) == {"data", "errors"}
        return
    if answer.status == 200:
        assert set(body) == {"createdId", "warnings", "sideEffects"}, body
        return
    assert body["errors"], body
    for error in body["errors"]:
        assert error["status"] is False
        assert isinstance(error["code"], int) and isinstance(error["message"], str)


def post(emu: EmulatorProcess, raw: bytes, path: str = ADD_PATH) -> Answer:
    headers = {**AUTH, **JSON_TYPE} if path == ADD_PATH else JSON_TYPE
    return emu.request("POST", path, raw, headers)


def test_the_session_emulator_injects_no_faults(emulator: EmulatorProcess) -> None:
    assert emulator.args == ()  # no --fail-rate or --ambiguous-rate: a 5xx would be a bug


@FUZZ
@given(body=st.one_of(any_json, deep, st.binary(max_size=64)))
def test_any_body_gets_a_json_answer_below_500(emulator: EmulatorProcess, body: Any) -> None:
    raw = body if isinstance(body, bytes) else render(body)
    answered_in_json(post(emulator, raw))


@FUZZ
@given(mutations=st.lists(st.tuples(st.sampled_from(PATHS), replacement), min_size=1, max_size=3))
def test_a_mutated_add_body_gets_a_json_answer_below_500(
    emulator: EmulatorProcess, mutations: list[tuple[tuple, Any]]
) -> None:
    mobile = fresh_mobile()
    text = json.dumps(VALID).replace("MOBILE", mobile).replace("EMAIL", f"{mobile}@x.co")
    body: Any = json.loads(text)
    for path, new in mutations:
        if not isinstance(body, dict | list):
            break  # the whole body was replaced: nothing left to walk
        try:
            body = mutate(body, path, copy.deepcopy(new))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or retyped this path
    answered_in_json(post(emulator, render(body)))


@settings(FUZZ, max_examples=100)
@given(body=st.one_of(any_json, deep, st.binary(max_size=64)))
def test_any_token_request_gets_a_json_answer_below_500(
    emulator: EmulatorProcess, body: Any
) -> None:
    raw = body if isinstance(body, bytes) else render(body)
    answered_in_json(post(emulator, raw, TOKEN_PATH), shape="token")
