"""Nightly re-uploads against the emulator: with --skip-known only the new rows cost a request.

The first night registers N members; the second night's file holds the same N plus 1% new
ones. With ``--skip-known`` the second run must send exactly the new rows (counted at the
emulator), beside the same second night without it, which sends every row and earns N 8006s.
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

from benchmarks.bench_send import ENV, MAPPING
from importer.emulator import running_emulator
from importer.run._batch import run_batch
from importer.run._config import RunConfig

DATA = Path(__file__).parent / ".data" / "nightly"


def _night(path: Path, rows: range) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["member_id", "first_name", "last_name", "mobile", "email"])
        for i in rows:
            writer.writerow(
                [f"M{i:08d}", f"First{i}", f"Last{i}", f"9196{i:08d}", f"night{i}@example.com"]
            )
    return path


def _second_night(known: int, skip_known: bool) -> tuple[int, float, dict[str, int]]:
    """Requests the second night sends, its seconds, and its outcomes."""
    folder = DATA / ("skip" if skip_known else "plain")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    mapping = folder / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    monday = _night(folder / "monday.csv", range(known))
    tuesday = _night(folder / "tuesday.csv", range(known + known // 100))
    with running_emulator() as emu:
        config = RunConfig(
            input=monday,
            mapping=mapping,
            base_url=emu.url,
            rpm=0,
            out=folder / "out",
            env=ENV,
            progress=False,
            skip_known=skip_known,
        )
        run_batch(config, [monday])
        before = emu.stats()["adds_attempted"]
        started = time.perf_counter()
        result = run_batch(config, [tuesday])
        seconds = time.perf_counter() - started
        sent = emu.stats()["adds_attempted"] - before
    return sent, seconds, result.summaries[0].outcomes


def run(quick: bool) -> list[str]:
    known = 2_000 if quick else 10_000
    new = known // 100
    sent, seconds, outcomes = _second_night(known, skip_known=True)
    plain_sent, plain_seconds, _ = _second_night(known, skip_known=False)
    print(
        f"   --skip-known: {sent} requests in {seconds:.1f} s; without: {plain_sent} in "
        f"{plain_seconds:.1f} s",
        flush=True,
    )
    ok = sent == new and outcomes["skipped"] == known and outcomes["created"] == new
    verdict = "PASS" if ok else "FAIL"
    at_100_rpm = plain_sent / 100 / 60
    return [
        f"{verdict} nightly: second night of {known:,} known + {new:,} new rows sent {sent:,} "
        f"requests with --skip-known (target exactly {new:,}) vs {plain_sent:,} without; "
        f"{seconds:.1f} s vs {plain_seconds:.1f} s unthrottled (at 100 rpm: "
        f"{sent / 100:.1f} min vs {at_100_rpm:.1f} h)"
    ]
