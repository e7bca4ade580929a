"""Per-row report CSVs: every settled row in the file of its outcome, readable straight back in.

Rows are appended as they settle (so a crash still leaves every row settled so far on disk) and
put back into the input's row order when the run ends.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from importer._exceptions import StorageError
from importer._layout import (
    REPORT_COLUMNS,
    REPORT_FILES,
    ROW_FILES,
    RUN_COLUMN,
    WARNINGS_FILE,
    decode_cell,
    encode_cell,
)
from importer._models import Outcome, Settlement
from importer._owner_only import private_open

_BOM = "\ufeff".encode()
_OUTCOMES = frozenset(o.value for o in Outcome)


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


def settlement_cells(settlement: Settlement, run: str = "") -> list[str]:
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
        run,
    ]


class _File:
    """One report file, written as bytes so that each record's place is known for the re-sort."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.fh: IO[bytes] = private_open(path, "wb")  # owner-only: it holds customer data
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer)
        self.rows = array("q")  # each record's _row, in the order written
        self.starts = array("q")  # each record's offset in the file
        self.ordered = True
        self.offset = self.fh.write(_BOM) + self.fh.write(self._encode(header))

    def _encode(self, record: list[str]) -> bytes:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.csv.writerow(record)
        return self.buffer.getvalue().encode("utf-8")

    def append(self, row: int, record: list[str], *, flush: bool = False) -> None:
        if self.rows and row < self.rows[-1]:
            self.ordered = False
        try:
            written = self.fh.write(self._encode(record))
            if flush:
                self.fh.flush()
        except OSError as exc:  # disk full...: the run stops, naming the file
            raise StorageError.of(self.path, exc) from None
        self.rows.append(row)
        self.starts.append(self.offset)
        self.offset += written

    def close(self) -> None:
        """Close the file, rewritten in row order if the rows settled out of order."""
        try:
            self._close()
        except OSError as exc:  # disk full...: naming the file
            raise StorageError.of(self.path, exc) from None

    def _close(self) -> None:
        end = self.offset
        self.fh.close()
        if self.ordered:
            return
        ends = array("q", self.starts[1:])
        ends.append(end)
        order = sorted(range(len(self.rows)), key=self.rows.__getitem__)
        tmp = self.path.with_name(self.path.name + ".sorting")
        with open(self.path, "rb") as src, private_open(tmp, "wb") as dst:
            dst.write(src.read(self.starts[0]) if self.starts else src.read())
            for i in order:
                src.seek(self.starts[i])
                dst.write(src.read(ends[i] - self.starts[i]))
        os.replace(tmp, self.path)


class ReportWriter:
    """Writes each settled row to the CSV of its outcome, original columns first.

    Files are UTF-8 with a BOM so that Excel shows accents right; every value is written as the
    exact text it was read as, so identifiers keep their leading zeros and digits. With
    ``stream`` each row reaches the disk as it settles (a killed run leaves what it settled).
    """

    def __init__(self, run_dir: Path, columns: list[str], *, stream: bool = False) -> None:
        self.run_dir = Path(run_dir)
        self.columns = list(columns)
        self.stream = stream
        self.counts: dict[str, int] = dict.fromkeys(ROW_FILES, 0)
        header = [encode_cell(c) for c in self.columns] + list(REPORT_COLUMNS)
        self._files = {name: _File(self.run_dir / name, header) for name in ROW_FILES}

    def write(self, cells: dict[str, str], settlement: Settlement, run: str = "") -> None:
        """Append one row to its outcome's file, and to warnings.csv when it carried warnings."""
        row = [encode_cell(cells.get(c, "")) for c in self.columns]
        row += [encode_cell(v) for v in settlement_cells(settlement, run)]
        targets = [REPORT_FILES[settlement.outcome]]
        if settlement.warnings and settlement.outcome is Outcome.CREATED:
            targets.append(WARNINGS_FILE)
        for name in targets:
            self._files[name].append(settlement.row, row, flush=self.stream)
            self.counts[name] += 1

    def write_warnings(self, cells: dict[str, str], settlement: Settlement, outcome: str) -> None:
        """Append a row to warnings.csv alone, its ``_outcome`` written as ``outcome``: a dry run's
        rows that would be sent with warnings (``ready``)."""
        row = [encode_cell(cells.get(c, "")) for c in self.columns]
        row += [encode_cell(v) for v in settlement_cells(settlement)]
        row[len(self.columns) + 1] = outcome
        self._files[WARNINGS_FILE].append(settlement.row, row)
        self.counts[WARNINGS_FILE] += 1

    def close(self) -> dict[str, int]:
        """Close every file, in the input's row order, and return how many rows each received."""
        for file in self._files.values():
            file.close()
        self._files.clear()
        return dict(self.counts)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_settled(
    path: Path, columns: list[str]
) -> Iterator[tuple[dict[str, str], Settlement, str]]:
    """Read a report file back: each row's original cells, its settlement and the run that
    settled it (empty for reports written before the ``_run`` column)."""
    if not Path(path).exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for record in csv.DictReader(fh):
            row = {k: decode_cell(v or "") for k, v in record.items() if k}
            if not row.get("_row", "").isdigit() or row.get("_outcome") not in _OUTCOMES:
                continue
            created = row.get("_created_id", "")
            attempts = row.get("_attempts", "")
            settlement = Settlement(
                int(row["_row"]),
                Outcome(row["_outcome"]),
                created_id=int(created) if created.isdigit() else None,
                code=row.get("_code") or None,
                message=row.get("_message") or None,
                warnings=json.loads(row["_warnings"]) if row.get("_warnings") else [],
                side_effects=json.loads(row["_side_effects"]) if row.get("_side_effects") else [],
                attempts=int(attempts) if attempts.isdigit() else 0,
                request_id=row.get("_request_id") or None,
            )
            yield {c: row.get(c, "") for c in columns}, settlement, row.get(RUN_COLUMN, "")
