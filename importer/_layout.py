"""The run folder's layout: where a run writes what, and how its files read back.

One owner for what the reader, the report writer, the report page, the runner and the CLI all
agree on: ``<out>/<job>/<run>/`` with its file names, the report columns, how a cell is escaped
against spreadsheet formulas, how a job is named after its input, and ``run.json``. Every path
of a job (its folder, journal, lock, run folders) and of the ledger is built here and nowhere else::

    <out>/ledger.sqlite                 the ledger (or --ledger)
    <out>/<job>/journal.sqlite, .lock   the job's journal and its lock
    <out>/<job>/<run>/                  one run's reports, run.json, run.log
    <out>/_batches/<run>/               the combined summary of several inputs
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from importer._models import Outcome
from importer._owner_only import new_private_dir, private_dir, write_private

JOURNAL_FILE = "journal.sqlite"
LEDGER_FILE = "ledger.sqlite"
#: the job's lock file (held by ``record.job_lock``), beside its journal
LOCK_FILE = ".lock"
SUMMARY_FILE = "summary.json"
RUN_SETTINGS_FILE = "run.json"
PAGE_FILE = "report.html"
LOG_FILE = "run.log"
WARNINGS_FILE = "warnings.csv"
#: the rejected and failed rows again, as a workbook to fix in Excel and feed back in
ERRORS_XLSX = "errors.xlsx"
#: where several inputs of one command leave their combined summary: <out>/_batches/<run>/
BATCHES_DIR = "_batches"
#: where the org's field configuration is kept (``importer org pull``, a run before its first
#: add): <out>/_org/<host>.json
ORG_DIR = "_org"

#: Columns the tool appends to a report; readers drop every column that starts with "_".
REPORT_COLUMNS: tuple[str, ...] = (
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
)

#: The report column naming the run that settled the row (an earlier one, for rows carried over).
RUN_COLUMN = "_run"

#: The report file each outcome is written to (created rows with warnings also go to warnings.csv).
REPORT_FILES: dict[Outcome, str] = {
    Outcome.CREATED: "success.csv",
    Outcome.RECONCILED: "success.csv",  # the customer is there, with its id
    Outcome.DUPLICATE: "duplicates.csv",
    Outcome.REJECTED: "errors.csv",
    Outcome.FAILED: "errors.csv",
    Outcome.SKIPPED: "skipped.csv",
}

#: Report files that hold rows; all of them are created, even when empty, so automation finds them.
ROW_FILES: tuple[str, ...] = tuple(dict.fromkeys([*REPORT_FILES.values(), WARNINGS_FILE]))

#: Files of a run folder that read back as an input (``importer run errors.xlsx`` keeps the job).
INPUT_FILES: tuple[str, ...] = (*ROW_FILES, ERRORS_XLSX)

#: A cell starting with one of these is run as a formula by Excel (or is our own escape mark).
_FORMULA_START = frozenset("=+-@\t\r'")


def encode_cell(value: str) -> str:
    """Neutralise a cell that Excel would run as a formula by prefixing one ``'``."""
    if value and value[0] in _FORMULA_START:
        return "'" + value
    return value


def decode_cell(value: str) -> str:
    """Undo :func:`encode_cell`, so a rerun reads back exactly the original value."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


def now_iso(timespec: str = "seconds") -> str:
    """The current UTC time as the run's files write it (ISO 8601)."""
    return datetime.now(UTC).isoformat(timespec=timespec)


def is_run_dir(folder: Path) -> bool:
    """True for a run folder of ours: it holds ``run.json`` or ``summary.json``."""
    folder = Path(folder)
    return folder.is_dir() and (
        (folder / RUN_SETTINGS_FILE).exists() or (folder / SUMMARY_FILE).exists()
    )


def is_report_file(path: Path) -> bool:
    """True for a row report that sits in a run folder of ours (so it keeps its run's job)."""
    path = Path(path)
    return path.name in INPUT_FILES and is_run_dir(path.parent)


def default_job(input_path: Path) -> str:
    """Name a job after its input; a report file inside ``<out>/<job>/<run>/`` keeps its job."""
    path = Path(input_path)
    if is_report_file(path):
        return path.parent.parent.name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem).strip("._") or "job"


def job_dir(out: Path, job: str) -> Path:
    """``<out>/<job>/``: the job's journal, lock and run folders."""
    return Path(out) / job


def run_dir(out: Path, job: str, run: str) -> Path:
    """``<out>/<job>/<run>/``: one run's reports."""
    return job_dir(out, job) / run


def journal_file(job_folder: Path) -> Path:
    """``<out>/<job>/journal.sqlite``: the job's journal, given its folder."""
    return Path(job_folder) / JOURNAL_FILE


def lock_file(job_folder: Path) -> Path:
    """``<out>/<job>/.lock``: the job's lock, given its folder."""
    return Path(job_folder) / LOCK_FILE


def ledger_file(out: Path, ledger: Path | None = None) -> Path:
    """The ledger: ``--ledger`` when given, else ``<out>/ledger.sqlite``."""
    return Path(ledger) if ledger is not None else Path(out) / LEDGER_FILE


def org_file(out: Path, host: str) -> Path:
    """``<out>/_org/<host>.json``: the org's field configuration, one file per API host."""
    return Path(out) / ORG_DIR / (host.replace(":", "_") + ".json")


def out_and_job(folder: Path) -> tuple[Path, str]:
    """The ``<out>`` and job a run folder ``<out>/<job>/<run>/`` belongs to."""
    folder = Path(folder)
    return folder.parent.parent, folder.parent.name


def errors_input(folder: Path) -> Path | None:
    """What ``rerun`` sends from a run folder: ``errors.csv``, or ``errors.xlsx`` when it was
    saved after it (fixed in Excel); None when there is neither."""
    folder = Path(folder)
    errors, book = folder / REPORT_FILES[Outcome.REJECTED], folder / ERRORS_XLSX
    if book.exists() and (
        not errors.exists() or book.stat().st_mtime_ns > errors.stat().st_mtime_ns
    ):
        return book
    return errors if errors.exists() else None


#: a run folder's name: the UTC second its run began
_RUN_STAMP = "%Y%m%dT%H%M%SZ"


def run_started(folder: Path) -> float:
    """When the run of ``folder`` began (epoch seconds): its name, else its modification time."""
    stamp = Path(folder).name.split("-", 1)[0]
    try:
        return datetime.strptime(stamp, _RUN_STAMP).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return Path(folder).stat().st_mtime


def new_run_dir(out: Path, job: str, *, now: datetime | None = None) -> Path:
    """Create and return ``<out>/<job>/<UTC timestamp>/`` (suffixed when that second is taken)."""
    stamp = (now or datetime.now(UTC)).strftime(_RUN_STAMP)
    base = job_dir(out, job)
    private_dir(base)
    for n in range(1, 1000):
        candidate = base / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            new_private_dir(candidate)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{base}: too many runs in the same second")


def write_run_settings(folder: Path, settings: dict[str, Any]) -> Path:
    """Write ``run.json``: what ``importer rerun`` needs to send again as this run did."""
    path = Path(folder) / RUN_SETTINGS_FILE
    return write_private(path, json.dumps(settings, indent=2) + "\n")


def read_run_settings(folder: Path) -> dict[str, Any]:
    """Read ``run.json``; ``ValueError`` naming the file when it is missing or unreadable."""
    path = Path(folder) / RUN_SETTINGS_FILE
    if not path.exists():
        raise ValueError(f"{folder}: no {RUN_SETTINGS_FILE} here, so not a run folder")
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a settings object")
    return data
