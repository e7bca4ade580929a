"""An outage that cuts connections, played by a TCP proxy in front of the emulator (issue 19).

For 20 s the proxy refuses new connections and aborts the open ones, kept-alive included, at
1,200 RPM: once while rows are posting, once while rows whose answers were lost are looking
their customers up. Every customer must be created once, no row may fail, sending must resume
within the probe cap (30 s) of the API coming back, and the run must end within that of a run
without the outage. The outage starts on events (customers stored, a lookup on the wire); only
its length is a timed wait, since it is the fault itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import member_rows, rows_once, run_dir_of, write_csv
from tcp_proxy import TcpProxy

from importer.emulator import EmulatorProcess

ROWS = 300
RPM = 1200
OUTAGE = 20.0
PROBE_CAP = 30.0
#: a loaded machine's scheduling on top of the bounds (2 cores shared by many test runs)
SLACK = 5.0


def _wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came true")
        time.sleep(0.05)


def _timed(run: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[threading.Thread, dict]:
    result: dict[str, Any] = {}

    def go() -> None:
        began = time.monotonic()
        result["summary"] = run(*args, **kwargs)
        result["seconds"] = time.monotonic() - began

    thread = threading.Thread(target=go)
    thread.start()
    return thread, result


def _stored(emu: EmulatorProcess) -> int:
    return emu.stats()["customers_stored"]


@pytest.fixture(scope="module")
def baseline() -> dict[str, float]:
    return {}


def _no_outage_seconds(
    baseline: dict[str, float],
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
) -> float:
    """How long the same rows take without the outage (measured once per module)."""
    if "seconds" not in baseline:
        emu = start_emulator()
        source = write_csv(tmp_path / "base.csv", member_rows(ROWS, base=900_000))
        began = time.monotonic()
        summary = run(emu.url, source, rpm=RPM, out=tmp_path / "base")
        baseline["seconds"] = time.monotonic() - began
        assert summary.outcomes["created"] == ROWS
    return baseline["seconds"]


def _check(
    emu: EmulatorProcess,
    proxy: TcpProxy,
    result: dict,
    out: Path,
    no_outage: float,
) -> None:
    summary = result["summary"]
    customers = emu.customers()
    mobiles = [
        i["value"]
        for c in customers
        for a in c["accounts"]
        for i in a["identifiers"]
        if i["type"] == "mobile"
    ]
    assert len(customers) == ROWS and len(set(mobiles)) == ROWS  # every customer, once
    assert summary.outcomes["failed"] == 0, summary.codes
    # the emulator's lookups date each customer: a lost answer's row is proven created
    assert summary.outcomes["created"] == ROWS, summary.codes
    assert summary.exit_code == 0
    assert rows_once(run_dir_of(out, summary)) == list(range(2, ROWS + 2))
    assert proxy.restored_at is not None
    resumed = proxy.accepted_since(proxy.restored_at)
    assert resumed, "nothing was sent after the API came back"
    assert resumed[0] - proxy.restored_at <= PROBE_CAP + SLACK
    assert result["seconds"] <= no_outage + OUTAGE + PROBE_CAP + SLACK
    print(
        f"\nrun {result['seconds']:.1f} s (without the outage {no_outage:.1f} s); "
        f"sending resumed {resumed[0] - proxy.restored_at:.1f} s after the API came back"
    )


def test_an_outage_that_cuts_connections_while_rows_post(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
    baseline: dict[str, float],
) -> None:
    no_outage = _no_outage_seconds(baseline, start_emulator, run, tmp_path)
    emu = start_emulator()
    out = tmp_path / "out"
    source = write_csv(tmp_path / "in.csv", member_rows(ROWS))
    with TcpProxy(emu.url) as proxy:
        thread, result = _timed(run, proxy.url, source, rpm=RPM, outage_wait=120.0, out=out)
        _wait_for(lambda: _stored(emu) >= ROWS // 5)  # posting at full speed
        proxy.cut()
        time.sleep(OUTAGE)  # the outage itself
        proxy.restore()
        thread.join(180)
        assert not thread.is_alive(), "the run never ended"
    _check(emu, proxy, result, out, no_outage)


def test_an_outage_that_cuts_connections_while_rows_look_up(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
    baseline: dict[str, float],
) -> None:
    no_outage = _no_outage_seconds(baseline, start_emulator, run, tmp_path)
    # answers get lost after the customer was stored: those rows look their customer up
    emu = start_emulator("--ambiguous-rate", "0.3", "--seed", "19")
    out = tmp_path / "out"
    source = write_csv(tmp_path / "in.csv", member_rows(ROWS))
    with TcpProxy(emu.url, lookup_after=5, cut_on_lookup=True) as proxy:
        thread, result = _timed(run, proxy.url, source, rpm=RPM, outage_wait=120.0, out=out)
        assert proxy.lookup_seen.wait(120), "no row ever looked up"  # cut on its way
        time.sleep(OUTAGE)  # the outage itself
        proxy.restore()
        thread.join(180)
        assert not thread.is_alive(), "the run never ended"
    summary = result["summary"]
    assert summary.requests - ROWS > 0 and emu.stats()["lookups"]["found"] > 0
    _check(emu, proxy, result, out, no_outage)
