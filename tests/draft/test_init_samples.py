"""``importer init`` on the shipped samples: the unedited draft runs, has at least as many rows
ready as the hand-written mapping in mappings/, and never sends a wrong mobile."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest
from init_helpers import bodies, init, mobile_of, uncomment, validate
from prepare_helpers import MAPPINGS, SAMPLES
from runs_helpers import BASIC

from importer.mapping._spec import load_mapping, parse_mapping
from importer.read._table import open_table
from importer.run._config import RunConfig
from importer.run._run import run_import

MEMBERS = {
    "mobile": "mobile", "email": "email", "externalId": "member_id", "firstName": "first_name",
    "lastName": "last_name", "dateofbirth": "date_of_birth", "gender": "gender", "city": "city",
    "tier": "tier", "points": "points",
}  # fmt: skip
LEGACY = {
    "mobile": "Mobile No", "email": "E-Mail", "externalId": "Cust No", "fullName": "Full Name",
    "dateofbirth": "DOB", "gender": "Sex", "city": "Town", "tier": "Level", "points": "Balance",
}  # fmt: skip
POS = {
    "country": "Country", "mobile": "Mobile", "email": "E-Mail", "externalId": "Customer No",
    "fullName": "Full Name", "dateofbirth": "DOB", "gender": "Sex", "tier": "Tier",
    "points": "Points Balance", "consent_mobile": "Opt-in SMS",
}  # fmt: skip

#: sample, its hand-written mapping, the fields the draft must match (field -> column)
CASES = [
    ("members.csv", "members.yaml", MEMBERS),
    ("members.xlsx", "members.yaml", MEMBERS),
    ("legacy_members.csv", "legacy_members.yaml", LEGACY),
    ("legacy_pos.csv", "legacy_pos.yaml", POS),
]


def matched(output: str) -> dict[str, str]:
    """The ``field <- column`` lines ``importer init`` prints."""
    return dict(re.findall(r"^  (\w+) +<- (.+)$", output, flags=re.MULTILINE))


def hand_mapping(name: str) -> Path:
    load_mapping(MAPPINGS / name)  # every hand-written mapping loads: none is skipped
    return MAPPINGS / name


def expected_mobile(sample: str, cells: dict[str, str]) -> tuple[bool, str | None]:
    """(valid, digits) of the row's mobile as an independent reading says: the pos sample's
    oracle, else the hand-written mapping's own reading of the cell (its column and region)."""
    if sample == "legacy_pos.csv":
        from samples_legacy_pos_check import OK, mobile_outcome

        outcome, digits, _ = mobile_outcome(cells)
        return outcome == OK, digits
    column, region = ("Mobile No", "IN") if sample.startswith("legacy") else ("mobile", None)
    return read_phone(cells[column], region)


def read_phone(cell: str, region: str | None) -> tuple[bool, str | None]:
    """(valid, digits) of a cell as phonenumbers reads it in ``region`` (none: the digits carry
    their country code, with or without + or 00)."""
    text = cell.strip()
    if not text:
        return True, None
    if region is None and not text.startswith("+"):
        text = "+" + (text[2:] if text.startswith("00") else text)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False, None
    if not phonenumbers.is_valid_number(number):
        return False, None
    return True, f"{number.country_code}{number.national_number}"


@pytest.mark.parametrize(("sample", "hand", "fields"), CASES)
def test_draft_validates_as_well_as_the_hand_mapping(tmp_path: Path, sample, hand, fields) -> None:
    hand_path = hand_mapping(hand)
    draft = tmp_path / "draft.yaml"
    result = init(SAMPLES / sample, draft)
    assert matched(result.output) == fields
    assert "What `importer validate` makes of it" in result.output

    mine = validate(SAMPLES / sample, draft, tmp_path / "draft-reports")
    theirs = validate(SAMPLES / sample, hand_path, tmp_path / "hand-reports")
    assert mine["total_rows"] == theirs["total_rows"]
    assert mine["sendable"] >= theirs["sendable"], (mine["codes"], theirs["codes"])
    # init printed the same counts validate found (it read every row of these small files)
    assert re.search(rf"ready +{mine['sendable']:,} ", result.output)

    cells = {row.row: row.cells for row in open_table(SAMPLES / sample).rows()}
    wrong = {}
    for number, body in bodies(SAMPLES / sample, draft).items():
        valid, digits = expected_mobile(sample, cells[number])
        sent = mobile_of(body)
        # a mobile left out (on_invalid: drop, the row sent by its e-mail) is no wrong value
        if sent is not None and sent != (digits if valid else None):
            wrong[number] = (cells[number], sent, digits)
    assert not wrong


def test_the_draft_runs_against_the_api_unedited(tmp_path: Path, start_emulator) -> None:
    emu = start_emulator()
    draft = tmp_path / "draft.yaml"
    init(SAMPLES / "legacy_members.csv", draft)
    summary = run_import(
        RunConfig(
            input=SAMPLES / "legacy_members.csv",
            mapping=draft,
            base_url=emu.url,
            rpm=0,
            out=tmp_path / "out",
            env=BASIC,
            progress=False,
        )
    )
    sent = bodies(SAMPLES / "legacy_members.csv", draft)
    ready = validate(SAMPLES / "legacy_members.csv", draft, tmp_path / "reports")["sendable"]
    # 5 of the sample's Indian numbers are landlines (phonenumbers' type): not_mobile
    assert summary.outcomes["created"] == len(sent) == ready >= 50
    stored = {
        ident["value"]
        for customer in emu.customers()
        for account in customer["accounts"]
        for ident in account["identifiers"]
        if ident["type"] == "mobile"
    }
    # a row whose mobile is not valid is sent by its e-mail, the mobile left out
    assert stored == {mobile_of(body) for body in sent.values()} - {None}
    cells = {row.row: row.cells for row in open_table(SAMPLES / "legacy_members.csv").rows()}
    # landlines are left out (not_mobile under on_invalid: drop): the mobiles are what is stored
    assert stored == {read_mobile(cells[n]["Mobile No"], "IN") for n in sent} - {None}


def read_mobile(cell: str, region: str) -> str | None:
    """The digits of a cell that phonenumbers reads as a mobile in ``region``, else None."""
    valid, digits = read_phone(cell, region)
    if not valid or digits is None:
        return None
    kind = phonenumbers.number_type(phonenumbers.parse("+" + digits))
    mobile = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    return digits if kind in mobile else None


def test_the_commented_enrollment_works_once_given_a_program(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    init(SAMPLES / "members.csv", draft)
    text = draft.read_text(encoding="utf-8")
    assert "# loyaltyProgramEnrollments:" in text
    assert "loyaltyProgramEnrollments" not in parse_mapping(text).model_fields_set

    enrolled = uncomment(text).replace("programId: TODO", "programId: 469")
    mapping = parse_mapping(enrolled)
    (enrollment,) = mapping.loyaltyProgramEnrollments
    assert enrollment.tierNumber.column == "tier" and enrollment.tierNumber.as_ == "int"
    assert enrollment.loyaltyPoints.column == "points"
    (tmp_path / "enrolled.yaml").write_text(enrolled, encoding="utf-8")
    body = next(iter(bodies(SAMPLES / "members.csv", tmp_path / "enrolled.yaml").values()))
    assert body["loyaltyProgramEnrollments"][0]["programId"] == 469


def test_init_will_not_overwrite_a_mapping(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from importer.cli._main import main

    target = tmp_path / "mine.yaml"
    target.write_text("hand-written", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(SAMPLES / "members.csv"), "--out", str(target)])
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "hand-written"
    init(SAMPLES / "members.csv", target, "--force")
    assert target.read_text(encoding="utf-8").startswith("# Drafted by `importer init`")
