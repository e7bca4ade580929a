"""The ledger's key is kept apart from the ledger: a copied reports folder holds hashes that no
one can test a guessed identifier against."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from faker import Faker
from runs_helpers import write_csv

from importer._exceptions import ConfigError
from importer._layout import ERRORS_XLSX, ROW_FILES
from importer._models import IdentityKey
from importer.record import Ledger

URL = "http://crm.example"


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "importer" / "ledger.keys"
    monkeypatch.setenv("IMPORTER_KEY_FILE", str(path))
    return path


def keys_of(path: Path) -> dict[str, bytes]:
    lines = path.read_text("ascii").split()
    return {i: bytes.fromhex(k) for i, k in zip(lines[::2], lines[1::2], strict=True)}


def oracle(key: bytes, key_of: IdentityKey, base_url: str = URL) -> bytes:
    """The ledger's hash, written apart from it: HMAC-SHA256 of the joined fields, 16 bytes."""
    value = key_of.value.lower() if key_of.type == "email" else key_of.value
    text = "\x1f".join((base_url, key_of.source, key_of.account_id, key_of.type, value))
    return hmac.new(key, text.encode(), hashlib.sha256).digest()[:16]


def stored(ledger: Path) -> set[bytes]:
    with sqlite3.connect(ledger) as db:
        return {row[0] for row in db.execute("SELECT key FROM identifiers")}


def meta(ledger: Path) -> dict[str, str]:
    with sqlite3.connect(ledger) as db:
        return dict(db.execute("SELECT name, value FROM meta").fetchall())


def on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_key_is_in_the_key_file_not_in_the_ledger(tmp_path: Path, key_file: Path) -> None:
    ledger = tmp_path / "reports" / "ledger.sqlite"
    key = IdentityKey("INSTORE", "", "mobile", "919812345678")
    with Ledger(ledger) as opened:
        opened.remember(URL, [key], customer_id=7, reason="created", job="j")
    assert "salt" not in meta(ledger)
    (ledger_id,) = keys_of(key_file)
    assert meta(ledger)["id"] == ledger_id
    secret = keys_of(key_file)[ledger_id]
    assert stored(ledger) == {oracle(secret, key)}
    data = on_disk(ledger)
    assert secret not in data and secret.hex().encode() not in data
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    with Ledger(ledger) as again:  # the same key next time: known
        assert again.known(URL, [key]) == (key, 7)


def test_an_older_ledgers_salt_moves_out_to_the_key_file(tmp_path: Path, key_file: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    with Ledger(ledger):
        pass  # the current schema
    salt = bytes.fromhex("00112233445566778899aabbccddeeff")
    key = IdentityKey("INSTORE", "", "email", "Ann.Lee@Example.com")
    with sqlite3.connect(ledger) as db:  # as an older version left it: the salt in meta
        db.execute("DELETE FROM meta")
        db.execute("INSERT INTO meta VALUES ('salt', ?)", (salt.hex(),))
        db.execute(
            "INSERT INTO identifiers VALUES (?,?,?,?,?,?)",
            (oracle(salt, key), URL, 5, "created", "old", "2026-01-01T00:00:00+00:00"),
        )
    key_file.unlink()
    with Ledger(ledger) as opened:
        assert opened.known(URL, [key]) == (key, 5)
    assert "salt" not in meta(ledger)
    assert keys_of(key_file) == {meta(ledger)["id"]: salt}
    data = on_disk(ledger)
    assert salt.hex().encode() not in data and salt not in data


def test_a_ledger_whose_key_is_lost_is_refused_not_silently_rekeyed(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = tmp_path / "ledger.sqlite"
    with Ledger(ledger) as opened:
        opened.remember(URL, [IdentityKey("INSTORE", "", "mobile", "919812345678")], **_seen())
    elsewhere = tmp_path / "elsewhere" / "ledger.keys"
    monkeypatch.setenv("IMPORTER_KEY_FILE", str(elsewhere))
    with pytest.raises(ConfigError, match=f"not in {elsewhere}: point IMPORTER_KEY_FILE"):
        Ledger(ledger)
    elsewhere.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(key_file, elsewhere)  # moved with the documented way: the file as it is
    with Ledger(ledger) as opened:
        assert opened.count() == 1


def test_ledgers_sharing_one_key_file_keep_their_own_keys(tmp_path: Path, key_file: Path) -> None:
    for name in ("a", "b"):
        with Ledger(tmp_path / name / "ledger.sqlite") as opened:
            opened.remember(URL, [IdentityKey("INSTORE", "", "mobile", "9198")], **_seen())
    keys = keys_of(key_file)
    assert len(keys) == 2 and len(set(keys.values())) == 2


def _seen() -> dict[str, object]:
    return {"customer_id": None, "reason": "8006"}


def test_a_reports_folder_copied_alone_reveals_no_identifier(
    tmp_path: Path, key_file: Path, emulator, run, write
) -> None:
    fake = Faker("en_IN")
    fake.seed_instance(1907)
    rows = [
        [
            fake.unique.bothify("C######"),
            fake.first_name(),
            f"9198{fake.unique.random_number(8, True)}",
            fake.unique.email(),
        ]
        for _ in range(12)
    ]
    rows.append(list(rows[0]))  # an in-file duplicate
    mapping = write(
        "m.yaml",
        """\
        version: 1
        profiles:
          - source: INSTORE
            firstName: first_name
            identifiers:
              - {type: mobile, value: mobile}
              - {type: email, value: email}
              - {type: externalId, value: member_id}
        """,
    )
    columns = ["member_id", "first_name", "mobile", "email"]
    source = write_csv(tmp_path / "in.csv", rows, columns)
    out = tmp_path / "reports"
    first = run(emulator.url, source, mapping=mapping, out=out)
    assert first.outcomes["created"] == 12
    again = run(emulator.url, source, mapping=mapping, out=out, skip_known=True)
    assert again.outcomes["created"] == 12 and again.outcomes["duplicate"] == 1

    copy = tmp_path / "copied"
    shutil.copytree(out, copy)
    secret = next(iter(keys_of(key_file).values()))
    identifiers = {v for r in rows for v in (r[2], r[3], r[3].lower(), r[0])}
    checked = 0
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert secret not in data and secret.hex().encode() not in data, path
        if path.name in (*ROW_FILES, ERRORS_XLSX):
            continue  # the rows themselves, as read: the reports a user asked for
        for value in identifiers:
            assert value.encode() not in data, f"{path} holds {value}"
        checked += 1
    assert checked >= 6  # ledger, journal, summary.json, run.json, run.log, report.html
    ledger = copy / "ledger.sqlite"
    assert "salt" not in meta(ledger)
    # the hashes are of these identifiers, and only the key in the key file reproduces them
    keys = [IdentityKey("INSTORE", "", "mobile", r[2]) for r in rows]
    assert {oracle(secret, k, emulator.url) for k in keys} <= stored(ledger)
    assert os.environ["IMPORTER_KEY_FILE"] == str(key_file)
