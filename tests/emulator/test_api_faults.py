"""Rate limit and injected faults over a real socket."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from emulator_helpers import AUTH, add_body, error_codes, fresh_mobile, post_add

from importer.emulator import DEFAULT_OAUTH_KEY, DEFAULT_OAUTH_SECRET
from importer.emulator._app import Emulator
from importer.emulator._faults import TRANSIENT_STATUSES
from importer.emulator._org import Org
from importer.emulator._store import Store


def test_rpm_5_refuses_the_6th_add_with_retry_after(start_emulator) -> None:
    emu = start_emulator("--rpm", "5")
    answers = [post_add(emu, add_body(("mobile", fresh_mobile()))) for _ in range(8)]
    assert [a.status for a in answers] == [200] * 5 + [429] * 3
    assert error_codes(answers[5]) == [429]
    assert all(1 <= int(a.headers["retry-after"]) <= 60 for a in answers[5:])
    stats = emu.stats()
    assert (stats["rate_limited_429"], stats["adds_counted"], stats["max_adds_in_60s"]) == (3, 5, 5)
    assert stats["customers_created"] == 5


def test_rate_limit_counts_each_credential_apart(start_emulator) -> None:
    emu = start_emulator("--rpm", "2")
    token = emu.request(
        "POST",
        "/v3/oauth/token/generate",
        {"key": DEFAULT_OAUTH_KEY, "secret": DEFAULT_OAUTH_SECRET},
    ).body["data"]["accessToken"]
    oauth = {"X-CAP-API-OAUTH-TOKEN": token}
    statuses = [
        post_add(emu, add_body(("mobile", fresh_mobile())), h).status
        for h in (AUTH, AUTH, oauth, oauth, AUTH, oauth)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert emu.stats()["max_adds_in_60s"] == 4  # the peak is over every credential


def test_rate_limited_rejects_and_faults_still_count_as_adds(start_emulator) -> None:
    emu = start_emulator("--rpm", "3", "--fail-rate", "1")
    statuses = [post_add(emu, add_body(("mobile", "1"))).status for _ in range(4)]
    assert all(s in TRANSIENT_STATUSES for s in statuses[:3]) and statuses[3] == 429


def test_a_short_window_frees_slots(start_emulator) -> None:
    emu = start_emulator("--rpm", "1", "--window-seconds", "0.3")
    assert post_add(emu, add_body(("mobile", fresh_mobile()))).status == 200
    refused = post_add(emu, add_body(("mobile", fresh_mobile())))
    assert (refused.status, refused.headers["retry-after"]) == (429, "1")
    time.sleep(0.35)  # only to let the 0.3 s window pass; the exact timing is tested below
    assert post_add(emu, add_body(("mobile", fresh_mobile()))).status == 200


async def test_the_window_slides_with_the_clock(tmp_path: Path) -> None:
    now = [1000.0]
    store = Store(tmp_path / "clock.sqlite3")
    emulator = Emulator(Org(), store, rpm=2, clock=lambda: now[0])
    server = TestServer(emulator.app())
    await server.start_server()
    try:
        async with aiohttp.ClientSession(headers=AUTH) as http:

            async def add(at: float) -> tuple[int, str | None]:
                now[0] = at
                body = add_body(("mobile", fresh_mobile()))
                async with http.post(server.make_url("/v2/customers"), json=body) as response:
                    return response.status, response.headers.get("Retry-After")

            assert await add(1000.0) == (200, None)
            assert await add(1030.0) == (200, None)
            assert await add(1030.5) == (429, "30")  # 29.5 s until the first leaves, rounded up
            assert await add(1059.99) == (429, "1")
            assert await add(1060.0) == (200, None)
            assert await add(1061.0) == (429, "29")
            assert await add(1090.0) == (200, None)
        assert emulator.stats.as_json(emulator.peak, store)["max_adds_in_60s"] == 2
    finally:
        await server.close()
        store.close()


def test_fail_rate_1_answers_transient_statuses_and_creates_nothing(start_emulator) -> None:
    emu = start_emulator("--fail-rate", "1", "--seed", "4")
    answers = [post_add(emu, add_body(("mobile", fresh_mobile()))) for _ in range(30)]
    assert {a.status for a in answers} <= set(TRANSIENT_STATUSES)
    assert len({a.status for a in answers}) >= 3  # a spread, not one status
    assert all(error_codes(a) == [a.status] for a in answers)
    assert emu.customers() == []
    stats = emu.stats()
    assert stats["faults_injected_total"] == 30 and stats["customers_created"] == 0
    assert sum(stats["faults_injected"].values()) == 30


def test_ambiguous_rate_1_stores_but_loses_every_answer(start_emulator) -> None:
    emu = start_emulator("--ambiguous-rate", "1", "--seed", "2")
    mobiles = [fresh_mobile() for _ in range(12)]
    seen = []
    for mobile in mobiles:
        try:
            seen.append(post_add(emu, add_body(("mobile", mobile))).status)
        except (http.client.RemoteDisconnected, ConnectionError, urllib.error.URLError):
            seen.append("dropped")
    assert set(seen) == {504, "dropped"}
    for mobile in mobiles:
        found = emu.request(
            "GET",
            f"/v2/customers/lookup?source=INSTORE&identifierName=mobile&identifierValue={mobile}",
            headers=AUTH,
        )
        assert found.status == 200 and found.body["warnings"] == []
    stats = emu.stats()
    assert stats["customers_created"] == 12
    assert stats["ambiguous_answers"] == {"504": seen.count(504), "dropped": seen.count("dropped")}


def test_a_seed_replays_the_same_faults(start_emulator) -> None:
    runs = []
    for _ in range(2):
        emu = start_emulator("--fail-rate", "0.5", "--seed", "11")
        runs.append([post_add(emu, add_body(("mobile", "1"))).status for _ in range(20)])
    assert runs[0] == runs[1]
    assert {200, 400} & set(runs[0]) and set(runs[0]) - {400}


def test_latency_delays_the_answer_not_the_add(start_emulator) -> None:
    emu = start_emulator("--latency-ms", "3000")
    mobile = fresh_mobile()
    answered = threading.Event()

    def send() -> None:
        post_add(emu, add_body(("mobile", mobile)))
        answered.set()

    threading.Thread(target=send, daemon=True).start()
    deadline = time.monotonic() + 10
    while not emu.customers() and time.monotonic() < deadline:
        time.sleep(0.02)
    # stored and counted while the client still waits for its answer
    assert emu.customers() and not answered.is_set()
    assert emu.stats()["adds_counted"] == 1
    assert answered.wait(10)


@pytest.mark.parametrize("args", [["--fail-rate", "1.5"], ["--latency-ms", "9-1"], ["--rpm", "0"]])
def test_bad_fault_options_are_usage_errors(start_emulator, args: list[str]) -> None:
    with pytest.raises(RuntimeError, match="exited with 2") as caught:
        start_emulator(*args)
    assert "Traceback" not in str(caught.value)
