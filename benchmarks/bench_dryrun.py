"""Dry run of a generated members file: rows/s and peak RSS, beside pandas reading the same file.

The file is a multi-country export: one full-name column (``as: name``), mobiles written the
local way with a country column (``region: {column: country}``), e-mails, dates, points.

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
MAPPING = DATA / "members_by_country.yaml"
HEADER = [
    "member_id", "full_name", "mobile", "country", "email", "gender", "city",
    "date_of_birth", "joined_on", "points", "tier", "store_code",
]  # fmt: skip
MAPPING_TEXT = """\
settings: {region: null, timezone: Asia/Kolkata}
registration: {required_identifiers: [mobile]}
profiles:
  - source: INSTORE
    firstName: {column: full_name, as: name, part: first}
    lastName: {column: full_name, as: name, part: last}
    identifiers:
      - type: mobile
        value: {column: mobile, as: phone, region: {column: country}}
      - {type: email, value: email}
      - {type: externalId, value: member_id}
    commChannels:
      - type: mobile
        value: {column: mobile, as: phone, region: {column: country}}
        primary: true
      - {type: email, value: email, primary: true}
    fields:
      dateofbirth: {column: date_of_birth, as: date, formats: ["%Y-%m-%d"], on_invalid: drop}
extendedFields:
  gender: {column: gender, case: upper, map: {M: Male, F: Female, O: Other}, strict: true}
  city: {column: city, case: title}
loyaltyProgramEnrollments:
  - programId: 469
    tierNumber: {column: tier, as: int, min: 1, max: 3}
    loyaltyPoints: {column: points, as: number, default: "0", on_invalid: drop}
"""
TARGET_RATE = 50_000
TARGET_RSS_MB = 300

FIRST = ["Aarav", "Priya", "Rohan", "Ananya", "Oliver", "Amelia", "James", "Olivia", "Omar",
         "Fatima", "Wei", "Mei Ling", "Vikram", "Sneha", "Harry", "Isla"]  # fmt: skip
LAST = ["Sharma", "Iyer", "Reddy", "Patel", "Smith", "Jones", "Garcia", "Miller", "Haddad",
        "Khalil", "Tan", "Lim", "Nair", "O'Neill"]  # fmt: skip
CITIES = ["Bengaluru", "Mumbai", "Delhi", "London", "Leeds", "New York", "Austin", "Dubai",
          "Singapore"]  # fmt: skip
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]


#: (country cell spellings, a local number for row i): the way tills write them
COUNTRIES = [
    (["IN", "India", "IND"], lambda rng, i: f"{rng.choice('6789')}{i % 10**9:09d}"),
    (["IN", "India"], lambda rng, i: f"91{rng.choice('6789')}{i % 10**9:09d}"),  # + lost
    (["GB", "UK"], lambda rng, i: f"07{rng.choice('45789')}{i % 100:02d} {i % 10**6:06d}"),
    (["US", "USA"], lambda rng, i: f"({rng.choice(['212', '312', '415', '617'])}) "
                                   f"{rng.choice('2345678')}{i // 10**4 % 100:02d}-"
                                   f"{i % 10**4:04d}"),
    (["AE", "United Arab Emirates"], lambda rng, i: f"05{rng.choice('0256')} {i % 10**7:07d}"),
    (["SG", "Singapore"], lambda rng, i: f"+65 9{i % 10**7:07d}"),
]  # fmt: skip
WEIGHTS = [0.35, 0.25, 0.15, 0.15, 0.05, 0.05]
TITLES = ["Dr.", "Mr.", "Mrs.", "Shri", "Smt."]


def _mobile(rng: random.Random, i: int) -> tuple[str, str]:
    """(mobile, country cell): mostly valid numbers of six countries, unique by construction."""
    spellings, local = rng.choices(COUNTRIES, WEIGHTS)[0]
    return local(rng, i), rng.choice(spellings)


def _name(rng: random.Random) -> str:
    """A full name: mostly "First Last", some with a middle name, a title or in capitals."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    roll = rng.random()
    if roll < 0.05:
        name = f"{rng.choice(TITLES)} {name}"
    elif roll < 0.08:
        name = name.upper()
    elif roll < 0.12:
        name = f"{rng.choice(FIRST)} {name}"
    return name


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
        last_mobile = ("9000000000", "IN")
        for i in range(rows):
            name = _name(rng)
            mobile = _mobile(rng, i)
            email = f"{name.split()[-1]}.{i}@{rng.choice(DOMAINS)}".lower().replace("'", "")
            roll = rng.random()
            if roll < 0.005:
                mobile = last_mobile  # an in-file duplicate
            elif roll < 0.008:
                mobile = (mobile[0][:6], mobile[1])
            elif roll < 0.011:
                email = email.replace("@", "@@")
            elif roll < 0.013:
                mobile = ("9.19988E+11", mobile[1])
            last_mobile = mobile
            writer.writerow(
                (
                    f"M{i:08d}",
                    name,
                    mobile[0],
                    mobile[1],
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
    path = DATA / f"members_by_country_{rows}.csv"
    if not path.exists():
        print(f"   generating {path.name} ...", flush=True)
        generate(path, rows)
    MAPPING.write_text(MAPPING_TEXT, encoding="utf-8")
    seconds, rss, code = measure_dry_run(path, DATA / "reports")
    pandas_seconds = measure_pandas(path)
    rate = rows / seconds
    startup = ""
    if quick:
        # a small file is dominated by the ~1 s of interpreter start, imports and pool start:
        # judge the rate after it (the full run counts everything)
        small = DATA / "members_by_country_100.csv"
        if not small.exists():
            generate(small, 100)
        fixed, _, _ = measure_dry_run(small, DATA / "reports")
        rate = rows / max(seconds - fixed, 1e-3)
        startup = f" ({fixed:.1f} s of it start-up, not counted in quick mode)"
    ok = rate >= TARGET_RATE and rss <= TARGET_RSS_MB and code in (0, 1)
    return [
        f"{'PASS' if ok else 'FAIL'} dryrun: {rows:,} rows in {seconds:.1f} s{startup} = "
        f"{rate:,.0f} rows/s (target >= {TARGET_RATE:,}); peak RSS {rss:.0f} MB "
        f"(target <= {TARGET_RSS_MB}); pandas.read_csv chunks alone {pandas_seconds:.1f} s "
        f"(ours {seconds / pandas_seconds:.1f}x its time)"
    ]
