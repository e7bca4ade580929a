"""The multi-country sample, sent to the emulator: every created customer's mobile is the row's
number in its own country (checked against an oracle that parses the rows on its own), every
row whose mobile is valid there is created, and no title or degree is a first or last name."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import samples_legacy_pos_check as oracle

from importer._layout import decode_cell

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "legacy_pos.csv"
MAPPING = ROOT / "mappings" / "legacy_pos.yaml"


def _read(path: Path) -> list[dict[str, str]]:
    """A report file's rows, cells as the input had them (Excel's formula guard undone)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: decode_cell(v) for k, v in row.items()} for row in csv.DictReader(fh)]


#: number types that are no customer's mobile (README "Phone numbers and regions")
_NOT_MOBILE = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
    phonenumbers.PhoneNumberType.VOICEMAIL,
}


def _not_mobile(digits: str | None) -> bool:
    """phonenumbers itself: the number's type is one no mobile has (a landline, toll-free...)."""
    return phonenumbers.number_type(phonenumbers.parse("+" + str(digits))) in _NOT_MOBILE


def _expected(rows: list[dict[str, str]]) -> tuple[dict[int, str], dict[int, str], set[int]]:
    """Sheet row -> the mobile it must be created with; sheet row -> the code of rows whose mobile
    rejects them; the rows that are in-file duplicates of an earlier created row.

    The oracle's rules, with two differences we keep on purpose: digits that read as two different
    valid numbers of the row's own country (``double_reading``), or as a national number and as
    another country's number with its + lost (``plus_lost_reading``), are rejected, not guessed."""
    created: dict[int, str] = {}
    refused: dict[int, str] = {}
    duplicates: set[int] = set()
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(rows, start=2):
        outcome, digits, _ = oracle.mobile_outcome(row)
        if outcome == oracle.OK and (oracle.double_reading(row) or oracle.plus_lost_reading(row)):
            outcome = "ambiguous_mobile"
        elif outcome == oracle.OK and _not_mobile(digits):
            outcome = "not_mobile"
        if outcome != oracle.OK:
            refused[number] = outcome
            continue
        assert digits is not None
        keys = {("mobile", digits), ("externalId", row["Customer No"].strip())}
        if keys & seen:
            duplicates.add(number)
            continue
        seen |= keys
        created[number] = digits
    return created, refused, duplicates


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample imported once into a fresh emulator: (summary, run dir, customers by id)."""
    from runs_helpers import BASIC

    from importer.emulator import running_emulator
    from importer.run._config import RunConfig
    from importer.run._run import run_import
    from importer.send import Policy

    out = tmp_path_factory.mktemp("pos")
    with running_emulator() as emu:
        summary = run_import(
            RunConfig(
                input=SAMPLE,
                mapping=MAPPING,
                base_url=emu.url,
                rpm=0,
                out=out,
                env=BASIC,
                progress=False,
                policy=Policy(backoff_base=0.05),
                timeout=10.0,
            )
        )
        customers = {c["id"]: c for c in emu.customers()}
    return summary, out / summary.job / summary.run, customers


def _mobile(customer: dict[str, Any]) -> str:
    text = json.dumps(customer)
    found = [
        i["value"]
        for p in customer.get("accounts", [])
        for i in p.get("identifiers", [])
        if i["type"] == "mobile"
    ]
    assert len(found) == 1, text
    return found[0]


def test_every_created_customer_has_the_rows_own_mobile(sent) -> None:
    summary, run_dir, customers = sent
    created, refused, duplicates = _expected(oracle.read_rows(SAMPLE))
    success = {int(r["_row"]): int(r["_created_id"]) for r in _read(run_dir / "success.csv")}
    # what reached the emulator, row by row, is the mobile the oracle parsed on its own
    wrong = {
        row: (_mobile(customers[cid]), created.get(row))
        for row, cid in success.items()
        if _mobile(customers[cid]) != created.get(row)
    }
    assert wrong == {}
    # and every row whose mobile is valid in its own country, not a duplicate, was created
    assert set(success) == set(created)
    assert len(customers) == len(created) == summary.outcomes["created"]
    errors = {int(r["_row"]): r for r in _read(run_dir / "errors.csv")}
    assert {row: errors[row]["_code"] for row in refused} == refused
    dups = {int(r["_row"]) for r in _read(run_dir / "duplicates.csv")}
    assert dups == duplicates


def test_no_first_name_is_a_title_and_no_last_name_a_degree(sent) -> None:
    _, run_dir, customers = sent
    success = {int(r["_row"]): int(r["_created_id"]) for r in _read(run_dir / "success.csv")}
    rows = oracle.read_rows(SAMPLE)
    problems = []
    for row, cid in success.items():
        customer = customers[cid]
        first, last = customer.get("firstName"), customer.get("lastName")
        problems += oracle.name_problems(rows[row - 2]["Full Name"], first, last)
    assert problems == []


def test_bad_optional_values_are_dropped_with_warnings(sent) -> None:
    summary, run_dir, _ = sent
    warned = _read(run_dir / "warnings.csv")
    codes: dict[str, int] = {}
    for row in warned:
        for warning in json.loads(row["_warnings"]):
            codes[warning["code"]] = codes.get(warning["code"], 0) + 1
            if warning["code"] == "dropped_value":
                column = warning["column"]
                assert warning["message"].startswith(f"{column}: ")
                cell = row[column].strip()
                assert cell and f'"{cell[:20]}'.lower() in warning["message"].lower()
    assert codes.get("dropped_value", 0) > 50
    assert {"country_mismatch", "phone_extension"} <= set(codes)
    assert summary.rows_with_warnings == len(warned)


#: the consent words README.md lists for ``as: bool``, read here on their own
_YES, _NO = {"y", "yes", "1", "true", "on"}, {"n", "no", "0", "false", "off"}


def _consent(cell: str) -> bool | None:
    """What the Opt-in SMS cell says: yes, no, or nothing the importer may carry."""
    word = cell.strip().lower()
    return True if word in _YES else False if word in _NO else None


def test_every_created_customers_sms_consent_is_the_cell(sent) -> None:
    """A yes is loaded as subscribed, a no as not subscribed; a blank or junk cell ("?", "TBC",
    "Yes please") is never guessed: the flag is left out, and junk says so in warnings.csv."""
    summary, run_dir, customers = sent
    rows = oracle.read_rows(SAMPLE)
    success = {int(r["_row"]): int(r["_created_id"]) for r in _read(run_dir / "success.csv")}
    wrong = {}
    given = {True: 0, False: 0, None: 0}
    for row, cid in success.items():
        [mobile] = [
            c
            for a in customers[cid]["accounts"]
            for c in a["commChannels"]
            if c["type"] == "mobile"
        ]
        expected = _consent(rows[row - 2]["Opt-in SMS"])
        given[expected] += 1
        if mobile.get("subscribed") is not expected:
            wrong[row] = (rows[row - 2]["Opt-in SMS"], mobile.get("subscribed"))
    assert wrong == {}
    assert given[True] > 100 and given[False] > 100 and given[None] > 30
    assert summary.consent["mobile"] == {
        "subscribed": given[True],
        "not_subscribed": given[False],
        "not_given": given[None],
    }
    dropped = {
        int(r["_row"])
        for r in _read(run_dir / "warnings.csv")
        for w in json.loads(r["_warnings"])
        if w["code"] == "dropped_value" and w["column"] == "Opt-in SMS"
    }
    junk = {row for row in success if _consent(rows[row - 2]["Opt-in SMS"]) is None}
    assert dropped == {row for row in junk if rows[row - 2]["Opt-in SMS"].strip()}


def test_every_rejected_row_names_column_and_value(sent) -> None:
    _, run_dir, _ = sent
    for row in _read(run_dir / "errors.csv"):
        for problem in row["_message"].split(" | "):
            column = problem.split(":")[0]
            assert column in row or problem.startswith("identifier mobile is required"), problem
            if column in row:
                assert f'"{row[column].strip()[:20]}' in problem, problem


def test_the_sample_spans_countries_and_outcomes() -> None:
    """The oracle itself: several countries and outcomes, so the checks above mean something."""
    table = oracle.outcomes_by_country(oracle.read_rows(SAMPLE))
    assert len([c for c in table if not c.startswith("?")]) >= 6
    assert sum(c[oracle.OK] for c in table.values()) > 400
