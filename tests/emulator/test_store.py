"""The SQLite store directly: pending adds, commit, rollback and reopening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from importer.emulator import _rules as rules
from importer.emulator._org import Org
from importer.emulator._store import FIRST_ID, Store


def registration(*identifiers: tuple[str, str], source: str = "INSTORE") -> rules.Registration:
    profile = {"source": source, "identifiers": [{"type": t, "value": v} for t, v in identifiers]}
    return rules.check({"profiles": [profile]}, Org())


@pytest.fixture
def store(tmp_path: Path):
    store = Store(tmp_path / "s.sqlite3")
    yield store
    store.close()


def test_pending_adds_are_seen_by_plans_before_the_commit(store: Store) -> None:
    reg = registration(("mobile", "919988221100"))
    first = store.add(reg, store.plan(reg), {}, commit=False)
    assert store.plan(reg).refuse.code == rules.ALREADY_EXISTS
    other = registration(("mobile", "919988221100"), source="LINE")
    assert store.plan(other).join == first
    store.commit()
    assert store.count() == 1


def test_rollback_forgets_pending_adds_and_their_ids(store: Store) -> None:
    reg = registration(("mobile", "919988221100"))
    store.add(reg, store.plan(reg), {}, commit=False)
    store.rollback()
    assert (store.count(), store.next_id) == (0, FIRST_ID)


def test_a_taken_identifier_stores_nothing_of_the_add(store: Store) -> None:
    reg = registration(("mobile", "919988221100"))
    store.add(reg, store.plan(reg), {})
    clash = registration(("email", "a@b.co"), ("mobile", "919988221100"))
    with pytest.raises(sqlite3.IntegrityError):
        store.add(clash, rules.Plan(), {})  # a stale plan that missed the owner
    assert store.count() == 1
    assert store.lookup("INSTORE", "email", "a@b.co", None) is None
    assert store.next_id == FIRST_ID + 1


def test_closing_commits_and_reopening_continues_the_ids(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    reg = registration(("mobile", "919988221100"))
    store.add(reg, store.plan(reg), {}, commit=False)
    store.close()
    again = Store(path)
    try:
        assert again.lookup("INSTORE", "mobile", "919988221100", None) == FIRST_ID
        assert again.next_id == FIRST_ID + 1
    finally:
        again.close()
