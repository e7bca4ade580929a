"""The test harness: stop and start again on the same port and database, as in an outage."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
from pathlib import Path

import pytest
from emulator_helpers import AUTH, add_body, created, error_codes, fresh_mobile, post_add

from importer.emulator import running_emulator


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_restart_keeps_the_url_and_the_customers() -> None:
    with running_emulator("--rpm", "1000") as emu:
        url, first_pid = emu.url, emu.process.pid
        mobile = fresh_mobile()
        customer_id = created(post_add(emu, add_body(("mobile", mobile))))
        before = emu.customers()
        emu.restart()
        assert (emu.url, emu.port) == (url, int(url.rsplit(":", 1)[1]))
        assert emu.process.pid != first_pid and emu.process.poll() is None
        assert emu.customers() == before
        again = post_add(emu, add_body(("mobile", mobile)))
        assert (
            error_codes(again) == [8006] and str(customer_id) in again.body["errors"][0]["message"]
        )
        stats = emu.stats()  # a new process: counters start afresh
        assert (stats["adds_attempted"], stats["customers_stored"]) == (1, 1)


def test_while_stopped_the_url_refuses_connections_and_start_brings_it_back(
    tmp_path: Path,
) -> None:
    db = tmp_path / "outage.sqlite3"
    with running_emulator(db=db) as emu:
        customer_id = created(post_add(emu, add_body(("mobile", fresh_mobile()))))
        emu.stop()
        with pytest.raises(urllib.error.URLError):
            emu.request("GET", "/_emulator/health", timeout=2)
        emu.start()
        assert emu.db_path == db
        assert [c["id"] for c in emu.customers()] == [customer_id]
        with pytest.raises(RuntimeError, match="still running"):
            emu.start()


def test_a_fixed_port_is_used_from_the_first_start() -> None:
    port = free_port()
    with running_emulator(port=port) as emu:
        assert emu.url == f"http://127.0.0.1:{port}"
        emu.restart()
        assert emu.request("GET", "/_emulator/health").status == 200


def test_a_client_mid_run_reconnects_to_the_same_url_after_an_outage() -> None:
    """Adds keep coming while the emulator is down for a second; each ends up stored once."""
    mobiles = [fresh_mobile() for _ in range(150)]
    outcomes: list[list[int]] = []
    failed_attempts = 0
    with running_emulator() as emu:

        def client() -> None:
            nonlocal failed_attempts
            for mobile in mobiles:
                while True:  # retry what got no answer, as the importer does
                    try:
                        body = add_body(("mobile", mobile))
                        answer = emu.request("POST", "/v2/customers", body, AUTH, timeout=5)
                    except (urllib.error.URLError, http.client.HTTPException, OSError):
                        failed_attempts += 1
                        time.sleep(0.05)
                        continue
                    outcomes.append([] if answer.status == 200 else error_codes(answer))
                    break
                time.sleep(0.01)  # paced, so the run is still going when the outage starts

        worker = threading.Thread(target=client)
        worker.start()
        deadline = time.monotonic() + 30
        while len(outcomes) < 10 and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(outcomes) >= 10, "the client stopped before the outage"
        emu.restart(downtime=1.0)
        worker.join(60)
        assert not worker.is_alive()
        stored = [
            i["value"] for c in emu.customers() for a in c["accounts"] for i in a["identifiers"]
        ]
    assert failed_attempts > 0  # the client did see the outage
    assert len(outcomes) == len(mobiles)
    assert sorted(stored) == sorted(mobiles)
    # an add cut off mid-answer comes back as 8006 on its retry: stored once either way
    assert all(codes in ([], [8006]) for codes in outcomes)
