"""Two jobs loading the same customers into one org, with faults: one job claims each customer.

A gateway error or a lost answer, then an 8006 (or a lookup that finds the customer), reads as
"our lost request created it"; with a second job posting the same rows it may have been the
other job's request. Both jobs share the ledger of one --out; the customers they claim as created
must be exactly the customers on the server.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from runs_helpers import cli, member_rows, read_report, write_csv

from importer.emulator import EmulatorProcess

ROWS = 300


def _run(source: Path, mapping: Path, url: str, out: Path, job: str):  # noqa: ANN202
    args = ["run", str(source), "--mapping", str(mapping), "--base-url", url, "--rpm", "0"]
    return cli(*args, "--out", str(out), "--job", job, "--concurrency", "16", "--timeout", "2")


def _failed_rows(out: Path, job: str) -> int:
    with sqlite3.connect(out / job / "journal.sqlite") as db:
        return db.execute(
            "SELECT count(*) FROM entries WHERE state != 'settled' OR outcome = 'failed'"
        ).fetchone()[0]


def test_two_jobs_on_one_file_claim_each_customer_once(
    start_emulator: Callable[..., EmulatorProcess], mapping: Path, tmp_path: Path
) -> None:
    emu = start_emulator("--fail-rate", "0.3", "--ambiguous-rate", "0.1", "--seed", "11")
    out = tmp_path / "out"
    source = write_csv(tmp_path / "signups.csv", member_rows(ROWS))

    jobs = {job: _run(source, mapping, emu.url, out, job) for job in ("a", "b")}
    for job, proc in jobs.items():
        _, err = proc.communicate(timeout=240)
        assert proc.returncode in (0, 1), (job, err)
    for job in jobs:  # a row may run out of retries under 30% faults: its next run settles it
        for _ in range(3):
            if not _failed_rows(out, job):
                break
            proc = _run(source, mapping, emu.url, out, job)
            proc.communicate(timeout=240)
        assert _failed_rows(out, job) == 0

    # the newest run folder of a job is the job's whole truth
    newest = {job: max((out / job).glob("2*")) for job in jobs}
    claimed: dict[str, str] = {}  # customer id -> the job that claims it
    for job, folder in newest.items():
        for row in read_report(folder / "success.csv"):
            # reconciled: a rerun found a customer whose request a failed row had lost
            assert row["_outcome"] in ("created", "reconciled")
            assert row["_created_id"] not in claimed, (row, claimed.get(row["_created_id"]))
            claimed[row["_created_id"]] = job
    on_server = {str(c["id"]) for c in emu.customers()}
    assert len(on_server) == ROWS
    assert set(claimed) == on_server

    # the other job's rows for those customers are duplicates naming the same customer
    for job, folder in newest.items():
        for row in read_report(folder / "duplicates.csv"):
            assert claimed[row["_created_id"]] != job, row
    summaries = [json.loads((folder / "summary.json").read_text()) for folder in newest.values()]
    assert sum(s["outcomes"]["created"] + s["outcomes"]["reconciled"] for s in summaries) == ROWS
