"""Dry run of a generated members file: rows/s and peak RSS, beside pandas reading the same file.

The dry run runs in a subprocess, so its memory is its own; its peak RSS is the sum over the
process and its worker processes of each one's high-water mark (VmHWM), sampled while it runs.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
MAPPING = ROOT / "mappings" / "members.yaml"
HEADER = [
    "member_id", "first_name", "last_name", "mobile", "email", "gender", "city",
    "date_of_birth", "joined_on", "points", "tier", "store_code",
]  # fmt: skip
TARGET_RATE = 50_000
TARGET_RSS_MB = 300

FIRST = ["Aarav", "Priya", "Rohan", "Ananya", "Oliver", "Amelia", "James", "Olivia", "Omar",
         "Fatima", "Wei", "Mei Ling", "Vikram", "Sneha", "Harry", "Isla"]  # fmt: skip
LAST = ["Sharma", "Iyer", "Reddy", "Patel", "Smith", "Jones", "Garcia", "Miller", "Haddad",
        "Khalil", "Tan", "Lim", "Nair", "O'Neill"]  # fmt: skip
CITIES = ["Bengaluru", "Mumbai", "Delhi", "London", "Leeds", "New York", "Austin", "Dubai",
          "Singapore"]  # fmt: skip
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]


def _mobile(rng: random.Random, i: int) -> str:
    """Mostly valid numbers of five countries, unique by construction (``i`` in the digits)."""
    country = rng.random()
    if country < 0.6:
        return f"91{rng.choice('6789')}{i:09d}"
    if country < 0.75:
        return f"447{rng.choice('45789')}{i % 100_000_000:08d}"
    if country < 0.9:
        return (
            f"1{rng.choice(['212', '312', '415', '617'])}{rng.choice('2345678')}{i % 1_000_000:06d}"
        )
    if country < 0.95:
        return f"9715{rng.choice('0256')}{i % 10_000_000:07d}"
    return f"65{rng.choice('89')}{i % 10_000_000:07d}"


def _day(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randrange(first, last)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A members file: ~98% valid rows, ~1% invalid cells, ~0.5% in-file duplicates."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        last_mobile = "919000000000"
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            mobile = _mobile(rng, i)
            email = f"{first}.{last}{i}@{rng.choice(DOMAINS)}".lower().replace(" ", "")
            email = email.replace("'", "")
            roll = rng.random()
            if roll < 0.005:
                mobile = last_mobile  # an in-file duplicate
            elif roll < 0.008:
                mobile = mobile[:6]
            elif roll < 0.011:
                email = email.replace("@", "@@")
            elif roll < 0.013:
                mobile = "9.19988E+11"
            last_mobile = mobile
            writer.writerow(
                (
                    f"M{i:08d}",
                    first,
                    last,
                    ("+" + mobile) if roll > 0.9 else mobile,
                    email,
                    rng.choice("MFO"),
                    rng.choice(CITIES),
                    _day(rng, 1950, 2006),
                    _day(rng, 2015, 2025),
                    rng.randrange(0, 10_000),
                    rng.choice("1112223"),
                    f"BLR-{rng.randrange(1, 40):03d}",
                )
            )
    tmp.replace(path)


def _tree_hwm(pid: int, peaks: dict[int, int]) -> None:
    """Record VmHWM (kB) of ``pid`` and its descendants."""
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[p] = max(peaks.get(p, 0), int(line.split()[1]))
        stack.extend(int(c) for c in children)


def measure_dry_run(path: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (summed over the process tree) and the exit code."""
    command = [sys.executable, "-m", "importer", "validate", str(path), "--mapping", str(MAPPING),
               "--out", str(out), "--job", "bench"]  # fmt: skip
    peaks: dict[int, int] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None:
        _tree_hwm(proc.pid, peaks)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    output, errors = proc.communicate()
    if proc.returncode not in (0, 1):
        print(errors.decode(), file=sys.stderr)
    print("   " + output.decode().strip().replace("\n", "\n   "))
    return elapsed, sum(peaks.values()) / 1024, proc.returncode


def measure_pandas(path: Path) -> float:
    """Seconds for plain pandas to read the file in chunks, as text."""
    code = (
        "import pandas, sys\n"
        "for _ in pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False, "
        "chunksize=100_000): pass\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    return time.perf_counter() - started


def run(quick: bool) -> list[str]:
    rows = 50_000 if quick else 1_000_000
    path = DATA / f"members_{rows}.csv"
    if not path.exists():
        print(f"   generating {path.name} ...", flush=True)
        generate(path, rows)
    seconds, rss, code = measure_dry_run(path, DATA / "reports")
    pandas_seconds = measure_pandas(path)
    rate = rows / seconds
    startup = ""
    if quick:
        # a small file is dominated by the ~1 s of interpreter start, imports and pool start:
        # judge the rate after it (the full run counts everything)
        fixed, _, _ = measure_dry_run(ROOT / "samples" / "members.csv", DATA / "reports")
        rate = rows / max(seconds - fixed, 1e-3)
        startup = f" ({fixed:.1f} s of it start-up, not counted in quick mode)"
    ok = rate >= TARGET_RATE and rss <= TARGET_RSS_MB and code in (0, 1)
    return [
        f"{'PASS' if ok else 'FAIL'} dryrun: {rows:,} rows in {seconds:.1f} s{startup} = "
        f"{rate:,.0f} rows/s (target >= {TARGET_RATE:,}); peak RSS {rss:.0f} MB "
        f"(target <= {TARGET_RSS_MB}); pandas.read_csv chunks alone {pandas_seconds:.1f} s "
        f"(ours {seconds / pandas_seconds:.1f}x its time)"
    ]
