"""Helpers for the sending tests: inputs, a minimal mapping, reports, the command."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from importer._layout import REPORT_FILES
from importer._models import Summary

BASIC = {"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "demo123"}
OAUTH = {"CAPILLARY_OAUTH_KEY": "demo-key", "CAPILLARY_OAUTH_SECRET": "demo-secret"}

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
"""

COLUMNS = ["member_id", "first_name", "mobile"]


def mobile(n: int, base: int = 0) -> str:
    return f"9198{base + n:08d}"


def member_rows(n: int, base: int = 0) -> list[list[str]]:
    """``n`` valid, distinct rows."""
    return [[f"M{base + i:07d}", f"Name{i}", mobile(i, base)] for i in range(n)]


def write_csv(path: Path, rows: list[list[str]], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def read_report(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def report_rows(run_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Rows of every outcome file of a run folder, by file name."""
    names = sorted(set(REPORT_FILES.values()))
    return {name: read_report(run_dir / name) for name in names}


def rows_once(run_dir: Path) -> list[int]:
    """Every ``_row`` across the outcome files, sorted (duplicates would show twice)."""
    return sorted(int(r["_row"]) for rows in report_rows(run_dir).values() for r in rows)


def run_dir_of(out: Path, summary: Summary) -> Path:
    return out / summary.job / summary.run


def cli(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[str]:
    """Start ``python -m importer ...`` with the demo credentials."""
    environ = {**os.environ, **(BASIC if env is None else env)}
    for key in ("CAPILLARY_OAUTH_KEY", "CAPILLARY_OAUTH_SECRET"):
        if env is None:
            environ.pop(key, None)
    return subprocess.Popen(
        [sys.executable, "-m", "importer", *args],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def summary_of(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "summary.json").read_text("utf-8"))
