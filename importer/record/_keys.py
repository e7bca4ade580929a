"""The ledger's HMAC keys, kept apart from the ledger: whoever copies a reports folder gets
hashes without the key that made them, so no identifier can be tried against them.

One owner-only file holds a line per ledger, ``<ledger id> <key in hex>``; a ledger keeps only
its id. The file is ``$IMPORTER_KEY_FILE`` when set, else ``$XDG_CONFIG_HOME/importer/ledger.keys``
(``~/.config/importer/ledger.keys``): outside any reports folder. Lines are only ever appended,
under an exclusive lock, so jobs opening different ledgers at once never lose one another's key.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
from pathlib import Path

from importer._exceptions import ConfigError, StorageError
from importer._owner_only import private_dir, private_fd

KEY_ENV = "IMPORTER_KEY_FILE"
KEY_NAME = "ledger.keys"
_LINE = re.compile(r"^([0-9a-f]{32}) ([0-9a-f]{32,128})$")


def key_file() -> Path:
    """Where the ledger keys are: ``$IMPORTER_KEY_FILE``, else the user's config folder."""
    named = os.environ.get(KEY_ENV)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "importer" / KEY_NAME


def new_id() -> str:
    """A ledger's id: names its key in the key file, and says nothing about its data."""
    return secrets.token_hex(16)


def ledger_key(ledger_id: str, *, create: bool, adopt: bytes | None = None) -> bytes:
    """The key of ledger ``ledger_id`` from the key file.

    ``adopt`` moves an older ledger's own salt into the file (kept if the id has none yet);
    ``create`` makes a new random key when the file has none (a ledger with no hash yet).
    Raises ConfigError when the key is missing and may not be made: hashes made with a lost
    key can never be matched again, and a silent new key would make them all look unknown.
    """
    path = key_file()
    try:
        private_dir(path.parent)
        fd = private_fd(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
    except OSError as exc:
        raise StorageError.of(path, exc, sent=False) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another job may be adding its own ledger's key
        keys = _read(fd, path)
        if ledger_id in keys:
            if adopt is not None and keys[ledger_id] != adopt:
                raise ConfigError(
                    f"{path}: holds another key for ledger {ledger_id} than the salt the ledger "
                    "holds again (an older version of importer wrote to it since its key was "
                    "moved out): move the ledger away to start a new one"
                )
            return keys[ledger_id]
        if adopt is None and not create:
            raise ConfigError(
                f"the ledger's key (id {ledger_id}) is not in {path}: point {KEY_ENV} at the "
                "key file it was made with, or move the ledger away to start a new one"
            )
        key = adopt if adopt is not None else secrets.token_bytes(32)
        try:
            os.write(fd, f"{ledger_id} {key.hex()}\n".encode())
            os.fsync(fd)  # on disk before the ledger forgets its salt or writes a hash
        except OSError as exc:
            raise StorageError.of(path, exc, sent=False) from None
        return key
    finally:
        os.close(fd)  # releases the lock


def _read(fd: int, path: Path) -> dict[str, bytes]:
    chunks = []
    os.lseek(fd, 0, os.SEEK_SET)
    while block := os.read(fd, 1 << 16):
        chunks.append(block)
    keys: dict[str, bytes] = {}
    for n, line in enumerate(b"".join(chunks).decode("ascii", "replace").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        found = _LINE.match(line.strip())
        if found is None:
            raise ConfigError(f"{path}:{n}: not a ledger key line ('<id> <hex key>')")
        keys.setdefault(found[1], bytes.fromhex(found[2]))
    return keys
