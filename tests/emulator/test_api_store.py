"""State over a real socket: concurrency, restarts, lookups and the /_emulator/ endpoints."""

from __future__ import annotations

import collections
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest.mock import ANY

import pytest
from emulator_helpers import AUTH, add_body, error_codes, fresh_mobile, post_add

from importer.emulator import EmulatorProcess, running_emulator


def lookup(emu: EmulatorProcess, query: str, headers: dict[str, str] = AUTH):
    return emu.request("GET", f"/v2/customers/lookup?{query}", headers=headers)


def test_50_parallel_adds_of_one_mobile_create_one_customer(fresh: EmulatorProcess) -> None:
    mobile = fresh_mobile()
    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: post_add(fresh, add_body(("mobile", mobile))), range(50)))
    statuses = collections.Counter(a.status for a in answers)
    assert statuses == {200: 1, 400: 49}
    (winner,) = [a.body["createdId"] for a in answers if a.status == 200]
    assert {a.body["errors"][0]["message"] for a in answers if a.status == 400} == {
        f"Add failed, Customer already exists with id {winner} for same source"
    }
    assert [c["id"] for c in fresh.customers()] == [winner]
    assert fresh.stats()["adds_by_identifier_conflict"]["same_source_8006"] == 49


def test_a_restart_with_the_same_db_keeps_customers(tmp_path: Path) -> None:
    db = tmp_path / "keep.sqlite3"
    mobiles = [fresh_mobile() for _ in range(3)]
    with running_emulator(db=db) as first:
        ids = [post_add(first, add_body(("mobile", m))).body["createdId"] for m in mobiles]
        before = first.customers()
    with running_emulator(db=db) as second:
        assert second.db_path == db
        assert second.customers() == before
        again = post_add(second, add_body(("mobile", mobiles[0])))
        assert error_codes(again) == [8006]
        assert str(ids[0]) in again.body["errors"][0]["message"]
        newer = post_add(second, add_body(("mobile", fresh_mobile()))).body["createdId"]
        assert newer > max(ids)
        found = lookup(second, f"source=INSTORE&identifierName=mobile&identifierValue={mobiles[2]}")
        created = {c["id"]: c["createdAt"] for c in second.customers()}
        assert found.body == {"entity": ids[2], "createdOnISO": created[ids[2]], "warnings": []}


def test_lookup_finds_a_registered_identifier(emulator: EmulatorProcess) -> None:
    mobile, email = fresh_mobile(), f"{fresh_mobile()}@Example.com"
    body = add_body(("mobile", mobile), ("email", email), source="LINE", profile={"accountId": "7"})
    customer_id = post_add(emulator, body).body["createdId"]
    for query in [
        f"source=LINE&identifierName=mobile&identifierValue={mobile}",
        f"source=LINE&identifierName=mobile&identifierValue={mobile}&accountId=7",
        f"source=LINE&identifierName=email&identifierValue={email.lower()}",
    ]:
        answer = lookup(emulator, query)
        assert answer.status == 200
        assert answer.body == {"entity": customer_id, "createdOnISO": ANY, "warnings": []}
        # the customer's creation time, as the emulator's own customer list has it
        (customer,) = [c for c in emulator.customers() if c["id"] == customer_id]
        assert answer.body["createdOnISO"] == customer["createdAt"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("source=INSTORE&identifierName=mobile&identifierValue={m}", 8015),
        ("source=LINE&identifierName=mobile&identifierValue={m}&accountId=8", 8015),
        ("source=WEBSITE&identifierName=mobile&identifierValue={r}", 8015),
        ("source=SHOP&identifierName=mobile&identifierValue={r}", 3217),
        ("identifierName=mobile&identifierValue={r}", 8004),
        ("source=LINE&identifierName=mobile", 8005),
    ],
    ids=["never-added", "other-account", "other-source", "bad-source", "no-source", "no-value"],
)
def test_lookup_errors(emulator: EmulatorProcess, query: str, code: int) -> None:
    registered = fresh_mobile()
    post_add(emulator, add_body(("mobile", registered), source="LINE", profile={"accountId": "7"}))
    answer = lookup(emulator, query.format(m=fresh_mobile(), r=registered))
    assert (answer.status, error_codes(answer)) == (400, [code])


def test_lookups_do_not_count_as_adds(start_emulator) -> None:
    emu = start_emulator("--rpm", "1")
    for _ in range(5):
        lookup(emu, f"source=INSTORE&identifierName=mobile&identifierValue={fresh_mobile()}")
    assert post_add(emu, add_body(("mobile", fresh_mobile()))).status == 200
    assert emu.stats()["adds_counted"] == 1


def test_customers_pages_with_limit_and_offset(fresh: EmulatorProcess) -> None:
    ids = [
        post_add(fresh, add_body(("mobile", fresh_mobile()))).body["createdId"] for _ in range(5)
    ]
    page = fresh.request("GET", "/_emulator/customers?limit=2&offset=1").body
    assert [c["id"] for c in page["customers"]] == ids[1:3]
    assert page["total"] == 5
    assert [c["id"] for c in fresh.customers()] == ids


@pytest.mark.parametrize(
    "query",
    [
        "limit=x",
        "limit=-1",
        "offset=-2",
        "offset=1.5",
        "limit=1_0",
        f"limit={2**63}",
        "offset=99999999999999999999999",
    ],
)
def test_customers_refuses_bad_paging(emulator: EmulatorProcess, query: str) -> None:
    answer = emulator.request("GET", f"/_emulator/customers?{query}")
    assert (answer.status, error_codes(answer)) == (400, [400])


def test_customers_pages_up_to_64_bits(emulator: EmulatorProcess) -> None:
    answer = emulator.request("GET", f"/_emulator/customers?limit={2**63 - 1}&offset={2**63 - 1}")
    assert (answer.status, answer.body["customers"]) == (200, [])


def test_stats_count_what_happened(fresh: EmulatorProcess) -> None:
    mobile = fresh_mobile()
    post_add(fresh, add_body(("mobile", mobile)))
    post_add(fresh, add_body(("mobile", mobile)))
    post_add(fresh, add_body(("mobile", mobile), source="LINE"))
    post_add(fresh, add_body(("mobile", "1")))
    post_add(fresh, add_body(("mobile", fresh_mobile())), headers={})
    lookup(fresh, f"source=INSTORE&identifierName=mobile&identifierValue={mobile}")
    stats = fresh.stats()
    assert stats["requests_by_path"] == {"/v2/customers": 5, "/v2/customers/lookup": 1}
    assert (stats["adds_attempted"], stats["adds_counted"]) == (5, 4)
    assert (stats["customers_created"], stats["adds_combined_8050"]) == (1, 1)
    assert stats["adds_rejected_by_code"] == {"8006": 1, "8014": 1}
    assert stats["adds_by_identifier_conflict"]["same_source_8006"] == 1
    assert stats["auth_refused"] == {"401": 1}
    assert stats["lookups"] == {"found": 1}
    assert stats["max_adds_in_60s"] == 4
    assert stats["customers_stored"] == 1


def test_reset_forgets_customers_and_stats(emulator: EmulatorProcess) -> None:
    post_add(emulator, add_body(("mobile", fresh_mobile())))
    emulator.reset()
    assert emulator.customers() == []
    stats = emulator.stats()
    assert (stats["adds_attempted"], stats["max_adds_in_60s"]) == (0, 0)


def test_health(emulator: EmulatorProcess) -> None:
    answer = emulator.request("GET", "/_emulator/health")
    assert (answer.status, answer.body) == (200, {"status": "ok"})
