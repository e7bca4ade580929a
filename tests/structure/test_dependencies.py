"""Honest dependencies: what importer/ imports at run time is declared, and nothing else is."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: distribution name -> the module it is imported as, where they differ
IMPORT_NAME = {
    "email-validator": "email_validator",
    "python-calamine": "python_calamine",
    "python-dotenv": "dotenv",
    "pyyaml": "yaml",
}


def _imported() -> set[str]:
    found = set()
    for path in (ROOT / "importer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "importer"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    return {IMPORT_NAME.get(n, n.replace("-", "_")) for n in names}


def test_every_run_time_import_is_declared_and_every_declared_dependency_imported() -> None:
    imported, declared = _imported(), _declared()
    assert imported - declared == set(), "imported but not declared"
    assert declared - imported == set(), "declared but never imported by importer/"
