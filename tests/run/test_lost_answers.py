"""Lost answers told honestly: a customer that existed before the run is never this run's creation.

Customers exist before the run in the row's source (the add answers 8006) and in another source
(the add joins them, warning 8050); the emulator loses answers after storing the add and fails
some requests. The oracle is what the test created itself before the run, not the sender's
reasoning: a row whose customer pre-existed may be ``created`` only on the API's direct answer
(``createdId``, the 8050 join), never by inference from a lost answer; with lookups that carry
no creation time (as the real API's may not), every inference is ``reconciled``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import member_rows, read_report, run_dir_of, write_csv

from importer.emulator import EmulatorProcess
from importer.send import AiohttpTransport
from importer.send._auth import basic_header

AUTH = {"Authorization": basic_header("demo", "demo123")}
SAME, OTHER, NEW = range(3)  # what each row's customer was before the run, by row index % 3
ROWS = 90
LOST = "a request of this run lost its answer"


class WithoutCreationTimes(AiohttpTransport):
    """The real transport, with lookups that carry no creation time (as the real API's may)."""

    async def send(self, method: str, url: str, **kwargs: Any) -> Any:
        raw = await super().send(method, url, **kwargs)
        if method == "GET" and "/lookup" in url and raw.status == 200:
            body = json.loads(raw.body)
            body.pop("createdOnISO", None)
            raw = type(raw)(raw.status, raw.headers, json.dumps(body).encode())
        return raw


def _an_hour_ago() -> str:
    return (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")


def _precreate(emu: EmulatorProcess, source: str, mobile: str) -> int:
    body = {"profiles": [{"source": source, "identifiers": [{"type": "mobile", "value": mobile}]}]}
    answer = emu.request("POST", "/v2/customers", body, AUTH)
    assert answer.status == 200, answer.body
    return answer.body["createdId"]


@pytest.mark.parametrize("creation_times", [True, False])
def test_no_customer_that_existed_before_the_run_is_reported_as_created_by_it(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
    creation_times: bool,
) -> None:
    db = tmp_path / "emulator.sqlite3"
    rows = member_rows(ROWS, base=190_000)
    before = start_emulator(db=db)
    existed: dict[int, int] = {}  # row number -> the customer that existed before the run
    for i, (_, _, mobile) in enumerate(rows):
        if i % 3 == SAME:
            existed[i + 2] = _precreate(before, "INSTORE", mobile)
        elif i % 3 == OTHER:
            existed[i + 2] = _precreate(before, "WEBSITE", mobile)
    before.stop()
    # they existed long before the run (an hour): a creation time nobody could read as the run's
    with sqlite3.connect(db) as store:
        store.execute("UPDATE customers SET created_at = ?", (_an_hour_ago(),))
    emu = start_emulator("--ambiguous-rate", "0.4", "--fail-rate", "0.1", "--seed", "1919", db=db)
    transport = None if creation_times else WithoutCreationTimes(connections=16)
    summary = run(
        emu.url, write_csv(tmp_path / "in.csv", rows), max_failures=12, transport=transport
    )
    stats = emu.stats()
    assert sum(stats["ambiguous_answers"].values()) >= 10  # answers were lost, many rows over

    folder = run_dir_of(tmp_path / "out", summary)
    settled = {
        int(r["_row"]): r
        for name in ("success.csv", "duplicates.csv", "errors.csv")
        for r in read_report(folder / name)
    }
    assert sorted(settled) == list(range(2, ROWS + 2))
    assert summary.outcomes["failed"] == 0 and summary.outcomes["rejected"] == 0
    for number, row in settled.items():
        outcome, message = row["_outcome"], row["_message"]
        if number in existed:
            assert row["_created_id"] == str(existed[number]), row
            if outcome == "created":
                # only the API's own answer to a join (8050): no inference from a lost answer
                assert (number - 2) % 3 == OTHER and "8050" in row["_warnings"], row
                assert LOST not in message, row
            else:
                assert outcome in ("duplicate", "reconciled"), row
        elif outcome != "created":
            assert outcome == "reconciled" and LOST in message, row
        if outcome == "reconciled":
            assert message.startswith(
                "the API holds this customer; a request of this run lost its answer and may "
                "have created it"
            ), row
    reconciled = sum(1 for r in settled.values() if r["_outcome"] == "reconciled")
    assert summary.outcomes["reconciled"] == reconciled
    assert json.loads((folder / "summary.json").read_text())["outcomes"]["reconciled"] == (
        reconciled
    )
    if creation_times:  # every inference is proven one way or the other
        assert reconciled == 0
        assert all(settled[n]["_outcome"] == "duplicate" for n in existed if (n - 2) % 3 == SAME)
    else:
        assert reconciled > 0  # some lost answer was inferred, and said so
    # every customer once: those that existed, and one per new row
    customers = emu.customers()
    assert len(customers) == ROWS
    new_ids = {settled[n]["_created_id"] for n in settled if n not in existed}
    assert len(new_ids) == ROWS - len(existed) and not new_ids & {str(i) for i in existed.values()}
