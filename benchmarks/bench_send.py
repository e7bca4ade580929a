"""Sending benchmarks against the emulator: rate fidelity, pipeline overhead, faults.

- rate: ``--rpm 1200`` with 100-600 ms latency for 60 s: achieved/limit >= 0.97, no 429, and the
  emulator's busiest 60-second window <= 1200 (quick: 15 s at the same limit; the window check
  then only proves nothing burst).
- overhead: no limit, journal and reports on, against a bare aiohttp loop posting the same
  payloads at the same concurrency in the same run: >= 0.35 of its rows/s.
- faults: 10% transient failures and 3% lost answers: requests per settled row <= 1.25 and
  exactly one customer per row.
"""

from __future__ import annotations

import asyncio
import csv
import shutil
import time
from pathlib import Path

import aiohttp

from importer.emulator import running_emulator
from importer.run._config import RunConfig
from importer.run._run import run_import
from importer.send import Policy
from importer.send._auth import basic_header

DATA = Path(__file__).parent / ".data" / "send"
ENV = {"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "demo123"}
MAPPING = """\
version: 1
settings:
  region: null
profiles:
  - source: INSTORE
    firstName: first_name
    lastName: last_name
    identifiers:
      - type: mobile
        value: mobile
      - type: email
        value: email
      - type: externalId
        value: member_id
"""


def write_input(name: str, rows: int) -> tuple[Path, Path]:
    folder = DATA / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    mapping = folder / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = folder / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["member_id", "first_name", "last_name", "mobile", "email"])
        for i in range(rows):
            writer.writerow(
                [f"M{i:08d}", f"First{i}", f"Last{i}", f"9197{i:08d}", f"member{i}@example.com"]
            )
    return path, mapping


def run_config(path: Path, mapping: Path, url: str, rpm: float, **extra: object) -> RunConfig:
    return RunConfig(
        input=path,
        mapping=mapping,
        base_url=url,
        rpm=rpm,
        out=path.parent / "out",
        env=ENV,
        progress=False,
        **extra,  # type: ignore[arg-type]
    )


def bench_rate(quick: bool) -> str:
    rpm, seconds = 1200, (15 if quick else 60)
    rows = rpm * seconds // 60  # as many rows as the limit allows in that time
    path, mapping = write_input("rate", rows)
    with running_emulator("--rpm", str(rpm), "--latency-ms", "100-600", "--seed", "1") as emu:
        summary = run_import(run_config(path, mapping, emu.url, rpm))
        stats = emu.stats()
    achieved = summary.achieved_rpm or 0.0
    ratio = achieved / rpm
    peak, r429 = stats["max_adds_in_60s"], stats["rate_limited_429"]
    ok = ratio >= 0.97 and r429 == 0 and peak <= rpm and summary.outcomes["created"] == rows
    label = " (quick: 15 s)" if quick else ""
    return (
        f"{'PASS' if ok else 'FAIL'} send.rate{label}: achieved {achieved:.0f}/{rpm} rpm"
        f" = {ratio:.3f} (>= 0.97), 429s {r429}, emulator max 60s window {peak} (<= {rpm})"
    )


async def _bare_loop(url: str, payloads: list[dict], concurrency: int) -> float:
    """Rows per second of the plainest client: a semaphore and aiohttp posts."""
    headers = {"Authorization": basic_header("demo", "demo123")}
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def post(payload: dict) -> None:
            async with gate, http.post(url + "/v2/customers", json=payload, headers=headers) as r:
                await r.read()

        started = time.perf_counter()
        await asyncio.gather(*(post(p) for p in payloads))
        return len(payloads) / (time.perf_counter() - started)


def _payloads(path: Path, mapping: Path) -> list[dict]:
    from importer.mapping._spec import load_mapping
    from importer.prepare._pipeline import prepare
    from importer.read._table import open_table

    table = open_table(path)
    return [p.payload for p in prepare(table, load_mapping(mapping)) if p.payload is not None]


def bench_overhead(quick: bool) -> str:
    rows, concurrency = (1000 if quick else 4000), 32
    path, mapping = write_input("overhead", rows)
    payloads = _payloads(path, mapping)
    with running_emulator() as emu:
        bare = asyncio.run(_bare_loop(emu.url, payloads, concurrency))
        emu.reset()
        started = time.perf_counter()
        summary = run_import(run_config(path, mapping, emu.url, 0, concurrency=concurrency))
        ours = summary.total_rows / (time.perf_counter() - started)
    ratio = ours / bare
    ok = ratio >= 0.35 and summary.outcomes["created"] == rows
    return (
        f"{'PASS' if ok else 'FAIL'} send.overhead: {ours:.0f} rows/s end to end vs bare aiohttp"
        f" {bare:.0f} rows/s = {ratio:.2f} (>= 0.35), {rows} rows, concurrency {concurrency}"
    )


def bench_faults(quick: bool) -> str:
    rows = 400 if quick else 1500
    path, mapping = write_input("faults", rows)
    args = ("--fail-rate", "0.10", "--ambiguous-rate", "0.03", "--latency-ms", "5-30")
    with running_emulator(*args, "--seed", "4") as emu:
        summary = run_import(
            run_config(
                path,
                mapping,
                emu.url,
                0,
                concurrency=32,
                policy=Policy(backoff_base=0.05),
                timeout=5.0,
            )
        )
        customers = emu.stats()["customers_stored"]
    settled = sum(summary.outcomes.values()) - summary.outcomes["skipped"]
    per_row = summary.requests / max(settled, 1)
    twice = customers - summary.outcomes["created"]
    ok = per_row <= 1.25 and customers == rows and summary.outcomes["created"] == rows
    return (
        f"{'PASS' if ok else 'FAIL'} send.faults: {summary.requests} requests for {settled}"
        f" settled rows = {per_row:.3f} per row (<= 1.25), {customers} customers for {rows}"
        f" rows (registered twice: {max(twice, 0)}), created {summary.outcomes['created']}"
    )


def run(quick: bool) -> list[str]:
    lines = []
    for bench in (bench_rate, bench_overhead, bench_faults):
        line = bench(quick)
        print("   " + line, flush=True)
        lines.append(line)
    return lines
