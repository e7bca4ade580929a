"""The journal: what a new run of the same job does with each row it finds there."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer._models import Outcome, Settlement
from importer.record._journal import (
    IN_FLIGHT,
    LOOKUP,
    SEND,
    SKIP,
    Journal,
    decide,
    payload_digest,
)


def test_digest_ignores_key_order_but_not_content() -> None:
    a = payload_digest({"x": 1, "y": [1, 2]})
    assert a == payload_digest({"y": [1, 2], "x": 1})
    assert a != payload_digest({"x": 1, "y": [2, 1]})


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    with Journal(tmp_path / "job" / "journal.sqlite") as j:
        yield j


def test_states_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.in_flight(2, "d2", "run1", 1)
        j.in_flight(3, "d3", "run1", 1)
        j.settle(Settlement(3, Outcome.CREATED, created_id=77, attempts=1), "d3", "run1")
    with Journal(path) as j:
        assert j.get(2).state == IN_FLIGHT
        entry = j.get(3)
        assert (entry.outcome, entry.created_id, entry.run) == (Outcome.CREATED, 77, "run1")
        assert j.get(4) is None
        assert j.counts() == {"in_flight": 1, "created": 1}


@pytest.mark.parametrize(
    ("outcome", "local", "same_payload", "expected"),
    [
        (Outcome.CREATED, False, True, SKIP),
        (Outcome.CREATED, False, False, SKIP),
        (Outcome.DUPLICATE, False, False, SKIP),
        (Outcome.REJECTED, False, True, SKIP),
        (Outcome.REJECTED, False, False, SEND),  # fixed by hand: send the new payload
        (Outcome.REJECTED, True, True, SEND),  # local rejections are validated again
        (Outcome.DUPLICATE, True, True, SEND),  # so are duplicates within the input
        (Outcome.FAILED, False, True, SEND),
    ],
)
def test_decide_for_settled_rows(
    journal: Journal, outcome: Outcome, local: bool, same_payload: bool, expected: str
) -> None:
    journal.settle(Settlement(5, outcome, attempts=1), "old", "run1", local=local)
    assert decide(journal.get(5), "old" if same_payload else "new") == expected


def test_unknown_rows_are_sent(journal: Journal) -> None:
    assert decide(journal.get(9), "d") == SEND


def test_in_flight_rows_are_looked_up_first(journal: Journal) -> None:
    journal.in_flight(5, "d", "run1", 1)
    assert decide(journal.get(5), "d") == LOOKUP


def test_a_failed_row_whose_attempt_was_ambiguous_is_looked_up_first(journal: Journal) -> None:
    journal.in_flight(5, "d", "run1", 1)
    journal.ambiguous(5, "req-1")
    journal.settle(Settlement(5, Outcome.FAILED, attempts=4), "d", "run1")
    entry = journal.get(5)
    assert entry.ambiguous
    assert decide(entry, "d") == LOOKUP


def test_not_sent_returns_a_row_to_pending(journal: Journal) -> None:
    journal.in_flight(5, "d", "run1", 1)
    journal.not_sent(5, "d", "run1")
    assert decide(journal.get(5), "d") == SEND
