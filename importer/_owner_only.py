"""Owner-only files: everything the tool writes holds customer data, so no other user may read it.

Folders are 0700 and files 0600 whatever the umask: every writer of the tool (reports, journal,
ledger, lock, logs, run.json, summaries) creates its files through these helpers. SQLite creates
a database's ``-wal`` and ``-shm`` files with the database file's own permissions, so creating the
database file here first is enough for those.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

from importer._exceptions import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700 folders; tighten it if it already exists.

    Parents that exist are left alone: they may be the user's own folders.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        # another process may make it meanwhile: tightened below like any folder of ours
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)
    if not missing:
        os.chmod(path, DIR_MODE)
    return path


def new_private_dir(path: Path) -> Path:
    """Create the new folder ``path`` as 0700; FileExistsError if it exists (parents must too)."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def private_fd(path: Path | str, flags: int = os.O_RDWR | os.O_CREAT) -> int:
    """``os.open()`` whose file is created (or tightened) as 0600: a descriptor to lock or write."""
    return _opener(str(path), flags)


def _opener(path: str, flags: int) -> int:
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # the umask cannot widen it, but an older file may be wider
    except OSError:
        os.close(fd)
        raise
    return fd


def private_open(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open()`` whose file is created (or tightened) as 0600."""
    return open(path, mode, opener=_opener, **kwargs)  # noqa: SIM115


def write_private(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to a 0600 file, replacing what was there; StorageError names the file."""
    try:
        with private_open(path, "w", encoding=encoding) as fh:
            fh.write(text)
    except OSError as exc:
        raise StorageError.of(path, exc) from None
    return Path(path)


def private_file(path: Path) -> Path:
    """Create ``path`` empty as 0600 if missing, or tighten it: before SQLite opens a database."""
    os.close(_opener(str(path), os.O_RDWR | os.O_CREAT))
    for suffix in ("-wal", "-shm", "-journal"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():  # left by an older version with wider permissions
            os.chmod(extra, FILE_MODE)
    return Path(path)
