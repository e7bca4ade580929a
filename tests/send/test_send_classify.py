"""The verdict on every answer notes.md describes, by body codes first and status second."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from importer.send._verdicts import (
    Ambiguous,
    Created,
    Duplicate,
    Fatal,
    Found,
    Rejected,
    Retry,
    classify,
    classify_lookup,
    existing_id,
    parse_body,
    parse_retry_after,
)

ERROR_CODES = [3217, 8003, 8004, 8005, 8010, 8011, 8012, 8013, 8014, 8017, 8020, 8026, 8028]
WARNING_CODES = [8050, 8055, 8056, 8107, 1302]


def error(code: int, message: str = "boom") -> dict:
    return {"errors": [{"status": False, "code": code, "message": message}], "warnings": []}


@pytest.mark.parametrize("status", [400, 200, 422, 500])
@pytest.mark.parametrize("code", ERROR_CODES)
def test_error_codes_reject_whatever_the_status(status: int, code: int) -> None:
    verdict = classify(status, error(code, "why"))
    assert verdict == Rejected(str(code), "why", [])


@pytest.mark.parametrize("status", [400, 200, 502])
def test_8006_is_a_duplicate_with_the_existing_id(status: int) -> None:
    msg = "Add failed, Customer already exists with id 556844761 for same source"
    assert classify(status, error(8006, msg)) == Duplicate(556844761, msg)


def test_8006_without_an_id_is_still_a_duplicate() -> None:
    assert classify(400, error(8006, "exists")) == Duplicate(None, "exists")


def test_8006_wins_over_other_codes_in_the_same_answer() -> None:
    body = {"errors": [error(8013)["errors"][0], error(8006, "id 5")["errors"][0]]}
    assert isinstance(classify(400, body), Duplicate)


def test_several_errors_are_all_named() -> None:
    body = {"errors": [error(8013, "a")["errors"][0], error(8017, "b")["errors"][0]]}
    verdict = classify(400, body)
    assert verdict == Rejected("8013", "a; 8017: b", [])


@pytest.mark.parametrize("code", WARNING_CODES)
def test_created_keeps_warnings_and_side_effects(code: int) -> None:
    warnings = [{"status": False, "code": code, "message": "note"}]
    effects = [{"type": "points", "awardedPoints": 75}]
    body = {"createdId": 556844761, "warnings": warnings, "sideEffects": effects}
    assert classify(200, body) == Created(556844761, warnings, effects)


def test_created_without_warnings() -> None:
    assert classify(200, {"createdId": "12", "warnings": [], "sideEffects": []}) == Created(12)


@pytest.mark.parametrize("body", [None, {}, {"warnings": []}, {"createdId": None}, "x"])
def test_a_success_without_created_id_is_ambiguous(body: object) -> None:
    assert isinstance(classify(200, body), Ambiguous)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("body", [None, error(401), error(8014)])
def test_auth_refusals_are_fatal_even_with_a_body(status: int, body: object) -> None:
    verdict = classify(status, body)
    assert isinstance(verdict, Fatal) and verdict.status == status


@pytest.mark.parametrize("status", [404, 415])
def test_request_level_refusals_are_fatal_not_row_errors(status: int) -> None:
    assert isinstance(classify(status, error(status)), Fatal)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 521])
@pytest.mark.parametrize("body", [None, error(503, "Service unavailable"), {"x": 1}])
def test_transient_statuses_retry(status: int, body: object) -> None:
    verdict = classify(status, body, {"Retry-After": "3"})
    assert isinstance(verdict, Retry)
    assert verdict.status == status and verdict.retry_after == 3.0
    assert verdict.rate_limited is (status == 429)


def test_unknown_5xx_retries_and_unknown_4xx_rejects() -> None:
    assert isinstance(classify(507, None), Retry)
    assert classify(409, None) == Rejected("http-409", "HTTP 409", [])


def test_retry_after_header_name_is_case_insensitive() -> None:
    assert classify(429, None, {"retry-after": "7"}).retry_after == 7.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("Thu, 26 Nov 2026 03:00:10 GMT", 10.0),
        ("Thu, 26 Nov 2026 02:59:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 11, 26, 3, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, now) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Add failed, Customer already exists with id 556844761 for same source", 556844761),
        ("Customer already exists with ID: 42", 42),
        ("Customer already exists", None),
        ("", None),
    ],
)
def test_existing_id(message: str, expected: int | None) -> None:
    assert existing_id(message) == expected


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, {"entity": 552695692, "warnings": []}, Found(552695692)),
        (400, error(8015, "Customer not found"), Found(None)),
        (200, error(8015, "Customer not found"), Found(None)),
        (404, error(8015, "Customer not found"), Found(None)),
    ],
)
def test_lookup_answers(status: int, body: object, expected: Found) -> None:
    assert classify_lookup(status, body) == expected


def test_lookup_failures() -> None:
    assert isinstance(classify_lookup(503, None), Retry)
    assert isinstance(classify_lookup(429, error(429), {"Retry-After": "1"}), Retry)
    assert isinstance(classify_lookup(401, error(401)), Fatal)
    assert isinstance(classify_lookup(404, None), Fatal)
    assert classify_lookup(400, error(3217, "bad source")).code == "3217"


def test_parse_body() -> None:
    assert parse_body(b'{"a": 1}') == {"a": 1}
    assert parse_body(b"<html>") is None
    assert parse_body(b"") is None
