"""Per-row report CSVs and ``summary.json``: what a run leaves behind, readable straight back in."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from importer._models import (
    REPORT_COLUMNS,
    REPORT_FILES,
    WARNINGS_FILE,
    Outcome,
    Settlement,
    Summary,
)

#: A cell starting with one of these is run as a formula by Excel (or is our own escape mark).
_FORMULA_START = frozenset("=+-@\t\r'")

#: Report files that hold rows; all of them are created, even when empty, so automation finds them.
ROW_FILES: tuple[str, ...] = tuple(dict.fromkeys([*REPORT_FILES.values(), WARNINGS_FILE]))

SUMMARY_FILE = "summary.json"
RUN_SETTINGS_FILE = "run.json"


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


def default_job(input_path: Path) -> str:
    """Name a job after its input; a report file inside ``<out>/<job>/<run>/`` keeps its job."""
    path = Path(input_path)
    ours = (path.parent / RUN_SETTINGS_FILE).exists() or (path.parent / SUMMARY_FILE).exists()
    if path.name in ROW_FILES and ours:
        return path.parent.parent.name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem).strip("._") or "job"


def new_run_dir(out: Path, job: str, *, now: datetime | None = None) -> Path:
    """Create and return ``<out>/<job>/<UTC timestamp>/`` (suffixed when that second is taken)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    base = Path(out) / job
    base.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        candidate = base / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{base}: too many runs in the same second")


def file_fingerprint(path: Path) -> str:
    """Return ``sha256:<hex>`` of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def _compact(items: list[dict[str, Any]]) -> str:
    return (
        json.dumps(items, separators=(",", ":"), ensure_ascii=False, default=str) if items else ""
    )


def settlement_cells(settlement: Settlement) -> list[str]:
    """Return the ``_``-prefixed report columns for one settled row, in REPORT_COLUMNS order."""
    s = settlement
    return [
        str(s.row),
        s.outcome.value,
        "" if s.created_id is None else str(s.created_id),
        s.code or "",
        s.message or "",
        _compact(s.warnings),
        _compact(s.side_effects),
        str(s.attempts),
        s.request_id or "",
    ]


class ReportWriter:
    """Writes each settled row to the CSV of its outcome, original columns first.

    Files are UTF-8 with a BOM so that Excel shows accents right; every value is written as the
    exact text it was read as, so identifiers keep their leading zeros and digits.
    """

    def __init__(self, run_dir: Path, columns: list[str]) -> None:
        self.run_dir = Path(run_dir)
        self.columns = list(columns)
        self.counts: dict[str, int] = dict.fromkeys(ROW_FILES, 0)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        header = [encode_cell(c) for c in self.columns] + list(REPORT_COLUMNS)
        for name in ROW_FILES:
            fh = open(self.run_dir / name, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._files[name] = fh
            self._writers[name] = csv.writer(fh)
            self._writers[name].writerow(header)

    def write(self, cells: dict[str, str], settlement: Settlement) -> None:
        """Append one row to its outcome's file, and to warnings.csv when it carried warnings."""
        row = [encode_cell(cells.get(c, "")) for c in self.columns]
        row += [encode_cell(v) for v in settlement_cells(settlement)]
        targets = [REPORT_FILES[settlement.outcome]]
        if settlement.warnings and settlement.outcome is Outcome.CREATED:
            targets.append(WARNINGS_FILE)
        for name in targets:
            self._writers[name].writerow(row)
            self.counts[name] += 1

    def write_warnings(self, cells: dict[str, str], settlement: Settlement, outcome: str) -> None:
        """Append a row to warnings.csv alone, its ``_outcome`` written as ``outcome``: a dry run's
        rows that would be sent with warnings (``ready``)."""
        row = [encode_cell(cells.get(c, "")) for c in self.columns]
        row += [encode_cell(v) for v in settlement_cells(settlement)]
        row[len(self.columns) + 1] = outcome
        self._writers[WARNINGS_FILE].writerow(row)
        self.counts[WARNINGS_FILE] += 1

    def flush(self) -> None:
        for fh in self._files.values():
            fh.flush()

    def close(self) -> dict[str, int]:
        """Close every file and return how many rows each received."""
        for fh in self._files.values():
            fh.close()
        self._files.clear()
        return dict(self.counts)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def summary_dict(summary: Summary) -> dict[str, Any]:
    """Return the summary as plain JSON-ready data."""
    return dataclasses.asdict(summary)


def write_summary(run_dir: Path, summary: Summary) -> Path:
    """Write ``summary.json`` atomically, so a reader never sees half a file."""
    path = Path(run_dir) / SUMMARY_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(summary_dict(summary), indent=2, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(path)
    return path


def format_summary(summary: Summary) -> str:
    """Render the end-of-run table that the CLI prints."""
    width = max(len(o.value) for o in Outcome)
    lines = [
        f"{summary.input}: {summary.total_rows:,} rows" + (" (dry run)" if summary.dry_run else "")
    ]
    if summary.dry_run:
        lines.append(f"  {'ready':<{width}}  {summary.sendable:>10,}  (would be sent)")
        shown: tuple[Outcome, ...] = (Outcome.REJECTED,)
    else:
        shown = (Outcome.CREATED, Outcome.REJECTED, Outcome.FAILED)
    for outcome in Outcome:
        count = summary.outcomes.get(outcome.value, 0)
        if count or outcome in shown:
            lines.append(f"  {outcome.value:<{width}}  {count:>10,}")
    if summary.rows_with_warnings:
        lines.append(
            f"  {'warnings':<{width}}  {summary.rows_with_warnings:>10,}  (also in warnings.csv)"
        )
    if not summary.dry_run:
        rate = f"{summary.achieved_rpm:,.0f}" if summary.achieved_rpm is not None else "-"
        limit = f"{summary.rpm_limit:,.0f}" if summary.rpm_limit else "none"
        lines.append(
            f"  requests {summary.requests:,}, retries {summary.retries:,}, "
            f"429s {summary.rate_limited:,}, {rate} rpm (limit {limit})"
        )
    if summary.codes:
        codes = ", ".join(f"{code} {n:,}" for code, n in sorted(summary.codes.items()))
        lines.append(f"  codes: {codes}")
    if summary.aborted:
        lines.append(f"  aborted: {summary.aborted}")
    return "\n".join(lines)
