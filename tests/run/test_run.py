"""Real runs against the emulator over a real socket: outcomes, reports, auth, 429s, faults."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import (
    OAUTH,
    member_rows,
    mobile,
    read_report,
    report_rows,
    rows_once,
    run_dir_of,
    write_csv,
)

from importer._models import Summary
from importer.emulator import EmulatorProcess
from importer.send._auth import basic_header

AUTH = {"Authorization": basic_header("demo", "demo123")}


def precreate(emu: EmulatorProcess, source: str, mobile_value: str) -> int:
    identifiers = [{"type": "mobile", "value": mobile_value}]
    body = {"profiles": [{"source": source, "identifiers": identifiers}]}
    answer = emu.request("POST", "/v2/customers", body, AUTH)
    assert answer.status == 200, answer.body
    return answer.body["createdId"]


def _contents(path: Path) -> bytes:
    """A file's bytes; a workbook's unzipped, so that its cells can be searched."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as book:
        return b"".join(book.read(name) for name in book.namelist())


@pytest.fixture
def fresh(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    return emulator


ORG_PREFIX = "registration:\n  external_id_prefix: M\n"


@pytest.mark.parametrize("error_status", ["400", "200"])
def test_every_outcome_lands_in_its_report_once(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Summary],
    tmp_path: Path,
    error_status: str,
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG_PREFIX, encoding="utf-8")
    emu = start_emulator("--org", str(org), "--error-status", error_status)
    existing = precreate(emu, "INSTORE", mobile(90))
    elsewhere = precreate(emu, "WEBSITE", mobile(91))
    rows = [
        ["M0000001", "Ann", mobile(1)],  # created (with 8107: no default status label)
        ["M0000002", "Ben", mobile(90)],  # 8006: exists in this source
        ["M0000003", "Cat", mobile(91)],  # 8050: exists in another source, joined
        ["X0000004", "Dan", mobile(4)],  # 8020: the API refuses the external ID prefix
        ["M0000005", "Eve", "12"],  # rejected locally: not a phone number
        ["M0000001", "Ann", mobile(1)],  # duplicate within the input
    ]
    summary = run(emu.url, write_csv(tmp_path / "in.csv", rows))
    assert summary.outcomes == {
        "created": 2,
        "duplicate": 2,
        "rejected": 2,
        "failed": 0,
        "skipped": 0,
        "reconciled": 0,
    }
    assert summary.exit_code == 1
    assert summary.total_rows == 6
    assert summary.requests == 4  # local rejections and in-file duplicates cost no quota
    run_dir = run_dir_of(tmp_path / "out", summary)
    reports = report_rows(run_dir)
    assert rows_once(run_dir) == [2, 3, 4, 5, 6, 7]
    success = {r["_row"]: r for r in reports["success.csv"]}
    assert success["2"]["_created_id"] and success["2"]["_request_id"]
    assert success["4"]["_created_id"] == str(elsewhere)
    assert "8050" in success["4"]["_warnings"]
    warned = {r["_row"] for r in read_report(run_dir / "warnings.csv")}
    assert warned == {"2", "4"}  # warnings.csv is a subset of success.csv
    dups = {r["_row"]: r for r in reports["duplicates.csv"]}
    assert dups["3"]["_code"] == "8006" and dups["3"]["_created_id"] == str(existing)
    assert dups["7"]["_code"] == "in_file_duplicate"
    errors = {r["_row"]: r for r in reports["errors.csv"]}
    assert errors["5"]["_code"] == "8020" and errors["5"]["_attempts"] == "1"
    assert errors["6"]["_attempts"] == "0"
    # original columns first, unchanged, then the report columns
    assert list(reports["errors.csv"][0])[:3] == ["member_id", "first_name", "mobile"]
    assert summary.codes["duplicate"] == {"8006": 1, "in_file_duplicate": 1}
    assert summary.codes["rejected"] == {"8020": 1, "invalid_mobile": 1}
    assert summary.codes["created"] == {"created": 2}
    for outcome, count in summary.outcomes.items():  # every row has a code: the counts add up
        assert sum(summary.codes.get(outcome, {}).values()) == count
    assert all(r["_code"] for rows in reports.values() for r in rows)
    # so do the report page's rows per code, outcome by outcome
    page = (run_dir / "report.html").read_text("utf-8")
    by_kind: dict[str, int] = {}
    for kind, n in re.findall(r'<tr data-kind="([^"]+)" data-rows="(\d+)">', page):
        by_kind[kind] = by_kind.get(kind, 0) + int(n)
    assert {k: v for k, v in by_kind.items() if k != "warning"} == {
        k: v for k, v in summary.outcomes.items() if v
    }
    assert len(emu.customers()) == 3  # two pre-created, one new (8050 joined the existing one)


def test_a_second_run_reports_what_is_settled_and_sends_fixed_rows(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    rows = member_rows(3) + [["M0000009", "Zed", "12"]]
    first = run(fresh.url, write_csv(tmp_path / "in.csv", rows))
    assert first.outcomes["created"] == 3 and first.outcomes["rejected"] == 1
    rows[3][2] = mobile(9)  # the user fixes the bad mobile by hand
    second = run(fresh.url, write_csv(tmp_path / "in.csv", rows))
    assert second.outcomes["created"] == 4 and second.outcomes["skipped"] == 0
    assert second.requests == 1
    folder = run_dir_of(tmp_path / "out", second)
    success = read_report(folder / "success.csv")
    # the newest folder is the job's whole truth: the rows the first run created are there,
    # under their real outcome and id, with the run that created them
    assert [(r["_row"], r["_run"]) for r in success] == [
        ("2", first.run),
        ("3", first.run),
        ("4", first.run),
        ("5", second.run),
    ]
    assert all(r["_created_id"] for r in success)
    assert read_report(folder / "skipped.csv") == []
    assert len(fresh.customers()) == 4


def test_the_errors_report_reruns_exactly_the_failed_rows(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    rows = member_rows(2) + [["M0000009", "Zed", "12"]]
    first = run(fresh.url, write_csv(tmp_path / "in.csv", rows))
    errors = run_dir_of(tmp_path / "out", first) / "errors.csv"
    again = run(fresh.url, errors)
    assert again.job == first.job  # a report inside the job keeps the job and its journal
    assert again.outcomes["rejected"] == 1 and again.requests == 0
    folder = run_dir_of(tmp_path / "out", again)
    errors_again = read_report(folder / "errors.csv")
    assert [(r["_row"], r["_run"]) for r in errors_again] == [("4", again.run)]  # its number
    # the rerun's folder carries the rows its source folder settled: the job's whole truth
    assert again.carried == 2 and again.total_rows == 3 and again.outcomes["created"] == 2
    assert rows_once(folder) == [2, 3, 4]
    assert {r["_run"] for r in read_report(folder / "success.csv")} == {first.run}


def test_wrong_password_aborts_after_one_request(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    rows = member_rows(40)
    env = {"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "not-the-password"}
    summary = run(fresh.url, write_csv(tmp_path / "in.csv", rows), env=env, concurrency=16)
    assert summary.exit_code == 3
    assert "401" in summary.aborted
    assert summary.outcomes["failed"] == 40
    assert fresh.stats()["adds_attempted"] == 1
    run_dir = run_dir_of(tmp_path / "out", summary)
    assert rows_once(run_dir) == list(range(2, 42))
    errors = read_report(run_dir / "errors.csv")
    assert sum(r["_message"].startswith("not attempted") for r in errors) == 39
    # every row has a code, so the failed rows' codes add up to the failed count
    assert [r["_code"] for r in errors] == ["401"] + ["not_attempted"] * 39
    assert summary.codes["failed"] == {"401": 1, "not_attempted": 39}
    for path in run_dir.iterdir():
        assert b"not-the-password" not in _contents(path)


def test_no_access_403_aborts(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("auth:\n  users:\n    - {username: demo, password: demo123, access: false}\n")
    emu = start_emulator("--org", str(org))
    summary = run(emu.url, write_csv(tmp_path / "in.csv", member_rows(5)), concurrency=4)
    assert summary.exit_code == 3 and "403" in summary.aborted
    assert emu.stats()["adds_attempted"] == 1


def test_oauth_tokens_are_fetched_and_renewed(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("auth:\n  token_ttl_seconds: 1\n", encoding="utf-8")
    emu = start_emulator("--org", str(org))
    summary = run(emu.url, write_csv(tmp_path / "in.csv", member_rows(6)), env=OAUTH, rpm=600)
    assert summary.outcomes["created"] == 6
    assert emu.stats()["tokens_issued"] >= 2


def test_wrong_oauth_secret_aborts(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    env = {"CAPILLARY_OAUTH_KEY": "demo-key", "CAPILLARY_OAUTH_SECRET": "nope"}
    summary = run(fresh.url, write_csv(tmp_path / "in.csv", member_rows(5)), env=env)
    assert summary.exit_code == 3 and summary.outcomes["failed"] == 5
    assert fresh.stats()["adds_attempted"] == 0


def test_429_pauses_everyone_and_does_not_storm(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    # the server allows 4 adds per 2-second window (120/min); we claim 600/min
    emu = start_emulator("--rpm", "4", "--window-seconds", "2")
    summary = run(emu.url, write_csv(tmp_path / "in.csv", member_rows(10)), rpm=600)
    assert summary.outcomes["created"] == 10
    assert 1 <= summary.rate_limited <= 6  # each 429 cuts the rate: no storm
    assert summary.rate_limited == emu.stats()["rate_limited_429"]
    assert len(emu.customers()) == 10


def test_transient_faults_and_lost_answers_settle_every_row_once(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    emu = start_emulator("--fail-rate", "0.2", "--ambiguous-rate", "0.2", "--seed", "7")
    rows = member_rows(40)
    summary = run(emu.url, write_csv(tmp_path / "in.csv", rows), timeout=2.0, max_failures=10)
    assert summary.outcomes["created"] == 40
    stats = emu.stats()
    assert stats["faults_injected_total"] > 0 and sum(stats["ambiguous_answers"].values()) > 0
    assert len(emu.customers()) == 40  # not one registered twice
    success = read_report(run_dir_of(tmp_path / "out", summary) / "success.csv")
    # the lookups date each customer after its row's first request: proof this run made it
    reconciled = [
        r for r in success if r["_message"].startswith("created by this job: a request lost")
    ]
    # a row may lose more than one answer, so there are at most as many such rows
    assert 1 <= len(reconciled) <= sum(stats["ambiguous_answers"].values())
    assert all(r["_created_id"] for r in success)


def test_retries_are_bounded(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    emu = start_emulator("--fail-rate", "1.0")
    rows = write_csv(tmp_path / "in.csv", member_rows(3))
    # the per-row bound on its own: a burst of gateway errors would pause the run instead
    summary = run(emu.url, rows, max_failures=3, outage_burst=1000)
    assert summary.outcomes["failed"] == 3 and summary.exit_code == 1
    errors = read_report(run_dir_of(tmp_path / "out", summary) / "errors.csv")
    assert {r["_attempts"] for r in errors} == {"3"}
    assert all(r["_message"].startswith("gave up after 3 attempts") for r in errors)
    assert emu.stats()["adds_attempted"] == 9


def test_unreachable_server_aborts(run: Callable[..., Summary], tmp_path: Path) -> None:
    summary = run(
        "http://127.0.0.1:9", write_csv(tmp_path / "in.csv", member_rows(3)), max_failures=20
    )
    assert summary.exit_code == 3 and "unreachable" in summary.aborted
    assert summary.outcomes["failed"] == 3


def test_optional_headers_reach_the_api(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    headers = {"SKIP-DOWNSTREAM": "true", "USER-CONTEXT-ENTITY-ID": "till-7"}
    run(fresh.url, write_csv(tmp_path / "in.csv", member_rows(1)), headers=headers)
    (customer,) = fresh.customers()
    assert "till-7" in str(customer) and "SKIP-DOWNSTREAM" in str(customer)


def test_the_log_masks_mobiles_and_holds_no_secret(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("registration:\n  mobile_max_digits: 11\n", encoding="utf-8")
    emu = start_emulator("--org", str(org))
    summary = run(emu.url, write_csv(tmp_path / "in.csv", member_rows(2)))
    assert summary.codes == {"rejected": {"8014": 2}}  # the API quotes the mobile in its message
    run_dir = run_dir_of(tmp_path / "out", summary)
    log = (run_dir / "run.log").read_text("utf-8")
    assert "row_rejected" in log
    assert mobile(0) not in log and mobile(1) not in log
    assert "demo123" not in log
    assert mobile(0) in (run_dir / "errors.csv").read_text("utf-8-sig")  # the report keeps it


def test_rows_left_in_flight_are_looked_up_before_they_are_sent(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    from runs_helpers import COLUMNS

    from importer.record._journal import Journal, content_digest

    rows = member_rows(2)
    with Journal(tmp_path / "out" / "in" / "journal.sqlite") as journal:
        for n, cells in enumerate(rows, 2):  # row 3's never arrived
            journal.in_flight(
                content_digest(dict(zip(COLUMNS, cells, strict=True))), n, "old", "crashed", 1
            )
    existing = precreate(fresh, "INSTORE", rows[0][2])  # row 2's add went through, then a crash
    summary = run(fresh.url, write_csv(tmp_path / "in.csv", rows))
    # the lookup dates row 2's customer after the crashed run's request left: created by it
    assert summary.outcomes["created"] == 2 and summary.outcomes["reconciled"] == 0
    assert summary.outcomes["duplicate"] == 0
    success = {
        r["_row"]: r for r in read_report(run_dir_of(tmp_path / "out", summary) / "success.csv")
    }
    assert success["2"]["_created_id"] == str(existing)
    assert success["2"]["_message"].startswith("created by this job: a request lost its answer")
    assert success["2"]["_attempts"] == "0"
    assert fresh.stats()["adds_attempted"] == 2  # the precreate and row 3: row 2 not posted
    assert len(fresh.customers()) == 2


def test_the_mapping_is_compiled_once_per_run(
    emulator: EmulatorProcess,
    tmp_path: Path,
    run: Callable[..., Summary],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checking columns, preparing rows and reporting share one compiled mapping."""
    from importer.mapping import Builder

    compiled = []
    original = Builder.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        compiled.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Builder, "__init__", counting)
    rows = member_rows(5, base=731_000)
    input = write_csv(tmp_path / "in.csv", rows + rows[:1])  # one in-file duplicate
    summary = run(emulator.url, input)
    assert summary.outcomes["created"] == 5 and summary.outcomes["duplicate"] == 1
    assert len(compiled) == 1


def test_an_excel_file_after_a_csv_of_the_same_name_is_judged_by_its_own_rows(
    fresh: EmulatorProcess, run: Callable[..., Summary], tmp_path: Path
) -> None:
    import openpyxl

    first = run(fresh.url, write_csv(tmp_path / "legacy.csv", member_rows(2, base=300)))
    assert first.outcomes["created"] == 2
    book = openpyxl.Workbook()
    book.active.append(["member_id", "first_name", "mobile"])
    book.active.append(["M9000001", "Bad", "12"])  # row 2 again, another customer, invalid
    book.active.append(["M9000002", "New", mobile(900)])  # row 3: a new customer
    book.save(tmp_path / "legacy.xlsx")
    second = run(fresh.url, tmp_path / "legacy.xlsx")
    assert second.job == first.job == "legacy"  # the same job, the same journal
    assert (second.outcomes["rejected"], second.outcomes["created"]) == (1, 1)
    assert second.exit_code == 1 and second.requests == 1
    errors = read_report(run_dir_of(tmp_path / "out", second) / "errors.csv")
    assert [(r["_row"], r["_code"]) for r in errors] == [("2", "invalid_mobile")]
    assert len(fresh.customers()) == 3
