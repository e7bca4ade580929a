"""``importer purge``: old runs go, a finished job's journal goes, an unfinished one stays."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runs_helpers import cli, member_rows, write_csv

from importer.emulator import EmulatorProcess
from importer.record._journal import Journal
from importer.record._lock import job_lock
from importer.run._purge import purge

DAY = 86400.0


def _age(folder: Path, days: float) -> None:
    """Make a run folder look ``days`` old, as its name and its files say."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - days * DAY))
    older = folder.with_name(stamp)
    folder.rename(older)
    when = time.time() - days * DAY
    for path in [older, *older.rglob("*")]:
        os.utime(path, (when, when))


def _make_old(out: Path, job: str, days: float) -> None:
    for folder in (out / job).iterdir():
        if folder.is_dir():
            _age(folder, days)
    journal = out / job / "journal.sqlite"
    when = time.time() - days * DAY
    os.utime(journal, (when, when))


def test_purge_removes_old_runs_and_finished_journals_only(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    out = tmp_path / "out"
    done = write_csv(tmp_path / "done.csv", member_rows(3))
    run(emulator.url, done, out=out)
    _make_old(out, "done", 40)

    # an unfinished job: its rows failed (the server was gone), so they must go out again
    unfinished = write_csv(tmp_path / "unfinished.csv", member_rows(3, base=100))
    run("http://127.0.0.1:9", unfinished, out=out)
    _make_old(out, "unfinished", 40)

    recent = write_csv(tmp_path / "recent.csv", member_rows(3, base=200))
    run(emulator.url, recent, out=out)

    result = purge(out, 30 * DAY)
    removed = "\n".join(result.removed)
    assert not (out / "done").exists()  # its run and its journal: the job folder went too
    assert "done/journal.sqlite (job done finished)" in removed
    assert [p.name for p in (out / "unfinished").iterdir() if p.is_dir()] == []
    assert (out / "unfinished" / "journal.sqlite").exists()
    (kept,) = result.kept
    assert "job unfinished is unfinished (1 failed, its last run was aborted)" in kept
    assert len([p for p in (out / "recent").iterdir() if p.is_dir()]) == 1
    assert (out / "ledger.sqlite").exists()
    with Journal(out / "unfinished" / "journal.sqlite") as journal:
        assert journal.counts() == {"failed": 1}  # the two rows never attempted are not in it


def test_purge_leaves_a_running_job_alone(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    out = tmp_path / "out"
    run(emulator.url, write_csv(tmp_path / "busy.csv", member_rows(2)), out=out)
    _make_old(out, "busy", 40)
    with job_lock(out / "busy"):
        result = purge(out, 30 * DAY)
    assert result.removed == [] and "job busy is running" in result.kept[0]


def test_the_purge_command_says_what_it_removed(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    out = tmp_path / "out"
    run(emulator.url, write_csv(tmp_path / "old.csv", member_rows(2)), out=out)
    _make_old(out, "old", 40)
    proc = cli("purge", "--older-than", "30d", "--out", str(out))
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    lines = stdout.splitlines()
    assert lines[0].startswith(f"removed {out / 'old'}/") and "(run of " in lines[0]
    assert lines[1] == f"removed {out / 'old' / 'journal.sqlite'} (job old finished)"
    proc = cli("purge", "--older-than", "30d", "--out", str(out))
    stdout, _ = proc.communicate(timeout=60)
    assert stdout.strip() == f"nothing older than 30d in {out}"
