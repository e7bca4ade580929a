"""Every transform: what it makes of good values and how it rejects bad ones."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import pytest

from importer._exceptions import RowRejected
from importer.mapping import _numbers, _phone
from importer.mapping import _transforms as tf
from importer.mapping._problems import show


def phone(value: str, region: str | None, column: str) -> str:
    """A phone read with a constant region, or with none at all (every number international)."""
    return _phone.read(value, region, column, _phone.Where(None, regional=region is not None))


def rejected(call, *args, **kwargs) -> RowRejected:
    with pytest.raises(RowRejected) as info:
        call(*args, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("value", "expected"),
    [("  a  ", "a"), ("a   b", "a b"), ("a\tb\nc", "a b c"), ("", ""), ("x", "x")],
)
def test_trim(value: str, expected: str) -> None:
    assert tf.trim(value) == expected


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("upper", "ASHA RAO"),
        ("lower", "asha rao"),
        ("title", "Asha Rao"),
        ("capitalize", "Asha rao"),
    ],
)
def test_case(how: str, expected: str) -> None:
    assert tf.case("aSHA rAO", how) == expected


def test_map_value_is_case_insensitive_and_lenient_unless_strict() -> None:
    table = {"M": "Male", "m": "Male", "F": "Female", "f": "Female"}
    assert tf.map_value("M", table) == "Male"
    assert tf.map_value("X", table) == "X"
    error = rejected(tf.map_value, "X", table, column="gender", strict=True)
    assert error.code == "unmapped_value" and error.column == "gender"
    assert str(error).startswith('gender: "X" is not one of the mapped values')


def test_join_and_split() -> None:
    assert tf.join(["Asha", "", "Rao"], " ") == "Asha Rao"
    assert tf.split("Asha  Rao", None, 0) == "Asha"
    assert tf.split("Asha  Rao", None, -1) == "Rao"
    assert tf.split("a|b", "|", 1) == "b"
    assert tf.split("a", "|", 3) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("919988221100.0", "919988221100"),
        ("919988221100", "919988221100"),
        ("9.19988221100E+11", "919988221100"),
        ("1.5E+1", "15"),
        ("12.5", "12.5"),
    ],
)
def test_exact_digits_restores_lossless_floats(value: str, expected: str) -> None:
    assert _numbers.exact_digits(value) == expected


@pytest.mark.parametrize("value", ["9.19988E+11", "9,19988E+11", "1E+5"])
def test_exact_digits_rejects_lost_digits(value: str) -> None:
    error = rejected(_numbers.exact_digits, value, "mobile")
    assert error.code == "lost_digits" and value in str(error) and "mobile" in str(error)


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("919988221100", None, "919988221100"),
        ("+919988221100", None, "919988221100"),
        ("+91 99882 21100", None, "919988221100"),
        ("00919988221100", None, "919988221100"),
        ("919988221100.0", None, "919988221100"),
        ("09988221100", "IN", "919988221100"),
        ("9988221100", "IN", "919988221100"),
        ("+91-99882-21100", "IN", "919988221100"),
        ("07911 123456", "GB", "447911123456"),
        ("(212) 555-2368", "US", "12125552368"),
        ("+44 7911 123456", "IN", "447911123456"),
    ],
)
def test_phone_gives_digits_with_country_code(
    value: str, region: str | None, expected: str
) -> None:
    assert phone(value, region, "mobile") == expected


@pytest.mark.parametrize(
    ("value", "region", "code"),
    [
        ("12345", None, "invalid_mobile"),
        ("9988221100", None, "invalid_mobile"),
        ("+999 123456789", None, "invalid_mobile"),
        ("call me", "IN", "invalid_mobile"),
        ("0000000000", "IN", "invalid_mobile"),
        ("9.19988E+11", None, "lost_digits"),
    ],
)
def test_phone_rejects_invalid_numbers(value: str, region: str | None, code: str) -> None:
    error = rejected(phone, value, region, "mobile")
    assert error.code == code
    assert str(error).startswith(f'mobile: "{value}"')


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tom.sawyer@capillarytech.com", "tom.sawyer@capillarytech.com"),
        ("  Tom.Sawyer@CapillaryTech.COM ", "Tom.Sawyer@capillarytech.com"),
        ("a+tag@sub.example.co.in", "a+tag@sub.example.co.in"),
    ],
)
def test_email_normalises_the_domain(value: str, expected: str) -> None:
    assert tf.email(value, "email") == expected


@pytest.mark.parametrize(
    "value",
    ["no-at-sign", "a@@b.com", "a@b", "a@localhost", "x@host.test", "a..b@c.com", "josé@example.com",
     "a!b@example.com", "x@" + "a" * 250 + ".com"],
)  # fmt: skip
def test_email_rejects_what_the_api_refuses(value: str) -> None:
    error = rejected(tf.email, value, "email")
    assert error.code == "invalid_email" and error.column == "email"


@pytest.mark.parametrize(
    ("value", "formats", "output", "expected"),
    [
        ("2000-10-22", [], "%Y-%m-%d", "2000-10-22"),
        ("22/10/2000", ["%d/%m/%Y"], "%Y-%m-%d", "2000-10-22"),
        ("2/3/2000", ["%d/%m/%Y"], "%Y-%m-%d", "2000-03-02"),
        ("22-Oct-2000", ["%d/%m/%Y", "%d-%b-%Y"], "%d-%m-%Y", "22-10-2000"),
        ("2000-10-22", ["%d/%m/%Y"], "%d-%m-%Y", "22-10-2000"),
    ],
)
def test_date(value: str, formats: list[str], output: str, expected: str) -> None:
    assert tf.date_text(value, formats, output, "dob") == expected


@pytest.mark.parametrize("value", ["2000-02-30", "31/13/1980", "yesterday", "22.10.2000"])
def test_date_rejects_naming_the_formats(value: str) -> None:
    error = rejected(tf.date_text, value, ["%d/%m/%Y"], "%Y-%m-%d", "dob")
    assert error.code == "invalid_date" and "%d/%m/%Y" in str(error)


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2024-05-11", "Asia/Kolkata", "2024-05-11T00:00:00+05:30"),
        ("11/05/2024 16:36:17", "Asia/Kolkata", "2024-05-11T16:36:17+05:30"),
        ("2024-01-15", "Europe/London", "2024-01-15T00:00:00+00:00"),
        ("2024-07-15", "Europe/London", "2024-07-15T00:00:00+01:00"),
    ],
)
def test_datetime_in_the_configured_zone(value: str, zone: str, expected: str) -> None:
    assert tf.datetime_text(value, ["%d/%m/%Y %H:%M:%S"], zone, "expiry") == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("42", 42), ("1,000", 1000), ("12.0", 12), ("-3", -3), (" 7 ", 7)]
)
def test_int(value: str, expected: int) -> None:
    assert _numbers.to_int(value, "points") == expected


@pytest.mark.parametrize(
    ("value", "bounds", "code"),
    [("abc", {}, "invalid_int"), ("1.5", {}, "invalid_int"), ("4", {"maximum": 3}, "out_of_range"),
     ("0", {"minimum": 1}, "out_of_range"), ("9.1E+5", {}, "lost_digits")],
)  # fmt: skip
def test_int_rejects(value: str, bounds: dict[str, int], code: str) -> None:
    assert rejected(_numbers.to_int, value, "tier", **bounds).code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("YES", True), ("y", True), ("1", True), ("False", False), ("no", False),
     ("0", False), ("off", False)],
)  # fmt: skip
def test_bool(value: str, expected: bool) -> None:
    assert tf.to_bool(value) is expected


def test_bool_rejects() -> None:
    assert rejected(tf.to_bool, "maybe", "employee").code == "invalid_bool"


def test_show_cuts_long_values() -> None:
    assert show("x" * 100).endswith('…"') and len(show("x" * 100)) == 62
