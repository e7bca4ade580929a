"""Bad input meets a real run: suspect quotes, a file that breaks mid-way, numbers past the API's
bounds and a header far wider than its rows, against the emulator over a real socket."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import COLUMNS, member_rows, read_report, rows_once, run_dir_of, write_csv

from importer.emulator import EmulatorProcess
from importer.run import dry_run


@pytest.fixture
def fresh(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    return emulator


def _csv(rows: list[list[str]]) -> str:
    return "\n".join([",".join(COLUMNS), *(",".join(r) for r in rows)]) + "\n"


def test_a_suspect_quote_is_rejected_and_its_rows_are_not_sent(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    lines = [",".join(r) for r in member_rows(6)]
    lines[2] = lines[2].replace("Name2", '"Name2')  # opens a quote on line 4 ...
    lines[4] = lines[4] + '"'  # ... and closes it on line 6
    source = tmp_path / "in.csv"
    source.write_text(",".join(COLUMNS) + "\n" + "\n".join(lines) + "\n", "utf-8")
    summary = run(fresh.url, source)
    assert summary.total_rows == 4 and summary.exit_code == 1
    assert summary.outcomes["created"] == 3
    assert summary.codes["rejected"] == {"suspect_quote": 1}
    assert summary.requests == 3 and len(fresh.customers()) == 3
    (error,) = read_report(run_dir_of(tmp_path / "out", summary) / "errors.csv")
    assert error["_row"] == "4" and error["_code"] == "suspect_quote"
    assert error["_message"].startswith("first_name: a quote opened on line 4 runs to line 6")


def test_rows_before_a_break_mid_file_are_sent_and_reported(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    tail = "".join("x" * 60 + "\n" for _ in range(20_000))  # the quote runs past 1 MB
    source = tmp_path / "in.csv"
    source.write_text(_csv(member_rows(300)) + 'M9,"broken,919899999999\n' + tail, "utf-8")
    summary = run(fresh.url, source, concurrency=8)
    assert summary.exit_code == 3  # rows were sent, then the input stopped the run
    assert "line 302" in summary.aborted and "unclosed quote" in summary.aborted
    assert summary.outcomes["created"] == 300 and len(fresh.customers()) == 300
    assert rows_once(run_dir_of(tmp_path / "out", summary)) == list(range(2, 302))


def test_a_break_before_anything_was_sent_is_exit_2(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    tail = "".join("x" * 60 + "\n" for _ in range(20_000))
    rejected = [["M1", "Ann", "12"], ["M2", "Ben", "34"]]  # read, reported, never sent
    source = tmp_path / "in.csv"
    source.write_text(_csv(rejected) + 'M3,"broken,919899999999\n' + tail, "utf-8")
    summary = run(fresh.url, source)
    assert summary.exit_code == 2 and summary.requests == 0
    assert "line 4" in summary.aborted
    assert rows_once(run_dir_of(tmp_path / "out", summary)) == [2, 3]

    checked = dry_run(source, tmp_path / "mapping.yaml", out=tmp_path / "dry")
    assert checked.exit_code == 2 and checked.total_rows == 2 and "line 4" in checked.aborted
    assert len(read_report(tmp_path / "dry" / "in" / checked.run / "errors.csv")) == 2


POINTS_MAPPING = """\
version: 1
profiles:
  - source: INSTORE
    identifiers:
      - type: mobile
        value: mobile
loyaltyProgramEnrollments:
  - programId: 469
    loyaltyPoints: points
"""


def test_numbers_past_what_the_api_holds_are_rejected_before_sending(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    mapping = tmp_path / "points.yaml"
    mapping.write_text(POINTS_MAPPING, "utf-8")
    rows = [
        ["919800000001", "1" + "0" * 30],  # 10^30 points
        ["919800000002", "999999999999.999"],  # the most the API holds
        ["919800000003", "1000000000000"],
    ]
    source = write_csv(tmp_path / "in.csv", rows, columns=["mobile", "points"])
    summary = run(fresh.url, source, mapping=mapping)
    assert summary.requests == 1 and summary.outcomes["created"] == 1
    assert summary.codes["rejected"] == {"out_of_range": 2}
    errors = read_report(run_dir_of(tmp_path / "out", summary) / "errors.csv")
    assert [e["_row"] for e in errors] == ["2", "4"]
    assert errors[0]["_message"].startswith('points: "1000000000000000000000000000000" is beyond')
    (customer,) = fresh.customers()
    assert "999999999999.999" in str(customer)


def test_a_header_far_wider_than_its_rows(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    columns = COLUMNS + [f"unused_{i}" for i in range(5000)]
    source = tmp_path / "wide.csv"
    body = "".join(",".join(r) + "\n" for r in member_rows(50))  # three cells a row
    source.write_text(",".join(columns) + "\n" + body, "utf-8")
    summary = run(fresh.url, source)
    assert summary.exit_code == 0 and summary.outcomes["created"] == 50
    assert len(fresh.customers()) == 50
    success = read_report(run_dir_of(tmp_path / "out", summary) / "success.csv")
    assert success[0]["member_id"] == "M0000000" and success[0]["unused_4999"] == ""
