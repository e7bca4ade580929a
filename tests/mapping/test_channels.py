"""Channel flags (primary, verified, subscribed) from constants or columns, and the body forms the
reference's samples use: JSON booleans, empty strings and empty objects."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

from typing import Any

import pytest

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder
from importer.mapping._rules import check_payload
from importer.mapping._spec import parse_mapping

COLUMNS = ["mobile", "email", "Opt-in SMS", "SMS Verified", "Opt-in Mail"]

CONSENT = """
profiles:
  - source: INSTORE
    identifiers:
      - {type: mobile, value: mobile}
    commChannels:
      - type: mobile
        value: mobile
        primary: true
        verified: SMS Verified
        subscribed: {column: Opt-in SMS, as: bool}
      - type: email
        value: email
        primary: {value: true, json: boolean}
        subscribed: {column: Opt-in Mail, json: boolean}
"""


def body(text: str, row: dict[str, str], columns: list[str] = COLUMNS) -> dict[str, Any]:
    payload, _ = Builder(parse_mapping(text), columns).build([row.get(c, "") for c in columns])
    check_payload(payload)  # the request model agrees with what the compiled mapping built
    return payload


def channels(row: dict[str, str]) -> dict[str, dict[str, Any]]:
    built = body(CONSENT, {"mobile": "919988221100", "email": "a@example.com", **row})
    return {c["type"]: c for c in built["profiles"][0].get("commChannels", [])}


@pytest.mark.parametrize(
    ("cell", "sent"),
    [
        ("Y", "true"), ("y", "true"), ("N", "false"), ("n", "false"),
        ("yes", "true"), ("YES", "true"), ("No", "false"), ("NO", "false"),
        ("1", "true"), ("0", "false"), ("true", "true"), ("FALSE", "false"), ("True", "true"),
        ("on", "true"), ("OFF", "false"), (" Y ", "true"),
    ],
)  # fmt: skip
def test_consent_words_become_the_flag(cell: str, sent: str) -> None:
    found = channels({"Opt-in SMS": cell, "SMS Verified": cell, "Opt-in Mail": cell})
    assert found["mobile"]["subscribed"] == sent
    assert found["mobile"]["verified"] == sent  # a bare column name: as: bool by default
    assert found["email"]["subscribed"] is (sent == "true")  # json: boolean
    assert found["mobile"]["primary"] == "true" and found["email"]["primary"] is True


@pytest.mark.parametrize("cell", ["", "   "])
def test_an_empty_cell_leaves_the_flag_out(cell: str) -> None:
    found = channels({"Opt-in SMS": cell, "SMS Verified": cell, "Opt-in Mail": cell})
    assert found["mobile"] == {"type": "mobile", "value": "919988221100", "primary": "true"}
    assert found["email"] == {"type": "email", "value": "a@example.com", "primary": True}


@pytest.mark.parametrize(
    ("column", "cell"),
    [("Opt-in SMS", "maybe"), ("Opt-in SMS", "TBC"), ("SMS Verified", "?"), ("Opt-in Mail", "2")],
)
def test_a_value_that_is_no_boolean_rejects_the_row_naming_column_and_value(
    column: str, cell: str
) -> None:
    with pytest.raises(RowRejected) as info:
        channels({column: cell})
    assert info.value.code == "invalid_bool"
    assert info.value.column == column
    assert str(info.value).startswith(f'{column}: "{cell}" ')


DROPPED = """
settings: {on_invalid: reject}
profiles:
  - source: INSTORE
    identifiers: [{type: mobile, value: mobile}]
    commChannels:
      - type: mobile
        value: mobile
        primary: true
        verified: SMS Verified
        subscribed: {column: Opt-in SMS, as: bool, on_invalid: drop}
"""


@pytest.mark.parametrize("cell", ["maybe", "TBC", "?", "Yes please"])
def test_a_flag_that_may_drop_leaves_consent_out_with_a_warning(cell: str) -> None:
    """``on_invalid: drop``: a non-boolean opt-in is never guessed; the customer is still sent."""
    builder = Builder(parse_mapping(DROPPED), COLUMNS)
    cells = {"mobile": "919988221100", "Opt-in SMS": cell, "SMS Verified": "Y"}
    body, _, _, warns = builder.build_raw([cells.get(c, "") for c in COLUMNS])
    check_payload(body)
    assert body["profiles"][0]["commChannels"] == [
        {"type": "mobile", "value": "919988221100", "primary": "true", "verified": "true"}
    ]
    [warning] = warns
    assert warning["code"] == "dropped_value" and warning["column"] == "Opt-in SMS"
    assert warning["message"].startswith(f'Opt-in SMS: "{cell}" ')
    # a yes/no is carried as given; only a flag without on_invalid: drop rejects the row
    yes, _, _, none = builder.build_raw(["919988221100", "", "n", "Y", ""])
    assert yes["profiles"][0]["commChannels"][0]["subscribed"] == "false" and none is None
    with pytest.raises(RowRejected) as info:
        builder.build_raw(["919988221100", "", "Y", cell, ""])
    assert (info.value.code, info.value.column) == ("invalid_bool", "SMS Verified")
    assert str(info.value).startswith(f'SMS Verified: "{cell}" ')


def test_settings_on_invalid_drop_applies_to_flags_too() -> None:
    text = DROPPED.replace("on_invalid: reject", "on_invalid: drop").replace(
        ", on_invalid: drop}", "}"
    )
    builder = Builder(parse_mapping(text), COLUMNS)
    body, _, _, warns = builder.build_raw(["919988221100", "", "?", "x", ""])
    assert body["profiles"][0]["commChannels"] == [
        {"type": "mobile", "value": "919988221100", "primary": "true"}
    ]
    assert sorted(w["column"] for w in warns) == ["Opt-in SMS", "SMS Verified"]


def test_a_rejected_flag_is_one_of_every_problem_of_the_row() -> None:
    with pytest.raises(RowRejected) as info:
        channels({"mobile": "12", "Opt-in SMS": "maybe", "Opt-in Mail": "2"})
    assert info.value.codes == ("invalid_mobile", "invalid_bool")
    message = str(info.value)
    assert '"12"' in message and 'Opt-in SMS: "maybe"' in message and 'Opt-in Mail: "2"' in message


def test_flags_the_row_does_not_give_stay_out_whatever_the_other_columns() -> None:
    found = channels({"Opt-in SMS": "N", "Opt-in Mail": ""})
    assert found["mobile"]["subscribed"] == "false"  # a no is loaded as a no, never dropped
    assert "subscribed" not in found["email"]
    assert "verified" not in found["mobile"]


def test_flag_constants_and_values_through_map() -> None:
    text = """
profiles:
  - source: INSTORE
    identifiers: [{type: mobile, value: mobile}]
    commChannels:
      - type: mobile
        value: mobile
        primary: false
        verified: {value: "yes"}
        subscribed: {column: Opt-in SMS, map: {"Opted in": Y, "Opted out": N}, strict: true}
"""
    built = body(text, {"mobile": "919988221100", "Opt-in SMS": "opted OUT"})
    assert built["profiles"][0]["commChannels"] == [
        {"type": "mobile", "value": "919988221100", "primary": "false", "verified": "true", "subscribed": "false"}
    ]  # fmt: skip


def test_json_forms_of_booleans_in_meta_and_fields() -> None:
    text = """
profiles:
  - source: INSTORE
    identifiers: [{type: mobile, value: mobile}]
    commChannels:
      - type: mobile
        value: mobile
        meta: {residence: true, office: {value: false, json: boolean}, push: {column: Opt-in SMS, as: bool, json: boolean}}
    fields: {employee: {column: SMS Verified, as: bool}, vip: {value: true, json: string}}
"""
    built = body(text, {"mobile": "919988221100", "Opt-in SMS": "n", "SMS Verified": "y"})
    profile = built["profiles"][0]
    assert profile["commChannels"][0]["meta"] == {
        "residence": "true",
        "office": False,
        "push": False,
    }
    assert profile["fields"] == {"employee": True, "vip": "true"}


def test_keep_empty_sends_empty_text_and_written_empty_groups_are_sent_empty() -> None:
    text = """
profiles:
  - source: INSTORE
    identifiers:
      - type: cardnumber
        value: email
        seriesId: 73
        extendedFields: {}
    commChannels:
      - {type: mobile, value: mobile, meta: {lastViewedDate: {column: Opt-in SMS, keep_empty: true}}}
      - {type: email, value: {column: email, as: text}, meta: {}}
    fields: {gender: {column: SMS Verified, keep_empty: true}, city: {column: Opt-in Mail}}
extendedFields: {}
loyaltyInfo: {}
referralCode: {value: "", keep_empty: true}
statusLabel: {column: Opt-in Mail}
"""
    built = body(text, {"mobile": "919988221100", "email": "C-1"})
    assert built == {
        "profiles": [
            {
                "identifiers": [{"type": "cardnumber", "value": "C-1", "seriesId": 73, "extendedFields": {}}],
                "commChannels": [
                    {"type": "mobile", "value": "919988221100", "meta": {"lastViewedDate": ""}},
                    {"type": "email", "value": "C-1", "meta": {}},
                ],
                "fields": {"gender": ""},  # city has no keep_empty: left out
                "source": "INSTORE",
            }
        ],
        "extendedFields": {},
        "loyaltyInfo": {},
        "referralCode": "",
    }  # fmt: skip


def test_groups_not_written_or_empty_on_the_row_stay_out() -> None:
    text = """
profiles:
  - source: INSTORE
    identifiers: [{type: mobile, value: mobile}]
    commChannels: [{type: mobile, value: mobile, meta: {residence: {column: Opt-in SMS}}}]
    fields: {gender: {column: SMS Verified}}
"""
    built = body(text, {"mobile": "919988221100"})
    assert built["profiles"][0] == {
        "identifiers": [{"type": "mobile", "value": "919988221100"}],
        "commChannels": [{"type": "mobile", "value": "919988221100"}],
        "source": "INSTORE",
    }


def test_the_reference_sample_identifier_and_channel_types() -> None:
    text = """
profiles:
  - source: MOBILE_APP
    identifiers:
      - {type: cuid, value: mobile}
      - {type: unionId, value: email}
      - {type: line, value: Opt-in SMS}
    commChannels:
      - {type: mobilePush, value: mobile, primary: true}
      - {type: line, value: Opt-in SMS, subscribed: {value: "yes"}}
"""
    built = body(text, {"mobile": "cuid_1", "email": "union_1", "Opt-in SMS": "Ud7b7ec"})
    assert built["profiles"][0]["identifiers"] == [
        {"type": "cuid", "value": "cuid_1"}, {"type": "unionId", "value": "union_1"}, {"type": "line", "value": "Ud7b7ec"}
    ]  # fmt: skip
    assert built["profiles"][0]["commChannels"] == [
        {"type": "mobilePush", "value": "cuid_1", "primary": "true"},
        {"type": "line", "value": "Ud7b7ec", "subscribed": "true"},
    ]


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        ("subscribed: {column: c, as: text}", "subscribed is true or false: as: bool (the default), not text"),
        ("primary: {column: c, as: int}", "primary is true or false"),
        ("verified: {column: c, keep_empty: true}", "verified: keep_empty applies to text values"),
        ("subscribed: {column: c, json: yes}", "'boolean' or 'string'"),
        ("meta: {residence: {column: c, as: int, json: boolean}}", "json applies to as: bool"),
        ("meta: {since: {column: c, as: date, keep_empty: true}}", "keep_empty applies to text values"),
        ("meta: {since: {column: c, required: true, keep_empty: true}}", "keep_empty applies to text values that are not required"),
        ("value: {column: m, keep_empty: true}", "value: keep_empty applies to text values"),
        ("opt_in: c", "unknown key"),
    ],
)  # fmt: skip
def test_flag_mistakes_are_named(channel: str, message: str) -> None:
    text = (
        "profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m}]\n"
        f"    commChannels:\n      - type: mobile\n        value: m\n        {channel}\n"
    )
    with pytest.raises(ConfigError) as info:
        parse_mapping(text, "consent.yaml")
    assert "consent.yaml:" in str(info.value) and "profiles.0.commChannels.0" in str(info.value)
    assert message in str(info.value)


def test_keep_empty_is_refused_where_an_empty_value_cannot_be_sent() -> None:
    text = (
        "profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: m}]\n"
        "loyaltyProgramEnrollments:\n  - programId: 469\n    tierNumber: {column: t, keep_empty: true}\n"
    )
    with pytest.raises(ConfigError, match="tierNumber: keep_empty applies to text values"):
        parse_mapping(text)


@pytest.mark.parametrize(
    ("flag", "accepted"),
    [("true", True), ("false", True), (True, True), (False, True), ("yes", False), ("Y", False), (1, False)],
)  # fmt: skip
def test_the_request_model_knows_subscribed(flag: Any, accepted: bool) -> None:
    payload = {
        "profiles": [
            {
                "identifiers": [{"type": "mobile", "value": "919988221100"}],
                "commChannels": [{"type": "mobile", "value": "919988221100", "subscribed": flag}],
                "source": "INSTORE",
            }
        ]
    }
    if accepted:
        check_payload(payload)
    else:
        with pytest.raises(RowRejected, match="subscribed"):
            check_payload(payload)


def test_a_dropped_value_stays_out_even_with_keep_empty() -> None:
    """keep_empty sends an empty cell as ""; a value dropped for being invalid is left out."""
    text = (
        "profiles:\n  - source: INSTORE\n    identifiers: [{type: mobile, value: mobile}]\n"
        "referralCode: {column: email, max_length: 3, keep_empty: true, on_invalid: drop}\n"
    )
    builder = Builder(parse_mapping(text), COLUMNS)
    empty, _, _, none = builder.build_raw(["919988221100", "", "", "", ""])
    assert empty["referralCode"] == "" and none is None
    long, _, _, warns = builder.build_raw(["919988221100", "ABCD", "", "", ""])
    assert "referralCode" not in long and [w["code"] for w in warns] == ["dropped_value"]
    assert builder.build_raw(["919988221100", "ABC", "", "", ""])[0]["referralCode"] == "ABC"
