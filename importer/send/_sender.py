"""One row's way: post it through the throttle, retry what is transient, settle it.

Exactly once: before a request leaves, the journal marks the row ``in_flight``; an attempt whose
answer never came marks it ambiguous, and an ambiguous row is looked up before it is posted
again; if a repeat post still answers 8006, the customer is the one our lost request created,
unless the shared ledger says another job's request did (``_claims``). A burst of connection
failures or gateway errors pauses the whole run instead of spending the rows' attempts
(``_outage``).
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any

from importer._exceptions import AuthError, TransportError
from importer._models import Outcome, Settlement, Work
from importer.send._attempt import GiveUp, Inferred, RowState
from importer.send._claims import Claims, Undecided
from importer.send._client import Client
from importer.send._outage import Outage
from importer.send._policy import Policy, backoff
from importer.send._stats import Stats
from importer.send._throttle import Throttle
from importer.send._verdicts import (
    MAYBE_PROCESSED,
    OUTAGE_STATUSES,
    Ambiguous,
    Created,
    Duplicate,
    Fatal,
    Found,
    Rejected,
    Retry,
    Verdict,
    classify,
    classify_lookup,
    final_settlement,
    outage_sign,
)
from importer.send._workers import Halted, Pool

if TYPE_CHECKING:
    from importer.record import Recorder


class Sender(Pool):
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
        super().__init__(self._settled_row, policy or Policy())
        self.client = client
        self.throttle = throttle
        self.recorder = recorder
        self.stats = stats or Stats()
        self.rng = rng or random.Random()
        self.claims = claims  # None: this job alone decides what it created
        p = self.policy
        self.outage = Outage(
            burst=p.outage_burst,
            wait=p.outage_wait,
            probe_base=p.outage_probe_base,
            probe_cap=p.outage_probe_cap,
            log=log,  # a structlog logger: the outages go to run.log
        )
        self._probing = False
        self._unreachable = 0

    async def _settled_row(self, work: Work, settlement: Settlement) -> None:
        # the shared ledger may be held by another process a while: waited for off the loop
        await self.recorder.settle_waiting(work, settlement, wait=self.policy.lock_wait)

    # -- one row -----------------------------------------------------------------------------

    async def settle(self, work: Work) -> Settlement:
        """Post one row until it settles, the bounds run out or the run halts."""
        loop = asyncio.get_running_loop()
        state = RowState(started=loop.time())
        while True:
            try:
                if self.outage.down:
                    await self._through_outage(state)
                if work.ambiguous:
                    found = await self._lookup(work, state)
                    if found is not None:
                        return await self._ours(
                            work,
                            state,
                            found,
                            "reconciled by lookup: an unanswered request had created it",
                        )
                if not self._open.is_set() and not state.probe:
                    await self._probe_gate(state)
                if self.throttle.rpm is not None or self.throttle.wait() > 0:
                    await self._unless_halted(self.throttle.acquire())
                if self.halted:
                    raise Halted
                verdict = await self._post(work, state)
            except GiveUp:
                return self._done(
                    work,
                    state,
                    Outcome.FAILED,
                    code=state.code,
                    message=f"gave up: the lookup kept failing: {state.message}",
                )
            except Undecided as exc:
                return self._undecided(work, state, exc)
            except Halted:
                return self._halted_settlement(work, state)
            finally:
                if state.probe and not self._open.is_set():
                    self._probing = False  # let the next row probe again
                if state.outage_probe:
                    state.outage_probe = False
                    self.outage.probe_done()
            settlement = self._conclude(work, state, verdict)
            if isinstance(settlement, Inferred):
                try:
                    return await self._ours(work, state, settlement.id, settlement.message, verdict)
                except Undecided as exc:
                    return self._undecided(work, state, exc)
            if settlement is not None:
                return settlement
            delay = self._delay_after(verdict, state)
            elapsed = loop.time() - state.started
            if state.failures >= self.policy.max_failures or (
                elapsed + delay > self.policy.max_row_seconds
            ):
                return self._done(
                    work,
                    state,
                    Outcome.FAILED,
                    code=state.code,
                    message=f"gave up after {state.attempts} attempts: {state.message}",
                )
            try:
                await self._pause(delay)
            except Halted:
                return self._halted_settlement(work, state)

    async def _through_outage(self, state: RowState) -> None:
        """Wait while the API is down; return to send as the probe, or once it is back."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            while self.outage.down:
                if self.outage.expired():
                    self._abort(
                        Fatal(
                            0,
                            f"server unreachable at {self.client.base_url} for "
                            f"{self.outage.wait:g} s (--outage-wait): {state.message}",
                        )
                    )
                    raise Halted
                pause = self.outage.take_probe()
                if pause is not None:
                    state.outage_probe = True
                    await self._pause(pause)
                    return
                await self._unless_halted(self.outage.changed())
        finally:
            state.started += loop.time() - began  # time in an outage is not the row's

    async def _ours(
        self,
        work: Work,
        state: RowState,
        customer_id: int | None,
        message: str,
        verdict: Verdict | None = None,
    ) -> Settlement:
        """A customer this row's earlier attempt seems to have created: unless another job
        claimed it, it is ours."""
        other = None
        if self.claims is not None:
            other = await self.claims.claim(work.prepared.keys, customer_id)
        if other is None:
            settlement = self._done(
                work, state, Outcome.CREATED, created_id=customer_id, message=message
            )
            if isinstance(verdict, Duplicate):
                settlement.code = verdict.code
            return settlement
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

    async def _probe_gate(self, state: RowState) -> None:
        """Until one answer proves the credentials, only one request is out at a time."""
        if not self._probing:
            self._probing = state.probe = True
            return
        await self._unless_halted(self._open.wait())

    async def _post(self, work: Work, state: RowState) -> Verdict:
        payload = work.prepared.payload
        assert payload is not None
        keys = work.prepared.keys
        marked = False
        if self.claims is not None:  # other jobs must see that this request may create it
            marked = await self._unless_halted(self.claims.posting(keys))
        state.attempts += 1
        self.recorder.in_flight(work, state.attempts)
        self.stats.request()
        created = False
        try:
            answer = await self.client.add(payload)
        except AuthError as exc:  # the OAuth token request was refused
            self.stats.answered()
            return Fatal(401, str(exc))
        except TransportError as exc:
            self.stats.answered()
            return self._no_answer(work, state, exc)
        else:
            self.stats.answered()
            self._unreachable = 0
            state.request_id = answer.request_id or state.request_id
            verdict = classify(answer.status, answer.body, answer.headers)
            created = isinstance(verdict, Created)
        finally:
            # a created customer keeps the mark until the ledger holds the claim (on settling)
            if marked and self.claims is not None and not created:
                await self.claims.answered(keys)
        if not isinstance(verdict, Fatal):
            self._open.set()
        if not (isinstance(verdict, Retry) and verdict.status in OUTAGE_STATUSES):
            self.outage.answered()
        if isinstance(verdict, Ambiguous):
            work.ambiguous = True
            self.recorder.ambiguous(work, answer.request_id)
        elif isinstance(verdict, Retry) and verdict.status in MAYBE_PROCESSED:
            # no lookup needed: resending is safe, since a second add of ours answers 8006
            work.maybe_created = True
            self.recorder.ambiguous(work, answer.request_id)
        return verdict

    def _no_answer(self, work: Work, state: RowState, exc: TransportError) -> Verdict:
        if not exc.sent:
            self.recorder.not_sent(work)
            self._unreachable += 1
            if self._unreachable >= self.policy.unreachable_after and not self._open.is_set():
                # never answered at all: a wrong URL or a server that is not there
                self._abort(Fatal(0, f"server unreachable at {self.client.base_url}: {exc}"))
            return Retry(None, str(exc))  # no status: the connection failed (an outage sign)
        work.ambiguous = True
        self.recorder.ambiguous(work)
        return Ambiguous(str(exc))

    async def _lookup(self, work: Work, state: RowState) -> int | None:
        """The id of the customer holding one of the row's identifiers, or None."""
        for key in work.prepared.keys:
            while True:
                if self.outage.down:
                    await self._through_outage(state)
                self.stats.request(lookup=True)
                verdict: Any
                try:
                    answer = await self.client.lookup(
                        key.source, key.type, key.value, key.account_id or None
                    )
                except AuthError as exc:
                    verdict = Fatal(401, str(exc))
                except TransportError as exc:
                    verdict = Retry(None, str(exc))
                else:
                    verdict = classify_lookup(answer.status, answer.body, answer.headers)
                if not outage_sign(verdict):
                    self.outage.answered()
                if isinstance(verdict, Found):
                    if verdict.id is not None:
                        return verdict.id
                    break
                if isinstance(verdict, Fatal):
                    self._abort(verdict)
                    raise Halted
                if isinstance(verdict, Rejected):
                    break  # this identifier cannot be looked up; a repost still answers 8006
                state.failures += 1
                if outage_sign(verdict) and self._open.is_set():
                    self.outage.failed(state, verdict.message)
                state.code, state.message = str(verdict.status or "no-answer"), verdict.message
                if state.failures >= self.policy.max_failures:
                    raise GiveUp
                if verdict.rate_limited:
                    state.rate_limited += 1
                    self.throttle.rate_limited(verdict.retry_after, self._backoff(state, 429))
                await self._pause(self._delay_after(verdict, state))
        return None

    def _backoff(self, state: RowState, status: int | None = None) -> float:
        """The wait after this row's latest failure (429s have their own count: no Retry-After)."""
        policy = self.policy
        count = state.rate_limited if status == 429 else state.failures
        return backoff(max(1, count), self.rng, base=policy.backoff_base, cap=policy.backoff_cap)

    def _delay_after(self, verdict: Verdict, state: RowState) -> float:
        if isinstance(verdict, Retry) and verdict.rate_limited:
            return 0.0  # the throttle's pause holds everyone back, this row included
        wanted = verdict.retry_after if isinstance(verdict, Retry) else None
        return max(self._backoff(state), wanted or 0.0)

    def _conclude(
        self, work: Work, state: RowState, verdict: Verdict
    ) -> Settlement | Inferred | None:
        """The settlement a verdict gives, Inferred to ask the ledger first, or None to retry."""
        final = final_settlement(
            work, verdict, attempts=state.attempts, request_id=state.request_id
        )
        if final is not None:
            if final.outcome is Outcome.CREATED and isinstance(verdict, Duplicate):
                # an 8006 read as our own earlier request: ask the ledger before claiming it
                return Inferred(final.created_id, final.message or "")
            return final
        if isinstance(verdict, Fatal):
            self.recorder.not_sent(work)
            self._abort(verdict)
            return self._done(
                work, state, Outcome.FAILED, code=str(verdict.status), message=verdict.message
            )
        state.code = str(verdict.status) if isinstance(verdict, Retry) and verdict.status else None
        state.code = state.code or ("ambiguous" if isinstance(verdict, Ambiguous) else "no-answer")
        state.message = verdict.message
        if isinstance(verdict, Retry) and verdict.rate_limited:
            self.stats.retry(rate_limited=True)
            state.rate_limited += 1
            self.throttle.rate_limited(verdict.retry_after, self._backoff(state, 429))
        else:
            self.stats.retry()
            state.failures += 1
            if outage_sign(verdict) and self._open.is_set():
                self.outage.failed(state, verdict.message)  # a burst pauses the run instead
        return None

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
