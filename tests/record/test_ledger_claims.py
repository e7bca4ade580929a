"""The ledger's claims between jobs: one job claims each customer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from importer._models import IdentityKey
from importer.record._ledger import Claim, Ledger, Posting

URL = "http://127.0.0.1:1"
KEYS = [IdentityKey("INSTORE", "", "mobile", "919988221100")]


def test_the_first_claim_wins_and_the_other_job_sees_it(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite") as a, Ledger(tmp_path / "l.sqlite") as b:
        assert a.claim(URL, KEYS, "a", 42) is None  # a's now
        assert a.claim(URL, KEYS, "a", 42) is None  # asking again changes nothing
        assert b.claim(URL, KEYS, "b", 42) == Claim("a", 42)


def test_a_registration_beats_an_8006_sighting(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.remember(URL, KEYS, customer_id=42, reason="8006", job="b")
        ledger.remember(URL, KEYS, customer_id=42, reason="created", job="a")
        assert ledger.claim(URL, KEYS, "b", 42) == Claim("a", 42)


def test_a_live_jobs_request_on_the_wire_makes_the_claim_wait(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.posting(URL, KEYS, "a")
        assert ledger.claim(URL, KEYS, "b", 42) == Posting("a")
        ledger.answered(URL, KEYS, "a")
        assert ledger.claim(URL, KEYS, "b", 42) is None


def test_the_marks_and_registration_of_a_dead_process_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    code = (
        "import sys\nfrom importer.record._ledger import Ledger\nfrom importer._models import "
        "IdentityKey\nl = Ledger(sys.argv[1])\nl.register('a', 35.0)\n"
        "l.posting('http://127.0.0.1:1', [IdentityKey('INSTORE', '', 'mobile', '919988221100')],"
        " 'a')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)  # and it exits
    with Ledger(path) as ledger:
        assert ledger.others("b") == []
        assert ledger.claim(URL, KEYS, "b", 42) is None


def test_other_live_jobs_are_seen(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite") as a, Ledger(tmp_path / "l.sqlite") as b:
        assert b.others("b") == []
        a.register("a", 35.0)
        assert [job for job, _, _ in b.others("b")] == ["a"]
        a.unregister("a")
        assert b.others("b") == []


def test_opening_waits_for_another_job_opening_the_same_ledger(tmp_path: Path) -> None:
    # two jobs starting together: the second one's first write waits for the first one's
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.execute, ("ROLLBACK",))
    release.start()
    try:
        with Ledger(path) as ledger:  # would fail with "database locked" after 20 ms
            ledger.register("b", 35.0)
    finally:
        release.join()
        holder.close()
