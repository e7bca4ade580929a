"""One exit-code policy: the README's table is the policy's, and the policy does what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from importer._exceptions import (
    EXIT_CODES,
    AbortError,
    AuthError,
    ConfigError,
    InputError,
    StorageError,
    UsageError,
    exit_code_for,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_table() -> dict[int, str]:
    """The rows of the README's ``| exit code | meaning |`` table."""
    text = README.read_text(encoding="utf-8")
    start = text.index("| exit code | meaning |")
    table: dict[int, str] = {}
    for line in text[start:].splitlines()[2:]:
        match = re.fullmatch(r"\|\s*(\d+)\s*\|\s*(.*?)\s*\|", line)
        if match is None:
            break
        table[int(match.group(1))] = match.group(2)
    return table


def test_the_readme_table_is_the_policy() -> None:
    assert _readme_table() == EXIT_CODES


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"outcomes": {"created": 3, "reconciled": 1, "duplicate": 2, "skipped": 1}}, 0),
        ({"outcomes": {"created": 3, "rejected": 1}}, 1),
        ({"outcomes": {"created": 3, "failed": 1}}, 1),
        ({"outcomes": {"created": 3}, "aborted": True}, 3),  # sending began
        ({"outcomes": {"rejected": 3}, "aborted": True, "sent": False}, 2),  # input broke first
        ({"error": UsageError("--rpm")}, 2),
        ({"error": ConfigError("mapping")}, 2),
        ({"error": InputError("in.csv")}, 2),
        ({"error": AbortError("server gone")}, 3),
        ({"error": AuthError("401")}, 3),
        ({"error": StorageError("journal", "disk full")}, 3),
        ({"error": StorageError("journal", "disk full", sent=False)}, 2),
        ({"error": KeyboardInterrupt()}, 130),
        ({"inputs": [0, 1, 2]}, 2),
        ({"inputs": [0, 3, 2]}, 3),  # an abort is the gravest, whatever the number
        ({"inputs": [0, 0]}, 0),
    ],
)
def test_the_policy_gives_a_documented_code(kwargs: dict, expected: int) -> None:
    code = exit_code_for(**kwargs)
    assert code == expected and code in EXIT_CODES
    if "error" in kwargs and hasattr(kwargs["error"], "exit_code"):
        assert kwargs["error"].exit_code == expected  # what the commands exit with


def test_no_command_decides_an_exit_code_of_its_own() -> None:
    # every sys.exit of the package goes through the policy, or a value the policy gave
    root = Path(__file__).resolve().parents[2] / "importer"
    for path in root.rglob("*.py"):
        if "emulator" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not re.search(r"sys\.exit\(\s*\d", line), (path, line)
            assert not re.search(r"exit_code\s*=\s*\d", line), (path, line)
