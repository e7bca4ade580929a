"""A header far wider than its rows: 50,000 columns, 30,000 short rows, validated within 300 MB.

A spreadsheet export may name tens of thousands of columns while each row fills a handful; the
rows must cost what they hold, not what the header names. The baseline is the same rows under a
header of just their own columns, validated in the same run: the wide file should cost about the
same memory (the header itself, a few MB, aside).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data" / "wide"
COLUMNS = 50_000
TARGET_RSS_MB = 300
OWN = ["member_id", "first_name", "mobile", "email", "city"]
MAPPING = """\
version: 1
profiles:
  - source: INSTORE
    firstName: first_name
    identifiers:
      - type: mobile
        value: mobile
      - type: email
        value: email
      - type: externalId
        value: member_id
extendedFields:
  city: {column: city}
"""


def generate(path: Path, rows: int, columns: int) -> None:
    """``rows`` rows of five cells under a header of ``columns`` names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = OWN + [f"attribute_{i}" for i in range(columns - len(OWN))]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            writer.writerow(
                [f"M{i:08d}", f"Name{i}", f"9198{i:08d}", f"member{i}@example.com", "Leeds"]
            )
    tmp.replace(path)


def peak_rss(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB summed over the process tree (VmHWM), and its output."""
    peaks: dict[int, int] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None:
        stack = [proc.pid]
        while stack:
            pid = stack.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
            stack.extend(int(c) for c in children)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    output, errors = proc.communicate()
    if proc.returncode not in (0, 1):
        print(errors.decode(), file=sys.stderr)
    return elapsed, sum(peaks.values()) / 1024, output.decode().strip()


def outcome_count(output: str, outcome: str) -> int | None:
    """The count the printed summary shows beside ``outcome`` (None when it shows none)."""
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == outcome:
            return int(words[1].replace(",", ""))
    return None


def validate(path: Path, mapping: Path) -> tuple[float, float, str]:
    command = [sys.executable, "-m", "importer", "validate", str(path), "--mapping", str(mapping),
               "--out", str(DATA / "reports"), "--job", path.stem]  # fmt: skip
    return peak_rss(command)


def run(quick: bool) -> list[str]:
    rows = 3_000 if quick else 30_000
    mapping = DATA / "mapping.yaml"
    DATA.mkdir(parents=True, exist_ok=True)
    mapping.write_text(MAPPING, encoding="utf-8")
    wide, narrow = DATA / f"wide_{rows}.csv", DATA / f"narrow_{rows}.csv"
    if not wide.exists():
        print(f"   generating {wide.name} ({COLUMNS:,} columns) ...", flush=True)
        generate(wide, rows, COLUMNS)
    if not narrow.exists():
        generate(narrow, rows, len(OWN))
    seconds, rss, output = validate(wide, mapping)
    print("   " + output.replace("\n", "\n   "))
    base_seconds, base_rss, _ = validate(narrow, mapping)
    ok = rss <= TARGET_RSS_MB and f"{rows:,} rows" in output
    return [
        f"{'PASS' if ok else 'FAIL'} wide: {COLUMNS:,} columns x {rows:,} rows validated in "
        f"{seconds:.1f} s, peak RSS {rss:.0f} MB (target <= {TARGET_RSS_MB}); the same rows "
        f"under their own {len(OWN)} columns: {base_seconds:.1f} s, {base_rss:.0f} MB "
        f"({rss / base_rss:.2f}x its memory)"
    ]
