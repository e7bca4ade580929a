"""``importer init`` on a generated members file: the whole command, sampling by default.

The command runs in a fresh process, start-up and imports included: what the user waits for.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.bench_dryrun import DATA, ROOT, generate

TARGET_SECONDS = 20.0


def run(quick: bool) -> list[str]:
    rows = 50_000 if quick else 1_000_000
    path = DATA / f"members_{rows}.csv"
    if not path.exists():
        print(f"   generating {path.name} ...", flush=True)
        generate(path, rows)
    out = DATA / "init" / f"members_{rows}.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "importer", "init", str(path), "--out", str(out), "--force"]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    print("   " + proc.stdout.strip().replace("\n", "\n   "))
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    ok = seconds < TARGET_SECONDS and proc.returncode in (0, 1)
    return [
        f"{'PASS' if ok else 'FAIL'} init: {rows:,} rows drafted in {seconds:.1f} s, sampling "
        f"20,000 (target < {TARGET_SECONDS:.0f} s); exit {proc.returncode}"
    ]
