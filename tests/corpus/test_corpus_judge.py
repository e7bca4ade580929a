"""The judge itself, on stored customers made up by hand: each kind of wrong is caught, what
is only missing is counted lost, and a customer stored by any of its ids is its person."""

from __future__ import annotations

from typing import Any

import corpus_oracle as oracle
from corpus_harness import judge
from corpus_write import Layout

ANNA = oracle.Expected(
    0, "4915112345678", "anna@example.de", "Anna", "Berg",
    sms=oracle.said(True), mail=oracle.opted_out(False), external_id="A1",
    also_ids=frozenset({"anna-7"}), numbers=frozenset({"4915112345678", "493012345678"}),
)  # fmt: skip
BUDI = oracle.Expected(1, None, "budi@example.id", "Budi", "Santoso", external_id="B2")
LAYOUT = Layout("made-up", "x.csv", ["a"], [["1"], ["2"]], [ANNA, BUDI])


def customer(first=None, last=None, ids=(), channels=()) -> dict[str, Any]:
    return {
        "firstName": first,
        "lastName": last,
        "accounts": [
            {
                "identifiers": [{"type": t, "value": v} for t, v in ids],
                "commChannels": [{"type": t, "value": v, "subscribed": s} for t, v, s in channels],
            }
        ],
    }


def test_right_values_are_ok_and_missing_ones_lost() -> None:
    stored = [
        customer("ANNA", "Berg", [("mobile", "4915112345678"), ("externalId", "anna-7")],
                 [("mobile", "4915112345678", None)]),
        customer("Budi", None, [("email", "BUDI@example.id")],
                 [("email", "budi@example.id", None)]),
    ]  # fmt: skip
    verdict = judge(LAYOUT, stored)
    assert verdict.wrong_total == 0 and verdict.created == 2 and verdict.passes
    # Anna's e-mail and SMS consent, Budi's last name: not stored, not wrong
    assert verdict.lost == {"email": 1, "sms": 1, "last": 1}
    assert judge(LAYOUT, stored[:1]).share == 0.5  # Budi not created


def test_each_kind_of_wrong_is_counted() -> None:
    stored = [
        # the landline as the mobile, a title as the first name, an unknown id
        customer("Dr.", "Berg", [("mobile", "493012345678"), ("email", "anna@example.de"),
                                 ("externalId", "455.80")],
                 [("mobile", "493012345678", False), ("email", "anna@example.de", False)]),
        customer("Budi", "Santoso", [("email", "budi@example.id")]),
        customer("Budi", "Santoso", [("externalId", "B2")]),  # the same person again
        customer("Ghost", None, [("mobile", "4917699999999")]),  # nobody's
    ]  # fmt: skip
    verdict = judge(LAYOUT, stored)
    assert verdict.wrong == {
        "mobile": 1, "first": 1, "id": 1, "sms": 1, "mail": 1, "duplicate": 1, "phantom": 1,
    }  # fmt: skip
    assert not verdict.passes
