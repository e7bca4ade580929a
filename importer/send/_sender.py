"""One row's way: its requests through the attempt loop, then what their answers settle.

Exactly once: before a request leaves, the journal marks the row ``in_flight``; an attempt whose
answer never came marks it ambiguous, and an ambiguous row is looked up before it is posted
again; if a repeat post still answers 8006, the customer may be the one our lost request created,
unless the shared ledger says another job's request did (``_claims``). Every request, add or
lookup, goes through the one attempt loop (``_attempt``): retries, backoff, 429s, outages and
giving up are decided there.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from typing import TYPE_CHECKING, Any

from importer._models import Outcome, Settlement, Work
from importer.send._attempt import Attempts, GiveUp, RowState
from importer.send._claims import Claims, Undecided
from importer.send._client import Client
from importer.send._policy import Policy
from importer.send._stats import Stats
from importer.send._throttle import Throttle
from importer.send._verdicts import (
    Ambiguous,
    Duplicate,
    Fatal,
    Found,
    after_lost_answer,
    final_settlement,
)
from importer.send._workers import Halted

if TYPE_CHECKING:
    from importer.record import Recorder


class Sender(Attempts):
    """Posts rows with ``policy.concurrency`` workers; the recorder hears of every state change."""

    def __init__(
        self,
        client: Client,
        throttle: Throttle,
        recorder: Recorder,
        *,
        policy: Policy | None = None,
        stats: Stats | None = None,
        rng: random.Random | None = None,
        claims: Claims | None = None,
        log: Any = None,
    ) -> None:
        super().__init__(
            self._settled_row,
            client,
            throttle,
            recorder,
            policy=policy or Policy(),
            stats=stats,
            rng=rng,
            claims=claims,
            log=log,
        )

    async def _settled_row(self, work: Work, settlement: Settlement) -> None:
        # the shared ledger may be held by another process a while: waited for off the loop
        await self.recorder.settle_waiting(work, settlement, wait=self.policy.lock_wait)

    # -- one row -----------------------------------------------------------------------------

    async def settle(self, work: Work) -> Settlement:
        """Take one row to its settlement, unless the bounds run out or the run halts."""
        state = RowState(started=asyncio.get_running_loop().time(), first_sent=work.first_sent)
        try:
            while True:
                if work.ambiguous:
                    found = await self._look_up(work, state)
                    if found is not None:
                        return await self._after_lost_answer(work, state, found)
                verdict = await self.attempt(work, state)
                if isinstance(verdict, Ambiguous):
                    continue  # looked up before it is posted again
                if isinstance(verdict, Fatal):
                    return self._done(
                        work,
                        state,
                        Outcome.FAILED,
                        code=str(verdict.status),
                        message=verdict.message,
                    )
                if isinstance(verdict, Duplicate) and (work.ambiguous or work.maybe_created):
                    # an 8006 after a request that may have been stored: whose customer is it?
                    return await self._after_lost_answer(work, state, None, verdict)
                settlement = final_settlement(
                    work, verdict, attempts=state.attempts, request_id=state.request_id
                )
                assert settlement is not None
                return settlement
        except GiveUp as exc:
            return self._done(work, state, Outcome.FAILED, code=state.code, message=exc.message)
        except Undecided as exc:
            return self._undecided(work, state, exc)
        except Halted:
            return self._halted_settlement(work, state)

    async def _look_up(self, work: Work, state: RowState) -> Found | None:
        """What the API holds under the row's identifiers: the first customer found, or None."""
        for key in work.prepared.keys:
            verdict = await self.attempt(work, state, key)
            if isinstance(verdict, Fatal):
                raise Halted
            if isinstance(verdict, Found) and verdict.id is not None:
                return verdict
            # nobody holds it, or it cannot be looked up: a repost still answers 8006
        return None

    async def _after_lost_answer(
        self,
        work: Work,
        state: RowState,
        found: Found | None,
        duplicate: Duplicate | None = None,
    ) -> Settlement:
        """The API holds the customer and a request of ours lost its answer: ``created`` only
        when the customer's creation time proves it, ``duplicate`` when it shows the customer
        existed before, or when another job claimed it; else ``reconciled``."""
        if found is None and work.prepared.keys:
            # an 8006 names the customer, not its age: a lookup may carry its creation time
            with contextlib.suppress(GiveUp, Halted):
                found = await self._look_up(work, state)
        customer_id = duplicate.existing_id if duplicate is not None else None
        if found is not None:
            customer_id = customer_id if customer_id is not None else found.id
        settlement = after_lost_answer(
            work.row,
            customer_id,
            created_at=found.created_at if found is not None else None,
            first_sent=state.first_sent,
            duplicate=duplicate,
            attempts=state.attempts,
            request_id=state.request_id,
        )
        if settlement.outcome is Outcome.DUPLICATE or self.claims is None:
            return settlement
        other = await self.claims.claim(work.prepared.keys, customer_id)
        if other is None:
            return settlement  # no other job claims it: as proven (created) or reconciled
        whose = other.customer_id if other.customer_id is not None else customer_id
        return self._done(
            work,
            state,
            Outcome.DUPLICATE,
            created_id=whose,
            code="other_job",
            message=f"created by job {other.job} (customer {whose}), not by this job's "
            "earlier attempt",
        )

    def _undecided(self, work: Work, state: RowState, exc: Undecided) -> Settlement:
        work.ambiguous = True  # the next run looks it up, and asks the ledger again
        return self._done(
            work,
            state,
            Outcome.FAILED,
            code="undecided",
            message=f"job {exc.job} kept posting the same customer: the next run settles it",
        )

    def _done(self, work: Work, state: RowState, outcome: Outcome, **fields: Any) -> Settlement:
        return Settlement(
            work.row,
            outcome,
            attempts=state.attempts,
            request_id=state.request_id,
            **fields,
        )

    def _halted_settlement(self, work: Work, state: RowState) -> Settlement:
        reason = self.halt_reason()
        if state.attempts == 0:
            message = f"not attempted: {reason}"
        else:
            message = f"{reason} after {state.attempts} attempts: {state.message}"
        return self._done(work, state, Outcome.FAILED, code=state.code, message=message)
