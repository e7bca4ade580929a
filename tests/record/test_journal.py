"""The journal: what a new run of the same job does with each row it finds there, by content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from importer._models import Outcome, Settlement
from importer.record._journal import (
    EARLIER,
    IN_FLIGHT,
    LOOKUP,
    SEND,
    Journal,
    content_digest,
    decide,
    payload_digest,
    settled_by_api,
)


def test_digest_ignores_key_order_but_not_content() -> None:
    a = payload_digest({"x": 1, "y": [1, 2]})
    assert a == payload_digest({"y": [1, 2], "x": 1})
    assert a != payload_digest({"x": 1, "y": [2, 1]})


def test_content_digest_is_the_cells_as_read() -> None:
    row = {"member_id": "007", "mobile": "919988221100"}
    assert content_digest(row) == content_digest(dict(reversed(row.items())))
    assert content_digest(row) != content_digest({**row, "member_id": "7"})  # as read: no guess
    assert content_digest(row) != content_digest({**row, "note": ""})  # another column


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    with Journal(tmp_path / "job" / "journal.sqlite") as j:
        yield j


def test_states_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.in_flight("d2", 2, "p2", "run1", 1)
        j.in_flight("d3", 3, "p3", "run1", 1)
        created = Settlement(3, Outcome.CREATED, created_id=77, attempts=1, warnings=[{"code": 1}])
        j.settle("d3", "p3", created, "run1")
    with Journal(path) as j:
        assert j.get("d2").state == IN_FLIGHT
        entry = j.get("d3")
        assert (entry.outcome, entry.created_id, entry.run, entry.row) == (
            Outcome.CREATED,
            77,
            "run1",
            3,
        )
        assert entry.settlement(9) == Settlement(
            9, Outcome.CREATED, created_id=77, attempts=1, warnings=[{"code": 1}]
        )
        assert j.get("d4") is None
        assert j.counts() == {"in_flight": 1, "created": 1}


@pytest.mark.parametrize(
    ("outcome", "same_payload", "expected"),
    [
        (Outcome.CREATED, True, EARLIER),
        (Outcome.CREATED, False, EARLIER),  # the customer exists, whatever the mapping says now
        (Outcome.DUPLICATE, False, EARLIER),
        (Outcome.REJECTED, True, EARLIER),  # the API refused this very body
        (Outcome.REJECTED, False, SEND),  # the mapping changed: send the new body
        (Outcome.FAILED, True, SEND),
    ],
)
def test_decide_for_settled_content(
    journal: Journal, outcome: Outcome, same_payload: bool, expected: str
) -> None:
    journal.settle("d", "old", Settlement(5, outcome, attempts=1), "run1")
    assert decide(journal.get("d"), "old" if same_payload else "new") == expected
    assert settled_by_api(journal.get("d")) is (outcome in (Outcome.CREATED, Outcome.DUPLICATE))


def test_unknown_content_is_sent_whatever_its_row_number(journal: Journal) -> None:
    journal.settle("night-1", "p", Settlement(2, Outcome.CREATED, created_id=1), "run1")
    # the same row number with other cells (tomorrow's file, same name) is new work
    assert journal.get("night-2") is None
    assert decide(journal.get("night-2"), "p") == SEND


def test_in_flight_rows_are_looked_up_first(journal: Journal) -> None:
    journal.in_flight("d", 5, "p", "run1", 1)
    assert decide(journal.get("d"), "p") == LOOKUP


def test_a_failed_row_whose_attempt_was_ambiguous_is_looked_up_first(journal: Journal) -> None:
    journal.in_flight("d", 5, "p", "run1", 1)
    journal.ambiguous("d", "req-1")
    journal.settle("d", "p", Settlement(5, Outcome.FAILED, attempts=4), "run1")
    entry = journal.get("d")
    assert entry.ambiguous
    assert decide(entry, "p") == LOOKUP


def test_not_sent_returns_a_row_to_pending(journal: Journal) -> None:
    journal.in_flight("d", 5, "p", "run1", 1)
    journal.not_sent("d")
    assert decide(journal.get("d"), "p") == SEND


def test_last_input_skips_reruns_and_the_run_itself(journal: Journal) -> None:
    journal.begin_run("20260101T000000Z", "drop/signups.csv", "sha256:a")
    journal.begin_run("20260101T010000Z", "out/x/errors.csv", "sha256:b", rerun=True)
    journal.begin_run("20260102T000000Z", "drop/signups.csv", "sha256:c")
    last = journal.last_input("20260102T000000Z")
    assert (last.run, last.fingerprint) == ("20260101T000000Z", "sha256:a")
    assert journal.last_input("20260101T000000Z") is None


def test_a_journal_of_the_earlier_layout_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE runs (run TEXT PRIMARY KEY, input TEXT, started_at TEXT,"
        " finished_at TEXT, exit_code INTEGER);"
        "CREATE TABLE rows (row INTEGER PRIMARY KEY, digest TEXT);"
        "INSERT INTO runs (run, input) VALUES ('20250101T000000Z', 'a.csv');"
    )
    db.close()
    with Journal(path) as j:
        j.begin_run("20260101T000000Z", "a.csv", "sha256:x")
        assert j.last_input("20260101T000000Z").fingerprint is None


def test_the_first_request_that_may_have_created_a_row_keeps_its_time(tmp_path: Path) -> None:
    # an entries table of the layout before first_sent: the column is added on open
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        pass
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE entries DROP COLUMN first_sent")
    db.commit()
    db.close()
    with Journal(path) as j:
        j.in_flight("d", 2, "p", "run1", 1)
        first = j.get("d").first_sent
        assert first is not None
        j.ambiguous("d")  # that request lost its answer: it may have created the customer
        j.settle("d", "p", Settlement(2, Outcome.FAILED, attempts=1), "run1")
        j.in_flight("d", 2, "p", "run2", 1)
        assert j.get("d").first_sent == first  # still the request that may have created it
        j.in_flight("e", 3, "p", "run1", 1)
        j.settle("e", "p", Settlement(3, Outcome.FAILED, code="503", attempts=6), "run1")
    db = sqlite3.connect(path)
    db.execute("UPDATE entries SET first_sent = 1.0 WHERE digest = 'e'")  # long ago
    db.commit()
    db.close()
    with Journal(path) as j:
        j.in_flight("e", 3, "p", "run2", 1)
        assert j.get("e").first_sent > 1.0  # every earlier request was answered: a new start
