"""Fixtures every test folder may use: a running emulator, a minimal mapping, in-process runs."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import BASIC, MAPPING

from importer._models import Summary
from importer.emulator import EmulatorProcess, running_emulator
from importer.run._config import RunConfig
from importer.run._run import run_import
from importer.send import Policy

POLICY_FIELDS = {f.name for f in fields(Policy)}

# The ledgers' keys of every test, and of every process a test starts, go to a folder of the
# session: never into the user's own key file (``importer.record._keys``).
_KEYS = tempfile.mkdtemp(prefix="importer-test-keys-")
atexit.register(shutil.rmtree, _KEYS, True)
os.environ["IMPORTER_KEY_FILE"] = os.path.join(_KEYS, "ledger.keys")


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One default emulator for the whole session: reset it or use unique identifiers."""
    with running_emulator() as emu:
        yield emu


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., EmulatorProcess]]:
    """Start emulators with given arguments (``start(*args, db=path)``); stopped after the test."""
    with ExitStack() as stack:

        def start(*args: str, db: Path | None = None) -> EmulatorProcess:
            return stack.enter_context(running_emulator(*args, db=db))

        yield start


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path: Path, mapping: Path) -> Callable[..., Summary]:
    """Run an import in-process (``run(url, input, **RunConfig fields)``)."""

    def go(url: str, input: Path, **kwargs: Any) -> Summary:
        options: dict[str, Any] = {
            "mapping": mapping,
            "base_url": url,
            "rpm": 0,
            "out": tmp_path / "out",
            "env": BASIC,
            "progress": False,
            "timeout": 5.0,
        }
        # the Policy's fields (max_failures, outage_wait...) may be given alone: they go in it
        tried = {k: kwargs.pop(k) for k in list(kwargs) if k in POLICY_FIELDS}
        options["policy"] = Policy(**{"backoff_base": 0.05, **tried})
        options.update(kwargs)
        return run_import(RunConfig(input=input, **options))

    return go


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (dedented) or bytes to a file in tmp_path and return its path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding=encoding)
        return path

    return write
