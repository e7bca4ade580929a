"""Every corpus layout, drafted by ``importer init`` and run unedited against the emulator.

Per layout: 0 customers stored with a wrong mobile, e-mail, first or last name, consent or id
(and no phantom or duplicate customer), and at least 97% of the customers the oracle calls
identifiable (a valid e-mail or mobile) created. A layout the drafts do not pass yet is marked
``xfail(strict=True)`` with what was measured, so the suite stays green and a fix shows as an
XPASS that fails until its mark is removed. ``pytest -s`` prints each layout's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_harness import check
from corpus_layouts import LAYOUTS

#: layouts today's drafts get wrong, with what was measured (see README.md for the table)
XFAIL: dict[str, str] = {}


def _param(name: str):
    marks = [pytest.mark.xfail(strict=True, reason=XFAIL[name])] if name in XFAIL else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_param(name) for name in LAYOUTS])
def test_the_unedited_draft_stores_right_values(name: str, tmp_path: Path, corpus_emulator) -> None:
    layout = LAYOUTS[name]()
    verdict = check(layout, tmp_path, corpus_emulator)
    print("\n" + verdict.line())
    assert verdict.wrong_total == 0, "\n".join([verdict.line(), *verdict.examples])
    assert verdict.passes, "\n".join([verdict.line(), str(verdict.outcomes)])
