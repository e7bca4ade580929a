"""The org's extended and custom fields on the emulator: the three GETs in the documented shape,
and what an add does with a field the org lacks or a value its dataType refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from emulator_helpers import AUTH, add_body, created, error_codes, fresh_mobile, post_add

ORG = """\
extended_fields:
  - {name: gender, label: Gender, dataType: STANDARD_ENUM, values: [Male, Female]}
  - {name: Age, dataType: INTEGER}
  - {name: score, dataType: DOUBLE}
  - {name: joined_on, dataType: DATETIME, rejectTxnOnInvalidValue: true, mandatory: true}
  - {name: nick, dataType: STRING, maxLength: 4}
custom_fields:
  - {name: employee, mandatory: true}
reject_unknown_fields: %s
"""


@pytest.fixture
def emu(start_emulator, tmp_path: Path):
    path = tmp_path / "org.yaml"
    path.write_text(ORG % "false", encoding="utf-8")
    return start_emulator("--org", str(path))


def test_the_three_gets_answer_in_the_documented_shape(emu) -> None:
    fields = emu.request("GET", "/v2/extendedFields", headers=AUTH)
    assert fields.status == 200 and fields.body["success"] is True
    customer = fields.body["entity"]["CUSTOMER"]
    assert [f["name"] for f in customer] == ["gender", "Age", "score", "joined_on", "nick"]
    assert customer[0]["dataType"] == "STANDARD_ENUM" and customer[0]["label"] == "Gender"
    assert customer[0]["enumValues"] == ["Male", "Female"]
    assert {"id", "baseEntityType", "createdOn", "modifiedOnISO", "createdBy"} <= set(customer[1])
    config = emu.request("GET", "/v2/entity/extendedFieldConfig", headers=AUTH).body["entity"]
    by_id = {c["extendedFieldId"]: c for c in config}
    joined = next(f["id"] for f in customer if f["name"] == "joined_on")
    assert by_id[joined]["rejectTxnOnInvalidValue"] is True and by_id[joined]["mandatory"] is True
    custom = emu.request("GET", "/v2/organization/customFields", headers=AUTH).body
    assert custom["entity"]["customFields"][0]["name"] == "employee"
    assert emu.request("GET", "/v2/extendedFields").status == 401  # authenticated like adds


@pytest.mark.parametrize(
    ("extended", "dropped"),
    [
        ({"gender": "Male", "Age": 40, "score": 1.5, "nick": "Bo"}, 0),
        ({"Age": "40", "score": "2.25"}, 0),  # numbers written as text read as numbers
        ({"gender": "male"}, 1),  # enum values are exact
        ({"Age": "forty"}, 1),
        ({"Age": 40.5}, 1),
        ({"score": "abc"}, 1),
        ({"nick": "Bartholomew"}, 1),
        ({"marital_staus": "Single"}, 1),  # a field the org does not have
    ],
)
def test_a_bad_value_is_dropped_with_a_warning(emu, extended: dict, dropped: int) -> None:
    answer = post_add(emu, add_body(("mobile", fresh_mobile()), extendedFields=extended))
    created(answer)
    codes = [w["code"] for w in answer.body["warnings"] if w["code"] in (8071, 8072)]
    assert len(codes) == dropped
    assert emu.stats()["field_values_dropped"] == dropped


def test_reject_txn_on_invalid_value_refuses_the_add(emu) -> None:
    good = {"joined_on": "2024-02-29T10:00:00+05:30"}
    created(post_add(emu, add_body(("mobile", fresh_mobile()), extendedFields=good)))
    bad = {"joined_on": "29/02/2024"}
    answer = post_add(emu, add_body(("mobile", fresh_mobile()), extendedFields=bad))
    assert answer.status == 400 and error_codes(answer) == [8072]
    assert "joined_on" in answer.body["errors"][0]["message"]
    assert emu.stats()["customers_stored"] == 1


def test_unknown_custom_fields_are_dropped_or_refused(start_emulator, tmp_path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(ORG % "true", encoding="utf-8")
    emu = start_emulator("--org", str(path))
    body = add_body(("mobile", fresh_mobile()), profile={"fields": {"employe": "true"}})
    assert error_codes(post_add(emu, body)) == [8071]
    body = add_body(("mobile", fresh_mobile()), profile={"fields": {"employee": "true"}})
    created(post_add(emu, body))
