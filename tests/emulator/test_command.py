"""``importer emulator`` as a user meets it: help, ready file, clear messages for mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from importer.emulator import running_emulator


def emulator_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "importer", "emulator", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_help_lists_every_option_but_the_test_only_one() -> None:
    result = emulator_cli("--help")
    assert result.returncode == 0
    for option in [
        "--host",
        "--port",
        "--db",
        "--rpm",
        "--latency-ms",
        "--fail-rate",
        "--ambiguous-rate",
        "--error-status",
        "--org",
        "--ready-file",
        "--seed",
    ]:
        assert option in result.stdout
    assert "--window-seconds" not in result.stdout
    assert "demo123" in result.stdout and "docs/emulator.md" in result.stdout


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("auth: {token_ttl_seconds: soon}\n", "auth.token_ttl_seconds"), ("a: [\n", "YAML")],
)
def test_bad_org_file_is_named_without_a_traceback(
    tmp_path: Path, text: str, fragment: str
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(text)
    result = emulator_cli("--org", str(org), "--port", "0")
    assert result.returncode == 2
    assert str(org) in result.stderr and fragment in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["not-sqlite", "missing-folder"])
def test_unusable_db_is_named_without_a_traceback(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "absent" / "x.sqlite3"
    if kind == "not-sqlite":
        db = tmp_path / "notes.txt"
        db.write_text("these are notes, not a database " * 10)
    result = emulator_cli("--db", str(db), "--port", "0")
    assert result.returncode == 2
    assert f"{db}: cannot open as SQLite" in result.stderr
    assert "Traceback" not in result.stderr


def test_busy_port_is_a_clear_error() -> None:
    with running_emulator() as emu:
        port = emu.url.rsplit(":", 1)[1]
        result = emulator_cli("--port", port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_ready_file_names_the_bound_port_and_stop_is_clean(tmp_path: Path) -> None:
    with running_emulator(db=tmp_path / "x.sqlite3") as emu:
        assert emu.url.startswith("http://127.0.0.1:") and not emu.url.endswith(":0")
        assert emu.request("GET", "/_emulator/health").status == 200
        process = emu.process
    assert process.returncode == 0  # SIGTERM is a clean stop
