"""The rules a row meets: phones in the row's country, whole names, on_invalid, every problem,
decimal marks, defaults through every step, names cut to 100."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import textwrap

import pytest

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder, parse_mapping

COLUMNS = ["id", "name", "mobile", "country", "email", "dob", "points", "tier"]


def build(
    values: dict[str, str],
    profile: str = "",
    top: str = "",
    mobile: str = "{column: mobile, as: phone, region: {column: country}}",
    settings: str = "",
    required: str = "[mobile]",
):
    """(body, warnings) of one row under a small mapping; RowRejected when rejected.
    ``profile`` and ``top`` are YAML lines added to the profile and to the top level."""
    lines = [
        f"settings: {{{settings}}}",
        f"registration: {{required_identifiers: {required}}}",
        "profiles:",
        "  - source: INSTORE",
        "    identifiers:",
        f"      - {{type: mobile, value: {mobile}}}",
        "      - {type: externalId, value: id}",
        *("    " + line for line in textwrap.dedent(profile).strip().splitlines()),
        *textwrap.dedent(top).strip().splitlines(),
    ]
    builder = Builder(parse_mapping("\n".join(lines) + "\n"), COLUMNS)
    cells = [values.get(c, "") for c in COLUMNS]
    body, _, _, warns = builder.build_raw(["1", *cells[1:]])
    return body, warns or []


def mobile_of(body) -> str | None:
    found = [i["value"] for i in body["profiles"][0]["identifiers"] if i["type"] == "mobile"]
    return found[0] if found else None


def rejected(*args, **kwargs) -> RowRejected:
    with pytest.raises(RowRejected) as info:
        build(*args, **kwargs)
    return info.value


# -- phones in the row's own country ---------------------------------------------------------


@pytest.mark.parametrize(
    ("mobile", "country", "expected"),
    [
        ("740-904-5923", "US", "17409045923"),
        ("740-904-5923", "usa", "17409045923"),
        ("740-904-5923", "United States of America", "17409045923"),
        ("090-4293-3287", "JP", "819042933287"),
        ("090-4293-3287", "Japan", "819042933287"),
        ("07400 123456", "UK", "447400123456"),
        ("07400 123456", "GBR", "447400123456"),
        ("07400 123456", "united kingdom", "447400123456"),
        ("9988221100", "IND", "919988221100"),
        ("971567037600", "AE", "971567037600"),  # the + Excel lost: the row's own country
        ("0049 160 81294092", "DE", "4916081294092"),
        ("+91 99882 21100", "India", "919988221100"),
    ],
)
def test_a_mobile_is_read_in_its_rows_country(mobile: str, country: str, expected: str) -> None:
    body, warns = build({"mobile": mobile, "country": country})
    assert mobile_of(body) == expected and warns == []


def test_a_region_map_reads_the_tills_own_spellings() -> None:
    mobile = "{column: mobile, as: phone, region: {column: country, map: {Deutschland: DE}}}"
    body, _ = build({"mobile": "0160 81294092", "country": "Deutschland"}, mobile=mobile)
    assert mobile_of(body) == "4916081294092"
    error = rejected({"mobile": "0160 81294092", "country": "Deutschland"})
    assert (
        error.code == "unknown_region" and '"Deutschland"' in str(error) and "country" in str(error)
    )


@pytest.mark.parametrize("country", ["Narnia", "XX", "Asia", ""])
def test_a_national_number_without_a_country_is_rejected(country: str) -> None:
    error = rejected({"mobile": "0412 345 678", "country": country})
    assert error.code == "unknown_region"
    assert str(error).startswith('mobile: "0412 345 678" has no + or 00, and the row\'s country')
    assert (f'"{country}"' if country else "is empty") in str(error)


def test_a_number_with_its_own_country_and_an_unknown_region_is_sent_with_a_warning() -> None:
    body, warns = build({"mobile": "+971 54 401 4102", "country": "Narnia"})
    assert mobile_of(body) == "971544014102"
    assert [w["code"] for w in warns] == ["unknown_region"] and '"Narnia"' in warns[0]["message"]


def test_a_number_of_another_country_is_sent_with_a_warning() -> None:
    body, warns = build({"mobile": "+971 54 401 4102", "country": "IN"})
    assert mobile_of(body) == "971544014102"
    [warning] = warns
    assert warning["code"] == "country_mismatch" and warning["column"] == "mobile"
    assert "AE" in warning["message"] and "says IN" in warning["message"]


def test_digits_valid_only_as_another_countrys_number_are_not_guessed() -> None:
    error = rejected({"mobile": "447400123456", "country": "IN"})
    assert error.code == "ambiguous_mobile"
    assert (
        '"447400123456"' in str(error)
        and "in IN" in str(error)
        and "+447400123456 (GB)" in str(error)
    )


def test_digits_valid_two_ways_in_the_rows_country_are_not_guessed() -> None:
    error = rejected({"mobile": "62876155396", "country": "ID"})
    assert error.code == "ambiguous_mobile"
    assert "+6262876155396" in str(error) and "+62876155396" in str(error)


@pytest.mark.parametrize(
    "mobile", ["740-904-5923x087", "740-904-5923 ext. 87", "(740) 904-5923 #87"]
)
def test_an_extension_is_left_out_with_a_warning(mobile: str) -> None:
    body, warns = build({"mobile": mobile, "country": "US"})
    assert mobile_of(body) == "17409045923"
    assert [w["code"] for w in warns] == ["phone_extension"] and "87" in warns[0]["message"]


def test_an_invalid_number_names_the_value_and_the_region() -> None:
    error = rejected({"mobile": "12345", "country": "Japan"})
    assert (
        error.code == "invalid_mobile"
        and str(error) == 'mobile: "12345" is not a valid phone number in JP'
    )


def test_a_constant_region_and_settings_region_keep_working() -> None:
    body, _ = build({"mobile": "09988221100"}, mobile="{column: mobile, as: phone, region: IND}")
    assert mobile_of(body) == "919988221100"
    body, _ = build({"mobile": "07400 123456"}, mobile="mobile", settings="region: GB")
    assert mobile_of(body) == "447400123456"
    # an empty country cell falls back on settings.region
    body, _ = build({"mobile": "07400 123456"}, settings="region: GB")
    assert mobile_of(body) == "447400123456"


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("{column: country, as: int}", "a region value reads text"),
        ("Narnia", "unknown phone region 'Narnia'"),
        ("{value: XX}", "unknown phone region 'XX'"),
    ],
)
def test_region_mistakes_stop_before_any_row(region: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build({}, mobile=f"{{column: mobile, as: phone, region: {region}}}")


# -- whole names ----------------------------------------------------------------------------

NAMES = """
    firstName: {column: name, as: name, part: first}
    lastName: {column: name, as: name, part: last}
    fields:
      title: {column: name, as: name, part: title}
      suffix: {column: name, as: name, part: suffix}
"""


def name_parts(name: str) -> tuple:
    body, _ = build({"mobile": "+919988221100", "name": name}, NAMES)
    profile = body["profiles"][0]
    fields = profile.get("fields", {})
    return (
        profile.get("firstName"),
        profile.get("lastName"),
        fields.get("title"),
        fields.get("suffix"),
    )


@pytest.mark.parametrize(
    ("name", "first", "last", "title", "suffix"),
    [
        ("Dr. Hans van der Berg MBA", "Hans", "van der Berg", "Dr.", "MBA"),
        ("Frau Anna Müller", "Anna", "Müller", "Frau", None),
        ("Shri Ram Kumar", "Ram", "Kumar", "Shri", None),
        ("Smt. Lakshmi Devi", "Lakshmi", "Devi", "Smt.", None),
        ("Bpk. Waluyo Widodo S.Sos", "Waluyo", "Widodo", "Bpk.", "S.Sos"),
        ("Ibu Siti Rahayu", "Siti", "Rahayu", "Ibu", None),
        ("Sheikh Abdullah Al Ketbi", "Abdullah", "Al Ketbi", "Sheikh", None),
        ("JOHN O'BRIEN JR", "John", "O'Brien", None, "Jr"),
        ("mccoy, john", "John", "McCoy", None, None),
        ("WEISS, GUNTER", "Gunter", "Weiss", None, None),
        ("Mary Ann Smith", "Mary Ann", "Smith", None, None),  # middle names join the first
        ("DeShawn McCoy", "DeShawn", "McCoy", None, None),  # mixed case: kept as typed
        ("佐々木 千代", "千代", "佐々木", None, None),  # family name first
        ("林陽子", "林陽子", None, None, None),  # not cut by guesswork: the whole name
    ],
)
def test_a_whole_name_is_split_into_its_parts(name, first, last, title, suffix) -> None:
    assert name_parts(name) == (first, last, title, suffix)


def test_as_name_needs_a_part() -> None:
    with pytest.raises(ConfigError, match="as: name needs part"):
        build({}, "fields: {x: {column: name, as: name}}")


# -- on_invalid, every problem ---------------------------------------------------------------

OPTIONAL = """
    fields:
      dob: {column: dob, as: date, formats: ["%d/%m/%Y"], on_invalid: drop}
      email: {column: email, as: email}
"""
POINTS = "loyaltyProgramEnrollments: [{programId: 469, loyaltyPoints: {column: points, as: int}}]"


def test_a_dropped_value_is_left_out_with_a_warning_naming_column_and_value() -> None:
    body, warns = build({"mobile": "+919988221100", "dob": "31/02/1990"}, OPTIONAL)
    assert "fields" not in body["profiles"][0]
    [warning] = warns
    assert warning["code"] == "dropped_value" and warning["column"] == "dob"
    assert warning["message"].startswith('dob: "31/02/1990" is not a date in %d/%m/%Y')


def test_settings_on_invalid_is_the_files_default_and_a_value_may_say_otherwise() -> None:
    extra = "fields: {email: {column: email, as: email}, dob: {column: dob, as: date, on_invalid: reject}}"
    body, warns = build(
        {"mobile": "+919988221100", "email": "x@@y"}, extra, settings="on_invalid: drop"
    )
    assert [w["code"] for w in warns] == ["dropped_value"] and "fields" not in body["profiles"][0]
    error = rejected({"mobile": "+919988221100", "dob": "soon"}, extra, settings="on_invalid: drop")
    assert error.code == "invalid_date"


def test_a_required_identifier_is_never_dropped() -> None:
    error = rejected({"mobile": "12345", "country": "IN"}, settings="on_invalid: drop")
    assert error.code == "invalid_mobile"
    body, warns = build(
        {"mobile": "12345", "country": "IN"}, settings="on_invalid: drop", required="[]"
    )
    assert mobile_of(body) is None and warns[0]["code"] == "dropped_value"


def test_every_problem_of_a_row_is_reported() -> None:
    error = rejected(
        {
            "mobile": "12345",
            "country": "IN",
            "dob": "31/02/1990",
            "email": "x@@y",
            "points": "-254",
        },
        OPTIONAL.replace(", on_invalid: drop", ""),
        POINTS,
    )
    assert error.code == "invalid_mobile"
    assert error.codes == ("invalid_mobile", "invalid_date", "invalid_email", "out_of_range")
    problems = str(error).split(" | ")
    assert [p.split(":")[0] for p in problems] == ["mobile", "dob", "email", "points"]
    assert '"-254" is below the minimum 0' in problems[3]


def test_an_invalid_identifier_is_not_also_reported_missing() -> None:
    error = rejected({"mobile": "12345", "country": "IN"})
    assert error.codes == ("invalid_mobile",)
    assert rejected({}).codes == ("missing_identifier",)


# -- numbers, defaults, names over 100 -------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "cell", "expected"),
    [
        ("{column: points, as: number}", "1,234.50", 1234.5),
        ("{column: points, as: number, decimal: ','}", "1.234,50", 1234.5),
        ("{column: points, as: int}", "1,234", 1234),
        ("{column: points, as: int, decimal: ','}", "1.234", 1234),
        ("{column: points, as: number}", "12,34,567", 1234567),
    ],
)
def test_numbers_read_with_their_decimal_mark(spec: str, cell: str, expected) -> None:
    body, _ = build(
        {"mobile": "+919988221100", "points": cell},
        top=f"loyaltyProgramEnrollments: [{{programId: 469, loyaltyPoints: {spec}}}]",
    )
    assert body["loyaltyProgramEnrollments"][0]["loyaltyPoints"] == expected


@pytest.mark.parametrize(
    ("spec", "cell"),
    [
        ("{column: points, as: number}", "1.234,50"),
        ("{column: points, as: number, decimal: ','}", "1,234.50"),
        ("{column: points, as: int}", "12,34"),
    ],
)
def test_a_number_whose_grouping_does_not_fit_is_rejected_never_misread(
    spec: str, cell: str
) -> None:
    error = rejected(
        {"mobile": "+919988221100", "points": cell},
        top=f"loyaltyProgramEnrollments: [{{programId: 469, loyaltyPoints: {spec}}}]",
    )
    assert (
        error.code in ("invalid_number", "invalid_int")
        and "decimal" in str(error)
        and f'"{cell}"' in str(error)
    )


def test_a_default_goes_through_case_map_and_as() -> None:
    tier = "{column: tier, default: Silver, case: lower, map: {silver: '1', gold: '2'}, strict: true, as: int}"
    body, _ = build(
        {"mobile": "+919988221100"},
        top=f"loyaltyProgramEnrollments: [{{programId: 469, tierNumber: {tier}}}]",
    )
    assert body["loyaltyProgramEnrollments"][0]["tierNumber"] == 1


def test_tier_and_points_meet_the_apis_bounds_with_column_and_value() -> None:
    error = rejected(
        {"mobile": "+919988221100", "tier": "0"},
        top="loyaltyProgramEnrollments: [{programId: 469, tierNumber: {column: tier, as: int}}]",
    )
    assert str(error) == 'tier: "0" is below the minimum 1' and error.code == "out_of_range"
    with pytest.raises(ConfigError, match="tierNumber takes as: int, not as: text"):
        build(
            {},
            top="loyaltyProgramEnrollments: [{programId: 469, tierNumber: {column: tier, as: text}}]",
        )


@pytest.mark.parametrize(
    ("spec", "outcome"),
    [
        ("{column: name}", "cut"),
        ("{column: name, on_invalid: reject}", "too_long"),
        ("{column: name, max_length: 120}", "cut"),
        ("{column: name, max_length: 50}", "too_long"),
    ],
)
def test_names_over_100_characters_are_cut_unless_the_mapping_says_otherwise(
    spec: str, outcome: str
) -> None:
    name = "A" * 110
    if outcome == "too_long":
        assert (
            rejected({"mobile": "+919988221100", "name": name}, f"firstName: {spec}").code
            == "too_long"
        )
        return
    profile_text = f"firstName: {spec}"
    body, warns = build({"mobile": "+919988221100", "name": name}, profile_text)
    assert body["profiles"][0]["firstName"] == "A" * 100
    assert [w["code"] for w in warns] == ["cut_to_100"] and "110 characters" in warns[0]["message"]
