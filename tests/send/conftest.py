"""Fixtures for the sending tests: a minimal mapping and in-process runs against an emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from send_helpers import BASIC, MAPPING

from importer._models import Summary
from importer._run import RunConfig, run_import


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
            "backoff_base": 0.05,
            "timeout": 5.0,
        }
        options.update(kwargs)
        return run_import(RunConfig(input=input, **options))

    return go
