"""The mapping file: the shipped mappings load; every mistake names the file, line and key."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from prepare_helpers import BASIC_MAPPING, MAPPINGS

from importer._exceptions import ConfigError
from importer.mapping._spec import load_mapping, parse_mapping


@pytest.mark.parametrize("name", ["members.yaml", "legacy_members.yaml", "legacy_pos.yaml"])
def test_shipped_mappings_load(name: str) -> None:
    mapping = load_mapping(MAPPINGS / name)
    assert mapping.profiles[0].source == "INSTORE"
    assert mapping.loyaltyProgramEnrollments[0].programId.value == 469


def test_columns_used() -> None:
    mapping = load_mapping(MAPPINGS / "members.yaml")
    assert mapping.columns_used() == {
        "first_name", "last_name", "mobile", "email", "member_id", "date_of_birth", "gender",
        "city", "tier", "points",
    }  # fmt: skip


def test_shorthand_strings_are_columns_and_numbers_constants() -> None:
    mapping = parse_mapping(BASIC_MAPPING)
    profile = mapping.profiles[0]
    assert profile.firstName.column == "first"
    assert mapping.loyaltyProgramEnrollments[0].programId.value == 469


def test_value_maps_keep_yes_and_no_as_text() -> None:
    mapping = parse_mapping(
        BASIC_MAPPING + "extendedFields:\n  employee: {column: emp, map: {yes: 'true', N: no}}\n"
    )
    assert mapping.extendedFields["employee"].map == {"yes": "true", "N": "no"}


def test_every_request_field_can_be_expressed() -> None:
    text = """
    settings: {region: IN, timezone: Asia/Kolkata}
    registration: {required_identifiers: [mobile, email]}
    profiles:
      - source: WECHAT
        accountId: {value: wx-acct-1}
        firstName: {columns: [first, middle], sep: " "}
        lastName: {column: last, case: upper}
        identifiers:
          - {type: mobile, value: {column: mobile, as: phone, region: GB}}
          - {type: email, value: email}
          - {type: externalId, value: id}
          - type: cardnumber
            value: card
            seriesId: 12
            statusLabel: {value: ACTIVE}
            extendedFields: {card_kind: {value: gold}}
        commChannels:
          - {type: mobile, value: mobile, primary: true, verified: true, meta: {residence: true}}
        fields: {employee: {column: emp, as: bool}, dateofbirth: {column: dob, as: date}}
    extendedFields: {gender: {column: g, map: {M: Male}}, zip: zip}
    loyaltyProgramEnrollments:
      - programId: 469
        tierNumber: tier
        loyaltyPoints: {column: points, as: number}
        tierExpiryDate: {column: expiry, as: datetime, formats: ["%d/%m/%Y"], time: "23:59:59"}
        pointsExpiryDate: {value: "2030-01-01"}
    referralCode: ref
    statusLabel: {value: Active}
    associatedWith: {column: till, default: store-1}
    loyaltyInfo: {loyaltyType: {value: loyalty}}
    """
    mapping = parse_mapping(textwrap.dedent(text))
    assert mapping.profiles[0].identifiers[3].seriesId.value == 12
    assert "till" in mapping.columns_used()


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("profiles:\n  - source: INSTORE\n    identifiers:\n      - type: mobile\n        vaule: m\n",
         5, "profiles.0.identifiers.0.vaule", "unknown key"),
        ("profiles:\n  - source: INSTORE\n    identifiers:\n      - type: mobile\n        vaule: m\n",
         4, "profiles.0.identifiers.0.value", "required key is missing"),
        ("profiles:\n  - source: SHOP\n    identifiers: [{type: mobile, value: m}]\n",
         2, "profiles.0.source", "'INSTORE'"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: phone, value: m}]\n",
         3, "profiles.0.identifiers.0.type", "'mobile'"),
        ("profiles:\n  - source: INSTORE\n    identifiers: []\n",
         3, "profiles.0.identifiers", "at least 1"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: {column: m, as: fone}}]\n",
         3, "profiles.0.identifiers.0.value.as", "'phone'"),
        ("settings: {region: XX}\nprofiles: []\n", 1, "settings.region", "unknown phone region"),
        ("settings:\n  timezone: Mars/Olympus\nprofiles: []\n", 2, "settings.timezone", "unknown time zone"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m}]\n    fields:\n"
         "      dob: {column: d, formats: ['%d/%m/%Y']}\n", 5, "profiles.0.fields.dob", "formats applies"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m}]\n    fields:\n"
         "      dob: {column: d, as: date, formats: ['dd/mm/yyyy']}\n", 5, "profiles.0.fields.dob", "no % directive"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: {column: m, value: x}}]\n",
         3, "profiles.0.identifiers.0.value", "only one of column, columns, value"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: {as: phone}}]\n",
         3, "profiles.0.identifiers.0.value", "give a column"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: cardnumber, value: c}]\n",
         3, "profiles.0.identifiers.0", "needs seriesId or seriesCode"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m, seriesId: 3}]\n",
         3, "profiles.0.identifiers.0", "apply to cardnumber only"),
        ("registration: {required_identifiers: [phone]}\nprofiles: []\n",
         1, "registration.required_identifiers.0", "'mobile'"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: {column: m, region: IN}}]\n",
         3, "profiles.0.identifiers.0.value", "region applies to as: phone"),
        ("profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m}]\n"
         "loyaltyProgramEnrollments:\n  - tierNumber: t\n", 5, "loyaltyProgramEnrollments.0.programId", "missing"),
        ("version: 2\nprofiles: []\n", 1, "version", "1"),
        ("colour: blue\nprofiles: []\n", 1, "colour", "unknown key"),
    ],
)  # fmt: skip
def test_mapping_errors_name_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_mapping(path)
    assert f"{path}:{line}: {key}: " in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profiles: [\n", "not valid YAML"),
        ("- a\n- b\n", "must be a YAML mapping"),
        ("", "must be a YAML mapping"),
    ],
)
def test_unusable_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: no such mapping file"):
        load_mapping(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "programId: {value: abc}",
            'loyaltyProgramEnrollments.0.programId: "abc" is not a whole number',
        ),
        ("pointsExpiryDate: {value: '31/12/2026'}", "is not a date in YYYY-MM-DD"),
    ],
)
def test_bad_constants_stop_before_the_first_row(write, value: str, message: str) -> None:
    from importer.prepare._pipeline import check_columns
    from importer.read._table import open_table

    text = BASIC_MAPPING.replace("  - programId: 469", "  - programId: 469\n    " + value)
    if value.startswith("programId"):
        text = BASIC_MAPPING.replace("  - programId: 469", "  - " + value)
    mapping_path = write("map.yaml", text)
    table = open_table(write("in.csv", "id,first,last,mobile,email,tier\n1,A,B,919988221100,,1\n"))
    with pytest.raises(ConfigError, match="map.yaml: ") as info:
        check_columns(table, load_mapping(mapping_path))
    assert message in str(info.value)
