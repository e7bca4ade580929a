"""``importer init`` on platform-like exports nobody here shaped the draft for: the unedited
draft, run against the emulator, stores no wrong mobile, e-mail, name or consent and creates at
least 97% of the customers a valid mobile or e-mail identifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from exports_helpers import compare, pos, shopify
from init_helpers import init
from runs_helpers import BASIC

from importer.run._config import RunConfig
from importer.run._run import run_import


def _run(tmp_path: Path, emu, input: Path) -> tuple[str, list]:
    draft = tmp_path / "draft.yaml"
    init(input, draft)
    run_import(
        RunConfig(input=input, mapping=draft, base_url=emu.url, rpm=0, out=tmp_path / "out",
                  env=BASIC, progress=False)
    )  # fmt: skip
    return draft.read_text(encoding="utf-8"), emu.customers()


@pytest.mark.parametrize("layout", [shopify, pos])
def test_the_unedited_draft_stores_only_right_values(
    tmp_path: Path, start_emulator, layout
) -> None:
    emu = start_emulator()
    input = tmp_path / f"{layout.__name__}.csv"
    truths = layout(input)
    text, customers = _run(tmp_path, emu, input)
    wrong, created = compare(truths, customers)
    assert not wrong, (wrong[:10], text)
    assert created >= 0.97, (created, text)
