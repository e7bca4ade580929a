"""One job claims each customer: this job's side of the shared ledger's claims.

Two jobs loading the same customers may both see a sign that they created one: a gateway error
or a lost answer, then an 8006 or a lookup that finds the customer. Only one request created it.
Before a row reads such a sign as its own creation it asks the ledger: a customer another job
registered is that job's (the row is a ``duplicate`` naming it); while another live job has a
request for the same identifier on the wire, the answer waits for that request.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from importer._exceptions import StorageError
from importer._models import IdentityKey
from importer.record import LOCK_WAIT, Claim, Ledger, Posting, patiently


class Undecided(Exception):
    """Another job kept posting the same identifier for too long: settle the row next run."""

    def __init__(self, job: str) -> None:
        super().__init__(job)
        self.job = job


class Claims:
    """Marks this job's requests in the ledger and claims the customers it infers it created."""

    def __init__(
        self,
        ledger: Ledger,
        base_url: str,
        job: str,
        *,
        wait: float = LOCK_WAIT,
        grace: float = 35.0,
    ) -> None:
        self.ledger = ledger
        self.base_url = base_url
        self.job = job
        self.wait = wait
        self.grace = grace  # this job's requests are answered (or given up) within it
        self._decide_after = 0.0  # loop time before which no inferred claim is made

    async def start(self) -> None:
        """Register this job. Jobs already running posted without marks until they saw it:
        claims wait until those requests have been answered (their grace)."""
        await patiently(self.ledger.forget_postings, self.job, wait=self.wait)
        await patiently(self.ledger.register, self.job, self.grace, wait=self.wait)
        others = await patiently(self.ledger.others, self.job, wait=self.wait)
        if others:
            loop = asyncio.get_running_loop()
            self._decide_after = loop.time() + max(grace for _, _, grace in others)

    async def posting(self, keys: Sequence[IdentityKey]) -> bool:
        """Before a request leaves: mark that it may create the customer these keys name, if
        another job runs on the ledger (True when marked)."""
        if not keys or not await patiently(self.ledger.others, self.job, wait=self.wait):
            return False
        await patiently(self.ledger.posting, self.base_url, keys, self.job, wait=self.wait)
        return True

    async def answered(self, keys: Sequence[IdentityKey]) -> None:
        """The request was answered without creating the customer (or no answer will come)."""
        if keys:
            await patiently(self.ledger.answered, self.base_url, keys, self.job, wait=self.wait)

    async def claim(self, keys: Sequence[IdentityKey], customer_id: int | None) -> Claim | None:
        """None when the customer is this job's now; else the other job's claim.

        Raises Undecided when another job's request for the same identifier stays on the wire
        longer than ``wait``.
        """
        if not keys:
            return None
        loop = asyncio.get_running_loop()
        if loop.time() < self._decide_after:
            await asyncio.sleep(self._decide_after - loop.time())
        deadline = loop.time() + self.wait
        pause = 0.02
        while True:
            found = await patiently(
                self.ledger.claim, self.base_url, keys, self.job, customer_id, wait=self.wait
            )
            if not isinstance(found, Posting):
                return found
            if loop.time() >= deadline:
                raise Undecided(found.job)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.5)

    async def finish(self) -> None:
        """Clear what is left of this job's marks (requests cancelled on the wire).

        Best effort: a mark left behind is cleared by the job's next run, and other jobs ignore
        the marks of a process that is gone.
        """
        with contextlib.suppress(StorageError):
            await patiently(self.ledger.forget_postings, self.job, wait=min(self.wait, 5.0))
            await patiently(self.ledger.unregister, self.job, wait=min(self.wait, 5.0))
