"""Malformed bodies over a real socket: always a JSON 400 naming the problem, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from emulator_helpers import AUTH, add_body, error_codes, fresh_mobile, post_add

from importer.emulator import EmulatorProcess

TOKEN_PATH = "/v3/oauth/token/generate"
JSON = {"Content-Type": "application/json"}
DEEP_LISTS = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECTS = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


def enrolled(**enrollment: Any) -> dict[str, Any]:
    return add_body(
        ("mobile", fresh_mobile()),
        loyaltyProgramEnrollments=[{"programId": 469, "tierNumber": 1, **enrollment}],
    )


def post_raw(emu: EmulatorProcess, raw: bytes, path: str = "/v2/customers"):
    return emu.request("POST", path, raw, {**AUTH, **JSON})


def refused(answer: Any, *words: str) -> None:
    """A JSON 400 in the vendor's error shape whose message carries every word."""
    assert answer.status == 400, (answer.status, answer.body)
    assert answer.headers["content-type"].startswith("application/json")
    assert error_codes(answer) == [400]
    message = answer.body["errors"][0]["message"]
    assert all(word in message for word in words), message


@pytest.mark.parametrize(
    "points", [1e30, 10**30, -1e30, 10**12, 1e308], ids=["1e30", "10**30", "-1e30", "1e12", "max"]
)
def test_loyalty_points_past_the_bound_are_refused_naming_the_field(
    emulator: EmulatorProcess, points: Any
) -> None:
    answer = post_add(emulator, enrolled(loyaltyPoints=points))
    refused(answer, "loyaltyProgramEnrollments[0].loyaltyPoints", "999999999999.999")


def test_loyalty_points_at_the_bound_are_awarded(emulator: EmulatorProcess) -> None:
    answer = post_add(emulator, enrolled(loyaltyPoints=999_999_999_999.999))
    assert answer.status == 200, answer.body
    (effect,) = answer.body["sideEffects"]
    assert (effect["rawAwardedPoints"], effect["awardedPoints"]) == (
        999_999_999_999.999,
        10**12,
    )


@pytest.mark.parametrize(
    ("series_id", "stored"), [(2**63 - 1, True), (2**63, False), (10**30, False)]
)
def test_series_id_must_fit_64_bits(emulator: EmulatorProcess, series_id: int, stored: bool):
    card = {"type": "cardnumber", "value": fresh_mobile(), "seriesId": series_id}
    answer = post_add(emulator, {"profiles": [{"source": "INSTORE", "identifiers": [card]}]})
    if stored:
        assert answer.status == 200, answer.body
        (customer,) = [c for c in emulator.customers() if c["id"] == answer.body["createdId"]]
        assert customer["accounts"][0]["identifiers"][0]["seriesId"] == series_id
    else:
        refused(answer, "profiles[0].identifiers[0].seriesId", "64 bits")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (DEEP_LISTS, ["nested deeper than 32"]),
        (DEEP_OBJECTS, ["nested deeper than 32"]),
        (b'{"a":' * 40 + b"1" + b"}" * 40, ["nested deeper than 32"]),
        (b'{"a": "\xff"}', ["not UTF-8"]),
        ('{"profiles": []}'.encode("utf-16"), ["not UTF-8"]),
        (b"", ["Empty body"]),
        (b"{nope", ["Malformed JSON"]),
        (b"[1, 2]", ["must be a JSON object, got a list"]),
        (b"null", ["must be a JSON object, got null"]),
        (b'"x"', ["must be a JSON object"]),
        (b'{"statusLabel": NaN}', ["NaN"]),
        (b'{"profiles": [{"firstName": "\\ud800"}]}', ["surrogate"]),
    ],
    ids=[
        "deep-lists",
        "deep-objects",
        "40-levels",
        "latin-1",
        "utf-16",
        "empty",
        "not-json",
        "top-level-array",
        "null",
        "string",
        "nan",
        "lone-surrogate",
    ],
)
def test_unreadable_add_bodies_get_a_json_400(
    emulator: EmulatorProcess, raw: bytes, words: list[str]
) -> None:
    refused(post_raw(emulator, raw), *words)


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ({"source": ["INSTORE"]}, ["profiles[0].source: expected a string, got a list"]),
        ({"firstName": {"a": 1}}, ["profiles[0].firstName: expected a string"]),
        ({"accountId": 7}, ["profiles[0].accountId: expected a string, got 7"]),
        ({"identifiers": {"type": "mobile"}}, ["profiles[0].identifiers: expected a list"]),
        ({"identifiers": [None]}, ["profiles[0].identifiers[0]: expected an object, got null"]),
        ({"identifiers": [{"type": "mobile", "value": 919988221100}]}, ["value: expected a str"]),
        ({"commChannels": [{"type": "email", "primary": "yes"}]}, ["commChannels[0].primary"]),
        ({"fields": {"employee": ["x"]}}, ["profiles[0].fields: expected an object"]),
    ],
    ids=[
        "list-for-string",
        "object-for-string",
        "number-for-string",
        "object-for-list",
        "null-item",
        "number-mobile",
        "bad-flag",
        "nested-field",
    ],
)
def test_wrong_types_in_a_profile_are_named(
    emulator: EmulatorProcess, profile: dict, words: list[str]
) -> None:
    body = add_body(("mobile", fresh_mobile()), profile=profile)
    refused(post_add(emulator, body), *words)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"programId": "469"}, ["programId: expected a whole number", 'got "469"']),
        ({"tierNumber": 1.5}, ["tierNumber: expected a whole number", "got 1.5"]),
        ({"loyaltyPoints": "75"}, ["loyaltyPoints: expected a number"]),
        ({"loyaltyPoints": True}, ["loyaltyPoints: expected a number", "got true"]),
    ],
    ids=["string-program", "fractional-tier", "string-points", "boolean-points"],
)
def test_wrong_types_in_an_enrollment_are_named(
    emulator: EmulatorProcess, extra: dict, words: list[str]
) -> None:
    refused(post_add(emulator, enrolled(**extra)), *words)


def test_unreadable_adds_store_nothing_and_count_as_400(fresh: EmulatorProcess) -> None:
    post_raw(fresh, DEEP_LISTS)
    post_add(fresh, enrolled(loyaltyPoints=1e30))
    post_add(fresh, add_body(("mobile", fresh_mobile()), statusLabel={"a": 1}))
    stats = fresh.stats()
    assert stats["adds_rejected_by_code"] == {"400": 3}
    assert stats["customers_stored"] == 0


@pytest.mark.parametrize(
    "raw",
    [
        DEEP_LISTS,
        DEEP_OBJECTS,
        b'{"key": "demo-key", "secret": "\\ud800"}',
        b'{"key": "demo-key", "secret": "demo-secret", "x": 1e999}',
        b"\xff\xfe",
        b"",
    ],
    ids=["deep-lists", "deep-objects", "lone-surrogate", "infinite", "not-utf-8", "empty"],
)
def test_unreadable_token_requests_get_a_json_400_in_the_token_shape(
    emulator: EmulatorProcess, raw: bytes
) -> None:
    answer = emulator.request("POST", TOKEN_PATH, raw, JSON)
    assert answer.status == 400, answer.body
    assert answer.body["data"] is None
    assert [e["code"] for e in answer.body["errors"]] == [400]


def test_the_token_endpoint_still_issues_after_garbage(emulator: EmulatorProcess) -> None:
    emulator.request("POST", TOKEN_PATH, DEEP_LISTS, JSON)
    body = json.dumps({"key": "demo-key", "secret": "demo-secret"}).encode()
    assert emulator.request("POST", TOKEN_PATH, body, JSON).status == 200
