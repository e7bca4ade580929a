"""Every problem of a row and every warning reach validate's and preview's output."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from importer.cli._main import main
from importer.run import dry_run

MAPPING = """
registration: {required_identifiers: [mobile]}
profiles:
  - source: INSTORE
    firstName: {column: name, as: name, part: first}
    lastName: {column: name, as: name, part: last}
    identifiers:
      - {type: mobile, value: {column: mobile, as: phone, region: {column: country}}}
    fields:
      dob: {column: dob, as: date, formats: ["%d/%m/%Y"], on_invalid: drop}
loyaltyProgramEnrollments:
  - programId: 469
    loyaltyPoints: {column: points, as: int}
"""
ROWS = (
    "name,mobile,country,dob,points\n"
    "Dr. Asha Rao,9988221100,IN,22/10/2000,1\n"  # ready
    "Ravi Iyer,12345,IN,22/10/2000,-254\n"  # two problems
    "Mr. Imran Khan,+971 54 401 4102,India,31/02/1990,5\n"  # ready, with two warnings
)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_validate_reports_every_problem_and_every_warning(write, tmp_path: Path) -> None:
    summary = dry_run(write("in.csv", ROWS), write("m.yaml", MAPPING), out=tmp_path / "out")
    assert summary.sendable == 2 and summary.outcomes["rejected"] == 1
    # what happened: one code a row, adding up; what to fix: every problem of the row
    assert summary.codes == {"rejected": {"invalid_mobile": 1}}
    assert summary.problems == {"invalid_mobile": 1, "out_of_range": 1}
    assert summary.rows_with_warnings == 1
    run_dir = tmp_path / "out" / summary.job / summary.run
    [error] = read(run_dir / "errors.csv")
    assert error["_code"] == "invalid_mobile"
    assert error["_message"] == (
        'mobile: "12345" is not a valid phone number in IN | points: "-254" is below the minimum 0'
    )
    [warned] = read(run_dir / "warnings.csv")
    assert warned["_row"] == "4" and warned["_outcome"] == "ready"
    codes = [w["code"] for w in json.loads(warned["_warnings"])]
    assert codes == ["country_mismatch", "dropped_value"]
    saved = json.loads((run_dir / "summary.json").read_text())
    assert saved["codes"] == {"rejected": {"invalid_mobile": 1}}
    assert saved["problems"] == {"invalid_mobile": 1, "out_of_range": 1}


def test_preview_shows_warnings_and_every_problem(write) -> None:
    result = CliRunner().invoke(
        main, ["preview", str(write("in.csv", ROWS)), "--mapping", str(write("m.yaml", MAPPING))]
    )
    assert '"firstName": "Asha"' in result.output and "Dr." not in result.output
    assert "# row 3: rejected (invalid_mobile): " in result.output
    assert 'points: "-254" is below the minimum 0' in result.output
    assert '# warning (dropped_value): dob: "31/02/1990"' in result.output
    assert "# warning (country_mismatch)" in result.output
