"""A wide CRM export: 300 columns x 50,000 full rows (about 80 MB), a fifth of them rejected,
validated within 300 MB.

Every cell of every row is filled, as a CRM writes its whole record: the reader must not hold a
chunk of rows whose cells cost more than the whole dry run may. The rejected rows go to
``errors.csv`` whole (the user fixes them there), so the reports are about a fifth of the input.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from benchmarks.bench_wide import outcome_count, peak_rss

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data" / "crm"
COLUMNS = 300
TARGET_RSS_MB = 300
OWN = ["Contact ID", "First Name", "Last Name", "Mobile", "Email", "City"]
MAPPING = """\
version: 1
settings: {region: IN}
profiles:
  - source: INSTORE
    firstName: First Name
    lastName: Last Name
    identifiers:
      - type: mobile
        value: {column: Mobile, as: phone}
      - type: email
        value: Email
      - type: externalId
        value: Contact ID
extendedFields:
  city: {column: City}
"""


def generate(path: Path, rows: int) -> None:
    """``rows`` full rows of ``COLUMNS`` cells; every fifth row's mobile is not a number."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(300)
    extra = COLUMNS - len(OWN)
    header = OWN + [f"Custom Field {i}" for i in range(extra)]
    # a CRM's attributes: flags, codes, dates and short notes, about 5 bytes each
    pool = ["Y", "N", "", "0", "12", "A17", "2024-03-01", "Gold", "web", "3.5", "no note",
            "2023-11-30 18:02"]  # fmt: skip
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            mobile = "not given" if i % 5 == 4 else f"98{i:08d}"
            own = [f"C{i:08d}", f"Name{i}", "Lee", mobile, f"c{i}@example.com", "Pune"]
            writer.writerow(own + rng.choices(pool, k=extra))
    tmp.replace(path)


def run(quick: bool) -> list[str]:
    rows = 5_000 if quick else 50_000
    mapping = DATA / "mapping.yaml"
    DATA.mkdir(parents=True, exist_ok=True)
    mapping.write_text(MAPPING, encoding="utf-8")
    path = DATA / f"crm_{rows}.csv"
    if not path.exists():
        print(f"   generating {path.name} ({COLUMNS} columns) ...", flush=True)
        generate(path, rows)
    command = [sys.executable, "-m", "importer", "validate", str(path), "--mapping",
               str(mapping), "--out", str(DATA / "reports"), "--job", path.stem]  # fmt: skip
    seconds, rss, output = peak_rss(command)
    print("   " + output.replace("\n", "\n   "))
    size = path.stat().st_size / 1e6
    rejected = rows // 5
    ok = rss <= TARGET_RSS_MB and outcome_count(output, "rejected") == rejected
    return [
        f"{'PASS' if ok else 'FAIL'} crm: {COLUMNS} columns x {rows:,} rows ({size:.0f} MB, "
        f"{rejected:,} rejected) validated in {seconds:.1f} s, peak RSS {rss:.0f} MB "
        f"(target <= {TARGET_RSS_MB})"
    ]
