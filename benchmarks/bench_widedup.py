"""A 50,000-column header over 30,000 short rows that are all in-file duplicates: validated within
300 MB and 60 s, and its reports hold the rows, not gigabytes of empty cells.

Every row repeats the first row's identifiers, so all but the first land in ``duplicates.csv``.
The reports must still open in a spreadsheet (which shows at most 16,384 columns) with each row's
``_row``, ``_outcome`` and ``_message`` in their columns, and must read back as an input.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from benchmarks.bench_wide import MAPPING, OWN, outcome_count, peak_rss

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data" / "widedup"
COLUMNS = 50_000
TARGET_RSS_MB = 300
TARGET_SECONDS = 60
#: the most columns a spreadsheet shows (Excel's XFD, LibreOffice's since 7.4)
SHEET_COLUMNS = 16_384
#: reports of 30,000 short rows: a few MB each (the 50,000 names of the header included)
TARGET_REPORT_MB = 50


def generate(path: Path, rows: int, columns: int) -> None:
    """``rows`` rows of five cells, every one with the same mobile, under ``columns`` names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = OWN + [f"attribute_{i}" for i in range(columns - len(OWN))]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            writer.writerow([f"M{i:08d}", f"Name{i}", "919812345678", f"m{i}@example.com", "Leeds"])
    tmp.replace(path)


def check_reports(folder: Path) -> list[str]:
    """What is wrong with the report files as a spreadsheet would show them (empty: nothing)."""
    faults: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            at = {name: header.index(name) for name in ("_row", "_outcome", "_message")}
            beyond = [n for n, i in at.items() if i >= SHEET_COLUMNS]
            if beyond:
                faults.append(f"{path.name}: {', '.join(beyond)} past column {SHEET_COLUMNS:,}")
                continue
            for record in reader:
                if not record[at["_row"]].isdigit() or not record[at["_outcome"]]:
                    faults.append(f"{path.name}: line {reader.line_num}: no _row or _outcome")
                    break
    return faults


def run(quick: bool) -> list[str]:
    rows = 3_000 if quick else 30_000
    mapping = DATA / "mapping.yaml"
    DATA.mkdir(parents=True, exist_ok=True)
    mapping.write_text(MAPPING, encoding="utf-8")
    path = DATA / f"widedup_{rows}.csv"
    if not path.exists():
        print(f"   generating {path.name} ({COLUMNS:,} columns) ...", flush=True)
        generate(path, rows, COLUMNS)
    reports = DATA / "reports"
    command = [sys.executable, "-m", "importer", "validate", str(path), "--mapping",
               str(mapping), "--out", str(reports), "--job", path.stem]  # fmt: skip
    seconds, rss, output = peak_rss(command)
    print("   " + output.replace("\n", "\n   "))
    folder = max((reports / path.stem).iterdir())
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    faults = check_reports(folder)
    for fault in faults:
        print(f"   {fault}")
    ok = (
        rss <= TARGET_RSS_MB
        and seconds <= TARGET_SECONDS
        and size <= TARGET_REPORT_MB
        and not faults
        and outcome_count(output, "duplicate") == rows - 1
    )
    return [
        f"{'PASS' if ok else 'FAIL'} widedup: {COLUMNS:,} columns x {rows:,} duplicate rows "
        f"validated in {seconds:.1f} s (target <= {TARGET_SECONDS}), peak RSS {rss:.0f} MB "
        f"(target <= {TARGET_RSS_MB}), reports {size:.1f} MB (target <= {TARGET_REPORT_MB}), "
        f"{'_row, _outcome and _message in reach' if not faults else 'unreadable reports'}"
    ]
