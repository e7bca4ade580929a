"""Properties: the fast paths give the libraries' answers; no odd input raises but a rejection."""

from __future__ import annotations

import string
from pathlib import Path

import email_validator
import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from prepare_helpers import MAPPINGS

from importer._exceptions import InputError, RowRejected
from importer.mapping import Builder, _numbers, _phone
from importer.mapping import _transforms as tf
from importer.mapping._fields import EMAIL_CHARS, EMAIL_LIMIT
from importer.mapping._phonefast import InvalidPhone, international, library
from importer.mapping._problems import Kept
from importer.mapping._spec import load_mapping
from importer.read._table import open_table

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def library_phone(text: str, region: str | None) -> str | None:
    """What phonenumbers alone answers: E.164 digits of a valid number, else None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def ours_phone(text: str, region: str | None) -> str | None:
    """The fast path for +digits where it answers, else the library."""
    try:
        found = international(text[1:]) if text.startswith("+") else None
        return found[0] if found is not None else library(text, region)[0]
    except InvalidPhone:
        return None


@st.composite
def near_valid_numbers(draw: st.DrawFn) -> str:
    """Example numbers of any region with a few digits changed: valid and invalid neighbours."""
    region = draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from(list(phonenumbers.PhoneNumberType.values())))
    example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(
        region
    )
    if example is None:
        return "+" + draw(st.text("0123456789", min_size=3, max_size=17))
    digits = list(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)[1:])
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(digits) - 1))
        digits[at] = draw(st.sampled_from("0123456789"))
    cut = draw(st.integers(-2, 2))
    digits = digits[: len(digits) + cut] if cut < 0 else digits + ["5"] * cut
    return "+" + "".join(digits)


@SETTINGS
@given(near_valid_numbers(), st.sampled_from([None, "IN", "US", "GB"]))
@example("+919988221100", None)
@example("+12025550123", None)
@example("+390212345678", None)  # Italy keeps a leading zero
@example("+78005553535", None)  # Russia's national prefix 8
@example("+5491123456789", None)  # Argentina's mobile 9
def test_phone_fast_path_answers_like_the_library(text: str, region: str | None) -> None:
    assert ours_phone(text, region) == library_phone(text, region)


@SETTINGS
@given(st.sampled_from(CODES), st.text("0123456789", min_size=1, max_size=15))
def test_phone_fast_path_on_any_calling_code(code: int, national: str) -> None:
    text = f"+{code}{national}"
    assert ours_phone(text, None) == library_phone(text, None)


def library_email(text: str) -> str | None:
    try:
        normalized = email_validator.validate_email(text, check_deliverability=False).normalized
    except Exception:
        return None
    if len(normalized) > EMAIL_LIMIT or not EMAIL_CHARS.fullmatch(normalized):
        return None
    return normalized


def ours_email(text: str) -> str | None:
    try:
        return tf.email(text)
    except RowRejected:
        return None


LOCAL = st.text(string.ascii_letters + string.digits + "._+-", min_size=1, max_size=70)
LABEL = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=20)
TLD = st.sampled_from(["com", "IN", "co", "test", "local", "onion", "x", "c0m", "museum", "arpa"])


@SETTINGS
@given(LOCAL, st.lists(LABEL, min_size=0, max_size=3), TLD)
@example("tom.sawyer", ["CapillaryTech"], "COM")
@example("a", ["xn--nxasmq6b"], "com")
@example("a", ["-bad"], "com")
def test_email_fast_path_answers_like_the_library(local: str, labels: list[str], tld: str) -> None:
    text = f"{local}@{'.'.join([*labels, tld])}"
    assert ours_email(text) == library_email(text)


ODD_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("+-.,eE0123456789 @"),
    max_size=40,
)


@SETTINGS
@given(ODD_TEXT)
@example("9" * 300)
@example("+" + "1" * 250)
@example("1e+999")
@example("٩١٩٩٨٨٢٢١١٠٠")
def test_no_text_makes_a_transform_raise_anything_but_a_rejection(text: str) -> None:
    calls = [
        lambda: _phone.read(text, None, "c"),
        lambda: _phone.read(text, "IN", "c", _phone.Where(None, regional=True)),
        lambda: _phone.read(text, None, "c", _phone.Where("Country", regional=True)),
        lambda: tf.email(text, "c"),
        lambda: _numbers.to_int(text, "c", minimum=0, maximum=10),
        lambda: _numbers.to_number(text, "c", decimal=","),
        lambda: tf.to_bool(text, "c"),
        lambda: _numbers.exact_digits(text, "c"),
        lambda: tf.date_text(text, ["%d/%m/%Y", "%d-%b-%Y"], "%Y-%m-%d", "c"),
        lambda: tf.datetime_text(text, ["%d/%m/%Y %H:%M"], "Asia/Kolkata", "c"),
        lambda: tf.map_value(text, {"a": "b"}, column="c", strict=True),
    ]
    for call in calls:
        try:
            result = call()
        except RowRejected as exc:
            assert exc.code and str(exc)
        except Kept as kept:
            assert kept.value and kept.warnings
        else:
            assert result is not None


MEMBER_COLUMNS = [
    "member_id", "first_name", "last_name", "mobile", "email", "gender", "city",
    "date_of_birth", "joined_on", "points", "tier", "store_code",
]  # fmt: skip


@SETTINGS
@given(st.lists(ODD_TEXT, min_size=12, max_size=12))
def test_no_row_makes_the_compiled_mapping_raise_anything_but_a_rejection(cells: list[str]) -> None:
    builder = Builder(load_mapping(MAPPINGS / "members.yaml"), MEMBER_COLUMNS)
    try:
        body, keys = builder.build(cells)
    except RowRejected as exc:
        assert exc.code and str(exc)
    else:
        from importer.mapping._rules import check_payload

        check_payload(body)  # what the compiled rules accept, the request model accepts
        assert keys


@SETTINGS
@given(st.binary(max_size=300) | ODD_TEXT.map(lambda t: t.encode("utf-8")))
def test_no_file_content_makes_the_reader_raise_anything_but_an_input_error(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path: Path = tmp_path_factory.mktemp("odd") / "odd.csv"
    path.write_bytes(b"a,b,c\n" + content)
    try:
        for row in open_table(path).rows():
            assert row.row >= 2 and all(isinstance(v, str) for v in row.cells.values())
    except InputError as exc:
        assert "odd.csv" in str(exc)


@SETTINGS
@given(near_valid_numbers().map(lambda t: t.lstrip("+")))
@example("919988221100")
@example("390212345678")
def test_bare_international_digits_answer_like_the_library(digits: str) -> None:
    try:
        ours: str | None = _phone.read(digits, None, "mobile")
    except RowRejected:
        ours = None
    # a leading 00 is the international prefix, as + is (README: 00919988221100)
    international = digits[2:] if digits.startswith("00") else digits
    assert ours == library_phone("+" + international, None)


@st.composite
def value_specs(draw: st.DrawFn) -> dict[str, object]:
    """A random value spec of the mapping schema, over columns c and d."""
    spec: dict[str, object] = {}
    origin = draw(st.sampled_from(["column", "columns", "value"]))
    if origin == "column":
        spec["column"] = "c"
    elif origin == "columns":
        spec["columns"] = ["c", "d"]
        spec["sep"] = draw(st.sampled_from([" ", "-"]))
    else:
        spec["value"] = draw(st.sampled_from(["7", "x", "2024-01-02", " A b "]))
    if draw(st.booleans()):
        spec["trim"] = False
    if draw(st.booleans()):
        spec["split"] = {"index": draw(st.integers(-2, 1))}
    if draw(st.booleans()):
        spec["default"] = draw(st.sampled_from(["0", "M", "2020-02-02"]))
    if draw(st.booleans()):
        spec["case"] = draw(st.sampled_from(["upper", "lower", "title", "capitalize"]))
    if draw(st.booleans()):
        spec["map"] = {"m": "Male", "F": "Female", "1": "one"}
        spec["strict"] = draw(st.booleans())
    kind = draw(
        st.sampled_from(["text", "int", "number", "bool", "date", "datetime", "email", "phone"])
    )
    if kind != "text" or draw(st.booleans()):
        spec["as"] = kind
    if kind in ("date", "datetime") and draw(st.booleans()):
        spec["formats"] = ["%d/%m/%Y"]
    if kind == "int" and draw(st.booleans()):
        spec["min"], spec["max"] = 0, 5
    if draw(st.booleans()):
        spec["required"] = True
    if kind == "text" and draw(st.booleans()):
        spec["max_length"] = 3
    return spec


@st.composite
def first_of_specs(draw: st.DrawFn) -> dict[str, object]:
    """A ``first_of`` of two random value specs, each dropped or rejected when invalid."""
    candidates = []
    for _ in range(2):
        spec = draw(value_specs())
        spec["on_invalid"] = draw(st.sampled_from(["reject", "drop"]))
        candidates.append(spec)
    found: dict[str, object] = {"first_of": candidates}
    if draw(st.booleans()):
        found["required"] = True
    return found


CELL = st.sampled_from(["", " ", "m", " F ", "1", "7", "x y", "22/10/2000", "2000-10-22", "a@b.com",
                        "919988221100", "9.9E+3", "yes", "  a  b  "]) | ODD_TEXT  # fmt: skip


@SETTINGS
@given(value_specs() | first_of_specs(), CELL, CELL)
@example({"first_of": [{"column": "c", "as": "int", "on_invalid": "drop"}, "d"]}, "x", "y")
@example({"first_of": [{"column": "c", "as": "int"}, {"column": "d"}]}, "", "y")
@example({"first_of": [{"column": "c", "as": "bool", "on_invalid": "drop"},
                       {"column": "d", "as": "int"}], "required": True}, "maybe", "")  # fmt: skip
def test_generated_code_computes_what_the_value_spec_says(spec, c: str, d: str) -> None:
    """The straight-line code generated for a mapping gives the reference getter's answer."""
    from importer._exceptions import ConfigError
    from importer.mapping._compile import Options, compile_value
    from importer.mapping._spec import Mapping, Value

    try:
        mapping = Mapping.model_validate(
            {
                "profiles": [
                    {"source": "INSTORE", "identifiers": [{"type": "externalId", "value": "id"}]}
                ],
                "extendedFields": {"x": spec},
            }
        )
        builder = Builder(mapping, ["id", "c", "d"])
    except (ValueError, ConfigError):
        return  # a spec the schema refuses, or a constant that is not valid
    reference = compile_value(
        Value.model_validate(spec), {"id": 0, "c": 1, "d": 2}, "extendedFields.x", "text", Options()
    )
    cells = ["1", c, d]
    try:
        expected = ("ok", reference(cells))
    except RowRejected as exc:
        expected = ("rejected", exc.code)
    try:
        body, _ = builder.build(cells)
        got = ("ok", body.get("extendedFields", {}).get("x"))
    except RowRejected as exc:
        got = ("rejected", exc.code)
    assert got == expected
