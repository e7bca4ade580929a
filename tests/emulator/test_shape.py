"""Reading a body and checking its JSON types, without a server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from importer.emulator._shape import (
    LONG_MAX,
    LONG_MIN,
    MAX_DEPTH,
    POINTS_LIMIT,
    Unreadable,
    add_problems,
    parse,
)

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.json"))


def valid() -> dict[str, Any]:
    return {
        "profiles": [
            {
                "source": "INSTORE",
                "identifiers": [{"type": "cardnumber", "value": "1", "seriesId": 73}],
                "commChannels": [{"type": "email", "value": "a@b.co", "subscribed": True}],
            }
        ],
        "loyaltyProgramEnrollments": [{"programId": 469, "tierNumber": 1, "loyaltyPoints": 5}],
    }


def messages(body: Any) -> list[str]:
    problems = add_problems(body)
    assert all(p.code == 400 for p in problems)
    return [p.message for p in problems]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_documented_sample_reads_and_has_the_right_types(sample: Path) -> None:
    assert messages(parse(sample.read_bytes())) == []


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"", "Empty body"),
        (b"  \n", "Empty body"),
        (b"{nope", "Malformed JSON"),
        (b'{"a": "\xff"}', "not UTF-8"),
        ('{"a": 1}'.encode("utf-16"), "not UTF-8"),
        (b'{"a": NaN}', "NaN is not a JSON number"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON number"),
        (b'{"a": 1e999}', "too large for a double"),
        (b'{"a": "\\ud800"}', "lone UTF-16 surrogate"),
        (b'{"\\udfff": 1}', "lone UTF-16 surrogate"),
        (b'{"a": ' + b"1" * 5000 + b"}", "Malformed JSON"),
        (b"[" * 100_000 + b"]" * 100_000, f"nested deeper than {MAX_DEPTH}"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, f"nested deeper than {MAX_DEPTH}"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), f"nested deeper than {MAX_DEPTH}"),
    ],
    ids=[
        "empty",
        "blank",
        "syntax",
        "latin-1",
        "utf-16",
        "nan",
        "infinity",
        "overflowing-float",
        "surrogate-value",
        "surrogate-key",
        "5000-digit-integer",
        "deep-lists",
        "deep-objects",
        "one-level-too-deep",
    ],
)
def test_unreadable_bodies_say_why(raw: bytes, why: str) -> None:
    with pytest.raises(Unreadable, match=why) as caught:
        parse(raw)
    assert caught.value.problem.code == 400


def test_nesting_up_to_the_limit_reads() -> None:
    raw = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert parse(raw) is not None
    assert parse('{"a": "tóm\\u00e9 \\ud83d\\ude00"}'.encode()) == {"a": "tóm\u00e9 \U0001f600"}


@pytest.mark.parametrize("body", [[], [valid()], None, "x", 3, True])
def test_a_body_that_is_not_an_object_is_refused(body: Any) -> None:
    (message,) = messages(body)
    assert message.startswith("Request body must be a JSON object")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("profiles",), {"source": "INSTORE"}, "profiles: expected a list, got an object"),
        (("profiles", 0), [], "profiles[0]: expected an object, got a list"),
        (("profiles", 0), None, "profiles[0]: expected an object, got null"),
        (("profiles", 0, "source"), ["INSTORE"], "profiles[0].source: expected a string"),
        (("profiles", 0, "source"), 7, "profiles[0].source: expected a string, got 7"),
        (("profiles", 0, "accountId"), 12, "profiles[0].accountId: expected a string"),
        (("profiles", 0, "firstName"), {"a": 1}, "profiles[0].firstName: expected a string"),
        (("profiles", 0, "identifiers", 0, "value"), 1, "identifiers[0].value: expected a string"),
        (("profiles", 0, "identifiers", 0, "type"), True, "got true"),
        (("profiles", 0, "identifiers", 0, "seriesId"), "73", "seriesId: expected a whole number"),
        (("profiles", 0, "identifiers", 0, "seriesId"), 7.5, "seriesId: expected a whole number"),
        (("profiles", 0, "identifiers", 0, "seriesId"), LONG_MAX + 1, "within 64 bits"),
        (("profiles", 0, "identifiers", 0, "seriesId"), LONG_MIN - 1, "within 64 bits"),
        (("profiles", 0, "commChannels", 0, "subscribed"), "yes", "subscribed: expected true"),
        (("profiles", 0, "commChannels", 0, "primary"), 1, "primary: expected true"),
        (("profiles", 0, "commChannels", 0, "verified"), "TRUE", "verified: expected true"),
        (("profiles", 0, "commChannels", 0, "meta"), {"a": [1]}, "meta: expected an object of"),
        (("profiles", 0, "fields"), ["x"], "fields: expected an object of"),
        (("loyaltyProgramEnrollments", 0, "programId"), "469", "programId: expected a whole"),
        (("loyaltyProgramEnrollments", 0, "tierNumber"), 1.5, "tierNumber: expected a whole"),
        (("loyaltyProgramEnrollments", 0, "loyaltyPoints"), "5", "loyaltyPoints: expected a num"),
        (("loyaltyProgramEnrollments", 0, "loyaltyPoints"), False, "got false"),
        (("loyaltyProgramEnrollments", 0, "loyaltyPoints"), 1e30, "got 1e+30"),
        (("loyaltyProgramEnrollments", 0, "loyaltyPoints"), 10**30, "got 1000000000000000000000"),
        (("loyaltyProgramEnrollments", 0, "loyaltyPoints"), -(10**13), "loyaltyPoints: expected"),
        (("loyaltyProgramEnrollments",), {"programId": 469}, "expected a list, got an object"),
        (("statusLabel",), {"a": 1}, "statusLabel: expected a string, got an object"),
        (("referralCode",), ["R"], "referralCode: expected a string, got a list"),
        (("extendedFields",), "x", "extendedFields: expected an object of"),
    ],
)
def test_a_wrong_type_is_named_by_its_path(path: tuple, value: Any, expected: str) -> None:
    body = valid()
    target: Any = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    (message,) = messages(body)
    assert expected in message


def test_points_are_bounded_at_what_decimal_15_3_holds() -> None:
    for points in (float(POINTS_LIMIT), -float(POINTS_LIMIT), 10**12 - 1, -5, 0.0001, 1e-300):
        body = valid()
        body["loyaltyProgramEnrollments"][0]["loyaltyPoints"] = points
        assert messages(body) == [], points
    for points in (10**12, 1e12, 999_999_999_999.9991):
        body = valid()
        body["loyaltyProgramEnrollments"][0]["loyaltyPoints"] = points
        assert len(messages(body)) == 1, points


def test_null_is_absent_and_unknown_keys_are_left_alone() -> None:
    body = valid()
    body["statusLabel"] = None
    body["profiles"][0].update(firstName=None, commChannels=None, custom={"x": [[{}]]})
    body["loyaltyProgramEnrollments"][0]["loyaltyPoints"] = None
    assert messages(body) == []


def test_flags_take_booleans_and_their_strings() -> None:
    body = valid()
    body["profiles"][0]["commChannels"] = [
        {"type": "mobile", "value": "1", "primary": p, "verified": v, "subscribed": s}
        for p, v, s in [(True, False, "true"), ("false", "true", False)]
    ]
    assert messages(body) == []


def test_problems_are_all_listed_up_to_ten() -> None:
    body = {"profiles": [{"source": n} for n in range(30)], "statusLabel": 1}
    listed = messages(body)
    assert len(listed) == 10 and listed[0] == "profiles[0].source: expected a string, got 0"


def test_a_huge_value_is_shown_short() -> None:
    body = valid()
    body["profiles"][0]["source"] = 10**4000
    (message,) = messages(body)
    assert len(message) < 100 and message.endswith("...")
    json.dumps(message)
