"""Quota saved by the org check: the same file with 10% bad extended values sent to the emulator
with and without checking it against the org's fields first.

Half the bad values are a gender the org's enum does not list (the org drops the value with a
warning: the customer is registered without it), half an Age that is not a whole number (the
field says ``rejectTxnOnInvalidValue``: the org refuses the add). Reported side by side: requests
spent, customers registered without their value, rows refused by the org and rows held back
locally with the reason. PASS when the check spends no add on a bad row and loses no value.
"""

from __future__ import annotations

import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import bench_dryrun
from importer.emulator import running_emulator
from importer.run._config import RunConfig
from importer.run._run import run_import

DATA = Path(__file__).parent / ".data" / "org"
ENV = {"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "demo123"}
ORG = """\
extended_fields:
  - {name: gender, label: Gender, dataType: STANDARD_ENUM, values: [Male, Female, Other]}
  - {name: Age, label: Age, dataType: INTEGER, rejectTxnOnInvalidValue: true}
"""
MAPPING = """\
version: 1
settings:
  region: null
profiles:
  - source: INSTORE
    firstName: first_name
    identifiers:
      - type: mobile
        value: mobile
      - type: externalId
        value: member_id
extendedFields:
  gender: gender
  Age: {column: age, as: text}
"""
GETS = ("/v2/extendedFields", "/v2/organization/customFields", "/v2/entity/extendedFieldConfig")


def _write(rows: int) -> tuple[Path, Path, Path, int, int]:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    (DATA / "org.yaml").write_text(ORG, encoding="utf-8")
    (DATA / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    draw = random.Random(18)
    bad = draw.sample(range(rows), rows // 10)
    bad_gender, bad_age = set(bad[: len(bad) // 2]), set(bad[len(bad) // 2 :])
    with open(DATA / "in.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["member_id", "first_name", "mobile", "gender", "age"])
        for i in range(rows):
            gender = draw.choice(["Mle", "femal", "X", "unknown"]) if i in bad_gender else (
                draw.choice(["Male", "Female", "Other"]))  # fmt: skip
            age = draw.choice(["forty", "30+", "n/a", "3O"]) if i in bad_age else str(
                draw.randint(18, 90))  # fmt: skip
            writer.writerow([f"M{i:07d}", f"Name{i}", f"9196{i:08d}", gender, age])
    return DATA / "in.csv", DATA / "mapping.yaml", DATA / "org.yaml", len(bad_gender), len(bad_age)


def _one(path: Path, mapping: Path, org: Path, check: bool) -> dict[str, int]:
    with running_emulator("--org", str(org)) as emu:
        config = RunConfig(
            input=path, mapping=mapping, base_url=emu.url, rpm=0, env=ENV, progress=False,
            out=DATA / ("out-check" if check else "out-nocheck"), org_check=check,
        )  # fmt: skip
        summary = run_import(config)
        stats = emu.stats()
    gets = sum(stats["requests_by_path"].get(p, 0) for p in GETS)
    return {
        "requests": stats["adds_attempted"] + gets,
        "adds": stats["adds_attempted"],
        "gets": gets,
        "without_value": stats["field_values_dropped"],
        "refused_by_org": sum(stats["adds_rejected_by_code"].values()),
        "held_back": summary.outcomes["rejected"] - sum(stats["adds_rejected_by_code"].values()),
        "created": summary.outcomes["created"],
    }


def _dry_run_with_org(quick: bool) -> str:
    """bench_dryrun's file and mapping, validated with an org file that types its extended and
    custom fields: the per-value checks must keep the dry run above its target."""
    rows = 50_000 if quick else 1_000_000
    path = bench_dryrun.DATA / f"members_by_country_{rows}.csv"
    if not path.exists():
        bench_dryrun.generate(path, rows)
    bench_dryrun.MAPPING.write_text(bench_dryrun.MAPPING_TEXT, encoding="utf-8")
    fields = [
        {"id": 1, "name": "gender", "label": "Gender", "dataType": "STANDARD_ENUM",
         "enumValues": ["Male", "Female", "Other"]},
        {"id": 2, "name": "city", "label": "City", "dataType": "STRING", "maxLength": 100},
    ]  # fmt: skip
    org = DATA / "dryrun-org.json"
    answers = {
        "extendedFields": {"answer": {"entity": {"CUSTOMER": fields}}},
        "customFields": {"answer": {"entity": {"customFields": [{"name": "dateofbirth"}]}}},
    }
    org.write_text(json.dumps({"format": 1, "endpoints": answers}), encoding="utf-8")

    cpu: dict[bool, float] = {}

    def seconds(source: Path, with_org: bool = True) -> float:
        command = [sys.executable, "-m", "importer", "validate", str(source), "--mapping",
                   str(bench_dryrun.MAPPING), "--out", str(DATA / "reports"), "--job", "bench",
                   *(["--org", str(org)] if with_org else [])]  # fmt: skip
        started, used = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=bench_dryrun.ROOT, capture_output=True, check=False)
        if done.returncode not in (0, 1):
            print(done.stderr.decode(), file=sys.stderr)
        # CPU seconds of the command and its workers: what the check costs, whatever the load
        cpu[with_org] = _children_cpu() - used
        return time.perf_counter() - started

    baseline = seconds(path, with_org=False)  # the same dry run without the org, same machine
    elapsed = seconds(path)
    with_cpu, without_cpu = cpu[True], cpu[False]
    fixed = 0.0
    if quick:  # as bench_dryrun: start-up dominates a small file, judge the rate after it
        small = bench_dryrun.DATA / "members_by_country_100.csv"
        if not small.exists():
            bench_dryrun.generate(small, 100)
        fixed = seconds(small)
    rate = rows / max(elapsed - fixed, 1e-3)
    base_rate = rows / max(baseline - fixed, 1e-3)
    ok = rate >= bench_dryrun.TARGET_RATE
    return (
        f"{'PASS' if ok else 'FAIL'} org.dryrun: {rows:,} rows validated with --org (gender "
        f"enum, city length, dateofbirth) in {elapsed:.1f} s = {rate:,.0f} rows/s "
        f"(target >= {bench_dryrun.TARGET_RATE:,}); without --org {baseline:.1f} s = "
        f"{base_rate:,.0f} rows/s ({rate / base_rate:.2f}x); CPU {with_cpu:.1f} s with, "
        f"{without_cpu:.1f} s without"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(quick: bool) -> list[str]:
    rows = 400 if quick else 2000
    path, mapping, org, bad_gender, bad_age = _write(rows)
    off = _one(path, mapping, org, check=False)
    on = _one(path, mapping, org, check=True)
    print(f"   {'':34} {'--no-org-check':>15} {'org check':>10}")
    for key, label in (
        ("requests", "requests spent (adds + GETs)"),
        ("without_value", "customers registered w/o value"),
        ("refused_by_org", "adds the org refused"),
        ("held_back", "rows held back locally"),
        ("created", "customers created"),
    ):
        print(f"   {label:34} {off[key]:>15,} {on[key]:>10,}")
    good = rows - bad_gender - bad_age
    ok = (
        on["adds"] == good
        and on["without_value"] == 0
        and on["refused_by_org"] == 0
        and off["without_value"] == bad_gender
        and off["refused_by_org"] == bad_age
    )
    return [
        _dry_run_with_org(quick),
        f"{'PASS' if ok else 'FAIL'} org.quota: {rows} rows, {bad_gender + bad_age} bad extended "
        f"values: requests {off['requests']:,} without the check vs {on['requests']:,} with it "
        f"({on['gets']} GETs); customers registered without their value {off['without_value']} vs "
        f"{on['without_value']}; adds refused by the org {off['refused_by_org']} vs "
        f"{on['refused_by_org']} (the {on['held_back']} rows held back name column, value, field)",
    ]
