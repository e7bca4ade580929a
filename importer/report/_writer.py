"""Per-row report CSVs: every settled row in the file of its outcome, readable straight back in."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import IO, Any

from importer._exceptions import StorageError
from importer._layout import REPORT_COLUMNS, REPORT_FILES, ROW_FILES, WARNINGS_FILE, encode_cell
from importer._models import Outcome, Settlement
from importer._private import private_open


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
            fh = private_open(self.run_dir / name, "w", encoding="utf-8-sig", newline="")
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
            try:
                self._writers[name].writerow(row)
            except OSError as exc:  # disk full...: the run stops, naming the file
                raise StorageError.of(self.run_dir / name, exc) from None
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
        for name, fh in self._files.items():
            try:
                fh.flush()
            except OSError as exc:
                raise StorageError.of(self.run_dir / name, exc) from None

    def close(self) -> dict[str, int]:
        """Close every file and return how many rows each received."""
        files, self._files = self._files, {}
        failed: StorageError | None = None
        for name, fh in files.items():
            try:
                fh.close()
            except OSError as exc:
                failed = failed or StorageError.of(self.run_dir / name, exc)
        if failed is not None:
            raise failed
        return dict(self.counts)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
