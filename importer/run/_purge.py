"""Delete old run folders (reports hold customer data): ``importer purge --older-than 30d``.

A run folder is old when its run began before the cutoff (the folder's UTC timestamp, else its
modification time). A job's journal goes too once the job is finished and its last run is old.
Finished: no row pending, in flight or failed, and the last run finished without being aborted.
The journal of an unfinished job is never deleted, since the next run needs it to send nothing
twice; a job that is running is left alone. The ledger stays: it holds hashes only, and
forgetting it would only cost requests.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from importer._exceptions import JobLockedError
from importer._layout import BATCHES_DIR, is_run_dir, journal_file, lock_file, run_started
from importer.record import IN_FLIGHT, PENDING, Journal, job_lock


@dataclass
class Purged:
    """What a purge removed and what it kept on purpose, one line each."""

    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def purge(out: Path, older_than: float, *, now: float | None = None) -> Purged:
    """Remove the run folders under ``out`` older than ``older_than`` seconds (see above)."""
    out = Path(out)
    cutoff = (time.time() if now is None else now) - older_than
    result = Purged()
    if not out.is_dir():
        return result
    for job_dir in sorted(p for p in out.iterdir() if p.is_dir()):
        if job_dir.name == BATCHES_DIR:
            _old_runs(job_dir, cutoff, result)
        elif journal_file(job_dir).exists() or any(map(is_run_dir, job_dir.iterdir())):
            _purge_job(job_dir, cutoff, result)
    return result


def _old_runs(job_dir: Path, cutoff: float, result: Purged) -> list[Path]:
    """Remove the old run folders of ``job_dir``; return the run folders left."""
    left = []
    for folder in sorted(p for p in job_dir.iterdir() if is_run_dir(p)):
        started = run_started(folder)
        if started < cutoff:
            shutil.rmtree(folder)
            result.removed.append(f"{folder} (run of {_when(started)})")
        else:
            left.append(folder)
    return left


def _purge_job(job_dir: Path, cutoff: float, result: Purged) -> None:
    try:
        with job_lock(job_dir):
            left = _old_runs(job_dir, cutoff, result)
            journal = journal_file(job_dir)
            if journal.exists():
                _purge_journal(job_dir, journal, cutoff, bool(left), result)
            if not left and not journal.exists():
                lock_file(job_dir).unlink(missing_ok=True)  # nothing of the job is left
    except JobLockedError:
        result.kept.append(f"{job_dir}: job {job_dir.name} is running, left alone")
        return
    if not any(job_dir.iterdir()):
        job_dir.rmdir()


def _purge_journal(
    job_dir: Path, journal: Path, cutoff: float, recent_runs: bool, result: Purged
) -> None:
    if recent_runs or journal.stat().st_mtime >= cutoff:
        return  # the job ran recently: its journal is not old
    with Journal(journal) as opened:
        counts = opened.counts()
        last = opened.last_run()
    open_rows = {k: counts.get(k, 0) for k in (PENDING, IN_FLIGHT, "failed")}
    why = [f"{n} {k.replace('_', ' ')}" for k, n in open_rows.items() if n]
    if last is not None and last[1] is None:
        why.append("its last run never finished")
    elif last is not None and last[2] == 3:
        why.append("its last run was aborted")
    if why:
        result.kept.append(
            f"{journal}: job {job_dir.name} is unfinished ({', '.join(why)}): run it again "
            "before its journal can go"
        )
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{journal}{suffix}").unlink(missing_ok=True)
    result.removed.append(f"{journal} (job {job_dir.name} finished)")
