import csv
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer._layout import ROW_FILES, decode_cell, default_job, encode_cell, new_run_dir
from importer._models import Outcome, Settlement, Summary
from importer.report._summary import format_summary, write_summary
from importer.report._writer import ReportWriter, file_fingerprint, read_settled


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("=1+2", "'=1+2"),
        ("+919988221100", "'+919988221100"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'quoted", "''quoted"),
        ("'", "''"),
        ("plain", "plain"),
        ("", ""),
        ("919988221100", "919988221100"),
        ("a=b", "a=b"),
    ],
)
def test_encode_cell(value, encoded):
    assert encode_cell(value) == encoded
    assert decode_cell(encoded) == value


@given(st.text())
def test_decode_inverts_encode(value):
    assert decode_cell(encode_cell(value)) == value


@given(st.text())
def test_encoded_cell_never_starts_a_formula(value):
    encoded = encode_cell(value)
    assert not encoded or encoded[0] not in "=+-@\t\r"


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_writer_puts_each_outcome_in_its_file(tmp_path):
    columns = ["member_id", "mobile", "note"]
    with ReportWriter(tmp_path, columns) as writer:
        writer.write(
            {"member_id": "007", "mobile": "+919988221100", "note": "=HYPERLINK()"},
            Settlement(
                row=2,
                outcome=Outcome.CREATED,
                created_id=55,
                attempts=1,
                warnings=[{"code": 8107, "message": "label"}],
                request_id="r-1",
            ),
        )
        writer.write(
            {"member_id": "008", "mobile": "1", "note": ""},
            Settlement(row=3, outcome=Outcome.DUPLICATE, code="8006", created_id=9),
        )
        writer.write(
            {"member_id": "009", "mobile": "x", "note": "é"},
            Settlement(row=4, outcome=Outcome.REJECTED, code="invalid_mobile"),
        )
        writer.write(
            {"member_id": "010", "mobile": "2", "note": ""},
            Settlement(row=5, outcome=Outcome.FAILED, code="503"),
        )
        writer.write(
            {"member_id": "011", "mobile": "3", "note": ""},
            Settlement(row=6, outcome=Outcome.SKIPPED, code="created"),
        )
    assert writer.counts == {
        "success.csv": 1,
        "duplicates.csv": 1,
        "errors.csv": 2,
        "skipped.csv": 1,
        "warnings.csv": 1,
    }
    success = _read(tmp_path / "success.csv")
    assert success[0][:3] == columns and success[0][3] == "_row"
    assert success[1][:3] == ["007", "'+919988221100", "'=HYPERLINK()"]
    assert success[1][3:6] == ["2", "created", "55"]
    assert json.loads(success[1][8]) == [{"code": 8107, "message": "label"}]
    assert _read(tmp_path / "warnings.csv")[1] == success[1]
    assert [r[4] for r in _read(tmp_path / "errors.csv")[1:]] == ["rejected", "failed"]
    assert _read(tmp_path / "errors.csv")[1][2] == "é"
    assert (tmp_path / "success.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_writer_creates_every_file_even_when_empty(tmp_path):
    ReportWriter(tmp_path, ["a"]).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ROW_FILES)
    assert _read(tmp_path / "errors.csv") == [
        [
            "a",
            "_row",
            "_outcome",
            "_created_id",
            "_code",
            "_message",
            "_warnings",
            "_side_effects",
            "_attempts",
            "_request_id",
            "_run",
        ]
    ]


def test_rows_stream_as_they_settle_and_end_in_the_files_row_order(tmp_path):
    writer = ReportWriter(tmp_path, ["member_id", "note"], stream=True)
    settled = [7, 2, 5, 3, 9, 4]  # the order answers came back in
    for n in settled:
        note = "two\nlines" if n == 5 else f"=note {n}"  # a record over two lines, an escape
        outcome = Outcome.CREATED if n % 2 else Outcome.REJECTED
        writer.write({"member_id": f"M{n}", "note": note}, Settlement(n, outcome), f"run-{n}")
        if n == 5:
            # streamed: a run killed now leaves every row settled so far on disk
            assert [r[2] for r in _read(tmp_path / "success.csv")[1:]] == ["7", "5"]
    writer.close()
    success = _read(tmp_path / "success.csv")
    assert [r[2] for r in success[1:]] == ["3", "5", "7", "9"]
    assert success[2][:2] == ["M5", "two\nlines"] and success[1][1] == "'=note 3"
    assert [r[-1] for r in success[1:]] == ["run-3", "run-5", "run-7", "run-9"]
    assert [r[2] for r in _read(tmp_path / "errors.csv")[1:]] == ["2", "4"]
    assert (tmp_path / "success.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ROW_FILES)  # no leftovers


def test_a_report_reads_back_into_cells_and_settlements(tmp_path):
    original = Settlement(
        4,
        Outcome.CREATED,
        created_id=55,
        code="created",
        message="m",
        warnings=[{"code": 8107}],
        side_effects=[{"type": "points"}],
        attempts=2,
        request_id="r-1",
    )
    with ReportWriter(tmp_path, ["member_id", "mobile"]) as writer:
        writer.write({"member_id": "007", "mobile": "+919988221100"}, original, "20260101T000000Z")
    ((cells, settlement, run),) = read_settled(tmp_path / "success.csv", ["member_id", "mobile"])
    assert cells == {"member_id": "007", "mobile": "+919988221100"}
    assert settlement == original and run == "20260101T000000Z"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("members.csv", "members"),
        ("Store Sign-ups (Nov).xlsx", "Store_Sign-ups_Nov"),
        ("...csv", "job"),
    ],
)
def test_default_job_from_a_plain_input(tmp_path, name, expected):
    assert default_job(tmp_path / name) == expected


def test_default_job_of_a_report_file_is_its_runs_job(tmp_path):
    run_dir = tmp_path / "nightly" / "20261126T000000Z"
    run_dir.mkdir(parents=True)
    (run_dir / "run.json").write_text("{}")
    assert default_job(run_dir / "errors.csv") == "nightly"
    assert default_job(run_dir / "notes.csv") == "notes"


def test_new_run_dir_never_reuses_a_folder(tmp_path):
    now = datetime(2026, 11, 26, 3, 4, 5, tzinfo=UTC)
    first = new_run_dir(tmp_path, "job", now=now)
    second = new_run_dir(tmp_path, "job", now=now)
    assert first.name == "20261126T030405Z" and second.name == "20261126T030405Z-2"
    assert first.is_dir() and second.is_dir()


def test_summary_roundtrip_and_table(tmp_path):
    summary = Summary(
        input="members.csv",
        fingerprint=file_fingerprint(__file__),
        job="j",
        run="r",
        mapping="m.yaml",
        total_rows=3,
        requests=4,
        rpm_limit=100,
        achieved_rpm=97.5,
    )
    summary.outcomes["created"] = 2
    summary.outcomes["failed"] = 1
    summary.codes = {"created": {"created": 2}, "failed": {"not_attempted": 1}}
    data = json.loads(write_summary(tmp_path, summary).read_text())
    assert data["outcomes"]["created"] == 2 and data["fingerprint"].startswith("sha256:")
    assert data["codes"] == {"created": {"created": 2}, "failed": {"not_attempted": 1}}
    table = format_summary(summary)
    assert "created" in table and "98 rpm (limit 100)" in table
    # each outcome's line shows its codes, which add up to it (a lone "created" needs no detail)
    assert "failed               1  (not_attempted 1)" in table
    assert "created              2\n" in table
