"""Helpers of the ``importer init`` tests: the real commands, and what a mapping makes of rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from importer.cli._main import main
from importer.mapping._spec import load_mapping
from importer.prepare._pipeline import prepare
from importer.read._table import open_table


def init(input: Path, out: Path, *options: str) -> Result:
    """``importer init INPUT --out OUT [options]``; the draft must have been written."""
    result = CliRunner().invoke(main, ["init", str(input), "--out", str(out), *options])
    assert result.exit_code in (0, 1), result.output + repr(result.exception)
    assert out.exists(), result.output
    return result


def validate(input: Path, mapping: Path, out: Path, *options: str) -> dict[str, Any]:
    """``importer validate`` (the real command): its summary.json."""
    args = ["validate", str(input), "--mapping", str(mapping), "--out", str(out), *options]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output + repr(result.exception)
    summaries = sorted(out.glob("*/*/summary.json"))
    return json.loads(summaries[-1].read_text(encoding="utf-8"))


def bodies(input: Path, mapping: Path, **options: Any) -> dict[int, dict[str, Any]]:
    """Row number -> the request body, for every row ``mapping`` would send."""
    table = open_table(input, **options)
    return {
        p.source.row: p.payload
        for p in prepare(table, load_mapping(mapping), workers=0)
        if p.sendable and p.payload is not None
    }


def mobile_of(body: dict[str, Any]) -> str | None:
    """The mobile identifier of a body (its first profile), or None."""
    for ident in body["profiles"][0]["identifiers"]:
        if ident["type"] == "mobile":
            return ident["value"]
    return None


def comments(text: str) -> str:
    """The draft's comments as one line of prose (comment lines wrap anywhere)."""
    return " ".join(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


def uncomment(text: str) -> str:
    """The draft with its commented-out enrollment restored (``# `` removed at its indent)."""
    lines = text.splitlines()
    out, inside = [], False
    for line in lines:
        if line.startswith("# loyaltyProgramEnrollments:"):
            inside = True
        if inside and line.startswith("# "):
            out.append(line[2:])
            continue
        inside = inside and line.startswith("#")
        out.append(line)
    return "\n".join(out) + "\n"
