"""Crash and interrupt the real command, then resume: exactly one customer per row."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

from runs_helpers import (
    cli,
    mobile,
    read_report,
    rows_once,
    summary_of,
    write_csv,
)

from importer.emulator import EmulatorProcess


def make_input(path: Path, valid: int) -> tuple[Path, int]:
    """``valid`` unique rows, plus invalid rows and in-file duplicates; returns the row count."""
    rows = [[f"M{i:07d}", f"Name{i}", mobile(i, 5000)] for i in range(valid)]
    rows += [[f"B{i:07d}", "Bad", "12"] for i in range(4)]
    rows += [rows[i] for i in range(4)]
    random.Random(3).shuffle(rows)
    return write_csv(path, rows), len(rows)


def start_run(  # noqa: ANN201
    url: str, input: Path, out: Path, mapping: Path, *extra: str, rpm: str = "0"
):
    return cli(
        "run",
        str(input),
        "--mapping",
        str(mapping),
        "--base-url",
        url,
        "--rpm",
        rpm,
        "--concurrency",
        "6",
        "--timeout",
        "5",
        "--out",
        str(out),
        "--job",
        "job",
        *extra,
    )


def wait_started(out: Path, runs_before: int, timeout: float = 30.0) -> None:
    """Until the newest run has begun sending (its log names the start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = sorted((out / "job").glob("*/run.log"))
        if len(logs) > runs_before and "run_started" in logs[-1].read_text("utf-8"):
            return
        time.sleep(0.02)
    raise AssertionError("the run did not start")


def run_dirs(out: Path) -> list[Path]:
    return sorted(p.parent for p in (out / "job").glob("*/run.json"))


def wait_stored(emu: EmulatorProcess, count: int, timeout: float = 60.0) -> None:
    """Until the emulator holds at least ``count`` customers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(emu.customers()) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the emulator never held {count} customers")


def wait_reported(report: Path, timeout: float = 60.0) -> None:
    """Until a report file holds a row."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if report.exists() and read_report(report):
            return
        time.sleep(0.02)
    raise AssertionError(f"{report} never held a row")


def test_kill_9_at_random_moments_then_resume(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path, mapping: Path
) -> None:
    emu = start_emulator("--latency-ms", "30-120", "--seed", "5")
    valid = 90
    input, total = make_input(tmp_path / "in.csv", valid)
    out = tmp_path / "out"
    rng = random.Random(11)
    # Paced, so every kill lands mid-run by construction however loaded the machine: at 600 adds
    # a minute a run needs 9 s for its 90 rows, and each kill waits for the server to hold a
    # count well short of that (then a random moment more, so kills also hit requests in flight).
    targets = sorted(rng.sample(range(8, valid - 20), 4))
    for kill, target in enumerate(targets):
        process = start_run(emu.url, input, out, mapping, rpm="600")
        wait_started(out, kill)
        wait_stored(emu, target)
        if kill == 0:  # the first kill lands once a settled row reached the report, by design
            wait_reported(run_dirs(out)[-1] / "success.csv")
        time.sleep(rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.communicate()
    stored_before = len(emu.customers())
    assert 0 < stored_before < valid  # the kills did land mid-run
    killed = {d.name: read_report(d / "success.csv") for d in run_dirs(out)}
    assert killed[min(killed)]  # streamed: a killed run leaves the rows it settled
    final = start_run(emu.url, input, out, mapping)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 1, err  # the invalid rows are rejected
    last = run_dirs(out)[-1]
    assert rows_once(last) == list(range(2, total + 2))  # every row exactly once
    summary = summary_of(last)
    # the last folder is the job's whole truth: every customer, whichever run created it
    # a row a kill left in flight is found by lookup, dated after the request the journal kept
    assert summary["outcomes"]["created"] == valid and summary["outcomes"]["reconciled"] == 0
    assert summary["outcomes"]["skipped"] == 0
    assert summary["outcomes"]["duplicate"] == 4  # the in-file duplicates only
    assert summary["outcomes"]["rejected"] == 4
    customers = emu.customers()
    assert len(customers) == valid  # exactly one customer per valid unique row
    success = read_report(last / "success.csv")
    assert sorted(int(r["_created_id"]) for r in success) == sorted(c["id"] for c in customers)
    assert {r["_run"] for r in success} - {last.name} <= set(killed)
    assert any(r["_run"] != last.name for r in success)  # rows the killed runs settled
    by_row = {r["_row"]: r for r in success}
    for rows in killed.values():  # what a killed run reported is what the last one says
        for r in rows:
            now = by_row[r["_row"]]
            assert (now["_run"], now["_created_id"]) == (r["_run"], r["_created_id"])
    for name in ("success.csv", "duplicates.csv", "errors.csv"):  # in the file's row order
        numbers = [int(r["_row"]) for r in read_report(last / name)]
        assert numbers == sorted(numbers)
    assert read_report(last / "skipped.csv") == []  # only --skip-known fills it
    for run_dir in run_dirs(out):  # no run ever took one of its own customers for a duplicate
        dups = read_report(run_dir / "duplicates.csv")
        assert all(r["_code"] == "in_file_duplicate" for r in dups)


def test_ctrl_c_finishes_requests_in_flight_and_writes_reports(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path, mapping: Path
) -> None:
    emu = start_emulator("--latency-ms", "150-300", "--seed", "2")
    valid = 60
    input, total = make_input(tmp_path / "in.csv", valid)
    out = tmp_path / "out"
    process = start_run(emu.url, input, out, mapping)
    wait_started(out, 0)
    time.sleep(0.8)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    first = run_dirs(out)[-1]
    summary = summary_of(first)
    assert summary["aborted"] == "interrupted"
    assert rows_once(first) == list(range(2, total + 2))
    created = summary["outcomes"]["created"]
    assert 0 < created < valid
    # every request in flight was waited for: what the server stored is what the report says
    assert len(emu.customers()) == created
    errors = read_report(first / "errors.csv")
    interrupted = [r for r in errors if r["_message"] == "not attempted: interrupted"]
    assert {r["_code"] for r in interrupted} == {"not_attempted"}
    assert len(interrupted) == valid - created
    # the same command again finishes the job
    again = start_run(emu.url, input, out, mapping)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 1, err  # the invalid rows only
    second = summary_of(run_dirs(out)[-1])
    assert second["outcomes"]["skipped"] == 0 and second["outcomes"]["created"] == valid
    assert second["requests"] == valid - created  # what the first run created is not re-sent
    runs = [r["_run"] for r in read_report(run_dirs(out)[-1] / "success.csv")]
    assert runs.count(first.name) == created and runs.count(second["run"]) == valid - created
    assert len(emu.customers()) == valid


def test_a_second_ctrl_c_cancels_requests_in_flight_and_resume_looks_them_up(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path, mapping: Path
) -> None:
    emu = start_emulator("--latency-ms", "400-800", "--seed", "9")
    valid = 30
    input, total = make_input(tmp_path / "in.csv", valid)
    out = tmp_path / "out"
    process = start_run(emu.url, input, out, mapping)
    wait_started(out, 0)
    time.sleep(1.6)  # past the first answer: six requests in flight
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    first = run_dirs(out)[-1]
    assert rows_once(first) == list(range(2, total + 2))
    errors = read_report(first / "errors.csv")
    assert any(r["_message"].startswith("interrupted while in flight") for r in errors)
    again = start_run(emu.url, input, out, mapping)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 1, err  # the invalid rows only
    assert len(emu.customers()) == valid
    for run_dir in run_dirs(out):
        dups = read_report(run_dir / "duplicates.csv")
        assert all(r["_code"] == "in_file_duplicate" for r in dups)
