"""Every output a person reads (log, stderr, stdout, report page, summary) masks every mobile and
e-mail of the input, in whatever shape it was typed, and nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

from runs_helpers import cli, read_report, write_csv

from importer.send._auth import basic_header

COLUMNS = ["member_id", "first_name", "mobile", "email"]
MAPPING = """\
version: 1
profiles:
  - source: INSTORE
    firstName: first_name
    identifiers:
      - {type: mobile, value: mobile}
      - {type: email, value: email}
      - {type: externalId, value: member_id}
"""
ROWS = [
    ["M01", "Ann", "+1 (212) 736-5000", "Ann.Lee+vip@Example.com"],  # created
    ["M02", "Ben", "+91 99882 21100", "ben@example.in"],  # the API quotes it: 8014
    ["M03", "Cat", "284.290.9390x5763", "cat@example.com"],  # rejected here, quoted
    ["M04", "Dan", "+1 212-736-5001", "dan@@example.com"],  # rejected here: the e-mail
    ["M05", "Eve", "+1 (212) 736-5002", "ANN.LEE+VIP@example.com"],  # in-file duplicate
    ["M06", "Fay", "0091 99882 21101", "fay@example.co.uk"],  # 8014, typed the long way
    ["M07", "Gus", "001 212 736 5000", "gus@example.com"],  # in-file duplicate of Ann's mobile
    ["M08", "Hal", "+1-212-736-5003", "hal@example.com"],  # 8006: exists already
    ["M09", "Ida", "+1 (212) 736-5004 ext. 12", "ida@example.com"],  # created
]


def forms(cell: str) -> set[str]:
    """The ways an identifier may show up in text: as typed, and as its digits or lower case."""
    found = {cell, cell.lower()}
    digits = re.sub(r"\D", "", cell.split("x")[0].split("ext")[0])
    if len(digits) >= 7:
        found |= {digits, digits.lstrip("0"), digits[-10:]}
    return found


def test_no_output_shows_an_identifier_and_every_output_shows_paths_and_runs(
    start_emulator, tmp_path: Path
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("registration:\n  mobile_max_digits: 11\n", encoding="utf-8")
    emu = start_emulator("--org", str(org))
    body = {
        "profiles": [
            {"source": "INSTORE", "identifiers": [{"type": "mobile", "value": "12127365003"}]}
        ]
    }
    emu.request("POST", "/v2/customers", body, {"Authorization": basic_header("demo", "demo123")})
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = write_csv(tmp_path / "signups 2026-11-26.csv", ROWS, COLUMNS)
    out = tmp_path / "out"
    proc = cli(
        "run", str(source), "--mapping", str(mapping), "--base-url", emu.url, "--rpm", "0",
        "--out", str(out),
    )  # fmt: skip
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    (run_dir,) = (out / "signups_2026-11-26").glob("2*")
    outputs = {
        "stdout": stdout,
        "stderr": stderr,
        "run.log": (run_dir / "run.log").read_text("utf-8"),
        "report.html": (run_dir / "report.html").read_text("utf-8"),
        "summary.json": (run_dir / "summary.json").read_text("utf-8"),
    }
    # the run said something about the rows whose identifiers it must hide
    errors = {r["member_id"]: r for r in read_report(run_dir / "errors.csv")}
    assert errors["M02"]["_code"] == "8014" and errors["M03"]["_code"] == "invalid_mobile"
    assert "919988221100" in errors["M02"]["_message"]  # the report itself keeps the values
    assert "91********00" in outputs["report.html"] and "91********00" in outputs["run.log"]
    assert "28**********63" in outputs["report.html"]  # with its extension, masked the same way
    for row in ROWS:
        for cell in row[2:]:
            for form in forms(cell):
                for name, text in outputs.items():
                    assert form not in text, f"{form!r} (from {cell!r}) shows in {name}"
    # masking leaves what is not an identifier alone: paths, run ids, dates, counts
    assert f'"input": "{source}"' in outputs["stderr"]
    for name in ("stderr", "run.log", "report.html", "summary.json"):
        assert run_dir.name in outputs[name], name
    assert str(source) in outputs["report.html"] and str(run_dir) in outputs["stdout"]
    assert "2026-11-26" in outputs["report.html"]
