"""One run of a job at a time: an advisory lock on the job folder, released even on ``kill -9``."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from importer._exceptions import JobLockedError, StorageError
from importer._layout import lock_file
from importer._owner_only import private_dir, private_fd


@contextlib.contextmanager
def job_lock(job_dir: Path) -> Iterator[None]:
    """Hold the job's lock for the block, or raise JobLockedError at once if another run has it."""
    job_dir = Path(job_dir)
    private_dir(job_dir)
    path = lock_file(job_dir)
    # flock dies with the process, so a crashed run never leaves a stale lock behind.
    fd = private_fd(path)  # 0600 whatever the umask, or an older, wider lock file
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise JobLockedError(
                f"job {job_dir.name!r} is already running (pid {holder}); "
                f"two runs of one job never interleave: wait for it or use another --job"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError as exc:  # a full disk at start: nothing was sent
            raise StorageError.of(path, exc, sent=False) from None
        yield
    finally:
        os.close(fd)
