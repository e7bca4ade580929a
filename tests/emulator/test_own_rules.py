"""The emulator judges bodies with its own reading of the vendor's reference, not the importer's.

Every test of the importer runs against the emulator: if both read a rule from the same code, a
wrong rule in the importer is a wrong rule in the emulator too, and every test still passes.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EMULATOR = Path(__file__).resolve().parents[2] / "importer" / "emulator"
#: what the emulator may share with the product: the error types and the run's value types
SHARED = {"importer._exceptions", "importer._models"}

#: The product's rule is broken in a fresh interpreter before the emulator is imported, so an
#: emulator that took the rule from the product would take the broken rule with it.
BREAK = r"""
import json, re, sys
from decimal import Decimal
import importer.mapping as package
import importer.mapping._fields as fields

rule = sys.argv[1]
if rule == "email":
    loose = re.compile(r"[^@]+@[^@]+")  # the dotted domain forgotten
    broken = {"EMAIL_SHAPE": loose, "EMAIL_CHARS": re.compile(r".+")}
elif rule == "long":
    broken = {"LONG_MAX": 2**64, "LONG_MIN": -(2**64)}  # 64 bits read as 65
else:
    broken = {"POINTS_LIMIT": Decimal("9" * 20)}  # decimal(15,3) forgotten
for name, value in broken.items():
    setattr(fields, name, value)
    if hasattr(package, name):
        setattr(package, name, value)

from importer.emulator import _rules, _shape
from importer.emulator._org import Org
from importer.mapping import check_payload

profile = {"source": "INSTORE", "identifiers": [{"type": "mobile", "value": "919988221100"}]}
body = {"profiles": [profile]}
if rule == "email":
    profile["identifiers"] = [{"type": "email", "value": "ann@example"}]
    try:
        fields.check_identifier("email", "ann@example", "Email")
        product = "accepted"
    except Exception as exc:
        product = f"refused: {exc}"
elif rule == "long":
    card = {"type": "cardnumber", "value": "C0001", "seriesId": 2**63}
    profile["identifiers"].append(card)
    product = "accepted" if fields.check_bound(2**63, "int") is None else "refused"
else:
    body["loyaltyProgramEnrollments"] = [{"programId": 469, "loyaltyPoints": 10**13}]
    product = "accepted" if fields.check_bound(10**13, "number") is None else "refused"
problems = _shape.add_problems(body)
if not problems:
    result = _rules.check(body, Org())
    problems = result if isinstance(result, list) else []
print(json.dumps({"product": product, "emulator": [[p.code, p.message] for p in problems]}))
"""


def test_the_emulator_imports_no_rule_of_the_product() -> None:
    for path in sorted(EMULATOR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("importer.") and not name.startswith("importer.emulator"):
                    assert name in SHARED, f"{path.name} imports {name}"


@pytest.mark.parametrize("rule", ["email", "long", "points"])
def test_a_product_rule_broken_on_purpose_meets_an_emulator_that_disagrees(rule: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(EMULATOR.parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", BREAK, rule],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout)
    assert seen["product"] == "accepted", "the break did not reach the product's rule"
    assert seen["emulator"], f"the emulator followed the product's broken {rule} rule"
