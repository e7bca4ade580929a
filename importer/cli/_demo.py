"""``make demo``: start the emulator, import the shipped samples, and say where the reports are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from importer._owner_only import private_dir
from importer.emulator import DEFAULT_PASSWORD, DEFAULT_USER, running_emulator

OUT = Path("reports/demo")


def _step(title: str, *args: str, env: dict[str, str]) -> int:
    print(f"\n$ importer {' '.join(args)}\n# {title}", flush=True)
    return subprocess.run([sys.executable, "-m", "importer", *args], env=env).returncode


def main() -> int:
    # A fresh folder each time, so the demo shows a first import rather than a resumed one.
    shutil.rmtree(OUT, ignore_errors=True)
    private_dir(OUT)  # owner-only, like every folder the tool writes
    with running_emulator(
        "--latency-ms", "20-150", "--rpm", "600", db=OUT / "emulator.sqlite3"
    ) as emu:
        print(f"emulator listening on {emu.url} (600 requests per minute, 20-150 ms latency)")
        env = {
            **os.environ,
            "CAPILLARY_USERNAME": DEFAULT_USER,
            "CAPILLARY_PASSWORD": DEFAULT_PASSWORD,
        }
        send = ["--base-url", emu.url, "--rpm", "600", "--out", str(OUT)]
        members = ["--mapping", "mappings/members.yaml"]
        _step(
            "check every row before spending quota: nothing is sent",
            "validate",
            "samples/members.csv",
            *members,
            "--out",
            str(OUT / "dry-run"),
            env=env,
        )
        _step("import the members", "run", "samples/members.csv", *members, *send, env=env)
        _step(
            "import a messy legacy export (cp1252, semicolons, local numbers)",
            "run",
            "samples/legacy_members.csv",
            "--mapping",
            "mappings/legacy_members.yaml",
            *send,
            env=env,
        )
        _step(
            "a till export from twelve countries: each mobile read in its row's country, names "
            "split from one column, bad optional values left out with a warning",
            "run",
            "samples/legacy_pos.csv",
            "--mapping",
            "mappings/legacy_pos.yaml",
            *send,
            env=env,
        )
        _step(
            "the same members as a workbook, as a nightly upload: known rows cost no request",
            "run",
            "samples/members.xlsx",
            *members,
            *send,
            "--skip-known",
            "--job",
            "nightly",
            env=env,
        )
        stats = emu.stats()
        print(
            f"\nthe emulator now holds {stats['customers_stored']} customers "
            f"after {stats['adds_attempted']} adds"
        )
    pages = sorted(OUT.glob("**/report.html"))
    print("\nreports:")
    for page in pages:
        print(f"  {page.parent}/  (open {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
