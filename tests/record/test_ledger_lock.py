import subprocess
import sys
import textwrap

import pytest

from importer._exceptions import JobLockedError
from importer._models import IdentityKey
from importer.record._ledger import Ledger
from importer.record._lock import job_lock

URL = "http://127.0.0.1:1"
MOBILE = IdentityKey("INSTORE", "", "mobile", "919988221100")
EMAIL = IdentityKey("INSTORE", "", "email", "a@example.org")


def test_ledger_remembers_across_connections(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert ledger.known(URL, [MOBILE, EMAIL]) is None
        ledger.remember(URL, [MOBILE, EMAIL], customer_id=42, reason="created", job="j")
    with Ledger(tmp_path / "l.sqlite") as ledger:
        assert ledger.known(URL, [EMAIL]) == (EMAIL, 42)
        assert ledger.count(URL) == 2 and ledger.count() == 2


@pytest.mark.parametrize(
    "other",
    [
        IdentityKey("WEBSITE", "", "mobile", "919988221100"),  # another source
        IdentityKey("INSTORE", "acc-2", "mobile", "919988221100"),  # another account
        IdentityKey("INSTORE", "", "email", "919988221100"),  # another type
        IdentityKey("INSTORE", "", "mobile", "919988221101"),  # another value
    ],
)
def test_ledger_keys_by_source_account_type_and_value(tmp_path, other):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.remember(URL, [MOBILE], customer_id=1, reason="created")
        assert ledger.known(URL, [other]) is None
        assert ledger.known("http://other-org", [MOBILE]) is None


def test_ledger_keeps_a_known_id_when_a_later_8006_has_none(tmp_path):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.remember(URL, [MOBILE], customer_id=7, reason="created")
        ledger.remember(URL, [MOBILE], customer_id=None, reason="8006")
        assert ledger.known(URL, [MOBILE]) == (MOBILE, 7)


def test_second_holder_of_a_job_lock_fails_at_once(tmp_path):
    with job_lock(tmp_path / "job"):
        with pytest.raises(JobLockedError, match="already running"):
            with job_lock(tmp_path / "job"):
                pass
    with job_lock(tmp_path / "job"):  # released on exit
        pass


def test_lock_of_a_killed_process_is_released(tmp_path):
    code = textwrap.dedent(
        f"""
        import os, sys
        from importer.record._lock import job_lock
        with job_lock({str(tmp_path / "job")!r}):
            print("locked", flush=True)
            sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(JobLockedError, match=f"pid {proc.pid}"):
            with job_lock(tmp_path / "job"):
                pass
    finally:
        proc.kill()
        proc.wait()
    with job_lock(tmp_path / "job"):
        pass
