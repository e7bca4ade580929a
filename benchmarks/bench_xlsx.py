"""Reading a large .xlsx: our calamine reader beside pandas.read_excel with openpyxl."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_dryrun import DATA, HEADER, ROOT, generate

TARGET_SPEEDUP = 5.0


def make_workbook(path: Path, rows: int) -> None:
    """The members rows as a workbook: numeric mobiles, points and tiers, date cells."""
    from openpyxl import Workbook

    source = DATA / f"members_{rows}.csv"
    if not source.exists():
        generate(source, rows)
    import csv

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Members")
    sheet.append(HEADER)
    rng = random.Random(3)
    with open(source, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            cells: list[object] = list(row)
            if row[3].isdigit():
                cells[3] = int(row[3])
            cells[7] = dt.datetime.fromisoformat(row[7])
            cells[8] = dt.datetime.fromisoformat(row[8]) + dt.timedelta(hours=rng.randrange(24))
            cells[9], cells[10] = int(row[9]), int(row[10])
            sheet.append(cells)
    tmp = path.with_suffix(".tmp.xlsx")
    book.save(tmp)
    tmp.replace(path)


def _timed(code: str, path: Path) -> float:
    """Seconds the read takes in a fresh process, imports excluded (they are not reading)."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, cwd=ROOT, capture_output=True
    )
    return float(out.stdout.decode().split()[-1])


OURS = (
    "import sys, time\n"
    "from importer.read._table import open_table\n"
    "t = time.perf_counter()\n"
    "n = sum(len(c) for c in open_table(sys.argv[1]).chunks())\n"
    "print(n, time.perf_counter() - t)\n"
)
PANDAS = (
    "import sys, time, pandas, openpyxl\n"
    "t = time.perf_counter()\n"
    "df = pandas.read_excel(sys.argv[1], engine='openpyxl', dtype=str, keep_default_na=False)\n"
    "print(len(df), time.perf_counter() - t)\n"
)


def run(quick: bool) -> list[str]:
    rows = 10_000 if quick else 100_000
    path = DATA / f"members_{rows}.xlsx"
    if not path.exists():
        print(f"   generating {path.name} ...", flush=True)
        DATA.mkdir(parents=True, exist_ok=True)
        make_workbook(path, rows)
    ours = _timed(OURS, path)
    theirs = _timed(PANDAS, path)
    speedup = theirs / ours
    verdict = "PASS" if speedup >= TARGET_SPEEDUP else "FAIL"
    return [
        f"{verdict} xlsx: {rows:,} rows read in {ours:.1f} s ({rows / ours:,.0f} rows/s); "
        f"pandas.read_excel(openpyxl) {theirs:.1f} s; ours {speedup:.1f}x faster "
        f"(target >= {TARGET_SPEEDUP:.0f}x)"
    ]
