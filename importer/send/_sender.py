"""The worker pool: post rows through the throttle, retry what is transient, settle every row.

Exactly once: before a request leaves, the journal marks the row ``in_flight``; an attempt whose
answer never came marks it ambiguous, and an ambiguous row is looked up before it is posted
again; if a repeat post still answers 8006, the customer is the one our lost request created.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from importer._exceptions import AuthError, TransportError
from importer._models import Outcome, Settlement
from importer.send._classify import (
    Ambiguous,
    Fatal,
    Found,
    Rejected,
    Retry,
    Verdict,
    classify,
    classify_lookup,
)
from importer.send._client import Client
from importer.send._outcome import Work, final_settlement
from importer.send._retry import Policy, Stats, backoff
from importer.send._throttle import Throttle

if TYPE_CHECKING:
    from importer.record._recorder import Recorder

#: gateway and server errors after which the add may still have been stored upstream.
MAYBE_PROCESSED = frozenset({500, 502, 504})


class Halted(Exception):
    """The run stops taking rows (interrupted or aborted)."""


class Sender:
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
    ) -> None:
        self.client = client
        self.throttle = throttle
        self.recorder = recorder
        self.policy = policy or Policy()
        self.stats = stats or Stats()
        self.rng = rng or random.Random()
        self.abort: Fatal | None = None  # why the run aborted, if it did
        self.interrupted = False
        self.unsent: list[Work] = []  # taken from the input but never attempted
        self._halt = asyncio.Event()
        self._open = asyncio.Event()  # set once the first answer proved the credentials
        self._probing = False
        self._unreachable = 0
        self._answered_at = time.monotonic()
        self._workers: list[asyncio.Task[None]] = []
        self._active: dict[int, Work] = {}

    # -- control -----------------------------------------------------------------------------

    @property
    def halted(self) -> bool:
        return self._halt.is_set()

    def stop(self) -> None:
        """Ctrl-C: take no new rows, let the requests in flight finish."""
        self.interrupted = True
        self._halt.set()
        self._open.set()

    def force_stop(self) -> None:
        """A second Ctrl-C: cancel the requests in flight too (the journal keeps them in flight)."""
        self.stop()
        for task in self._workers:
            task.cancel()

    def abort_with(self, message: str) -> None:
        """Stop the run for a reason outside the API (the input broke mid-way)."""
        self._abort(Fatal(0, message))

    def _abort(self, verdict: Fatal) -> None:
        if self.abort is None:
            self.abort = verdict
        self._halt.set()
        self._open.set()

    def halt_reason(self) -> str:
        if self.abort is not None:
            return f"run aborted: {self.abort.message}"
        return "interrupted"

    async def _unless_halted(self, awaitable: Awaitable[Any]) -> None:
        """Await ``awaitable`` unless the run halts first; raise Halted if it did."""
        task = asyncio.ensure_future(awaitable)
        halt = asyncio.ensure_future(self._halt.wait())
        try:
            await asyncio.wait({task, halt}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            halt.cancel()
            if not task.done():
                task.cancel()
        if self.halted or not task.done() or task.cancelled():
            raise Halted
        task.result()

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._unless_halted(asyncio.sleep(seconds))
        if self.halted:
            raise Halted

    # -- the pool ----------------------------------------------------------------------------

    async def run(self, works: AsyncIterator[Work]) -> None:
        """Send every work item until the input ends or the run halts."""
        queue: asyncio.Queue[Work | None] = asyncio.Queue(maxsize=self.policy.concurrency * 2)
        self._workers = [
            asyncio.create_task(self._worker(queue)) for _ in range(self.policy.concurrency)
        ]
        try:
            async for work in works:
                if self.halted or not await self._put(queue, work):
                    self.unsent.append(work)
                    break
        finally:
            if self.halted:
                self._drain(queue)  # workers may be gone: make room for the stop marks
            for _ in self._workers:
                await queue.put(None)
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._drain(queue)

    async def _put(self, queue: asyncio.Queue[Work | None], work: Work) -> bool:
        """Queue ``work``, waiting for room unless the run halts first; False if it did."""
        try:
            queue.put_nowait(work)
            return True
        except asyncio.QueueFull:
            pass
        put = asyncio.ensure_future(queue.put(work))
        halt = asyncio.ensure_future(self._halt.wait())
        await asyncio.wait({put, halt}, return_when=asyncio.FIRST_COMPLETED)
        halt.cancel()
        if put.done():
            return True  # queued: if the run halted meanwhile, the drain counts it as unsent
        put.cancel()
        return False

    def _drain(self, queue: asyncio.Queue[Work | None]) -> None:
        while not queue.empty():
            item = queue.get_nowait()
            if item is not None:
                self.unsent.append(item)

    async def _worker(self, queue: asyncio.Queue[Work | None]) -> None:
        while True:
            work = await queue.get()
            if work is None:
                return
            if self.halted:
                self.unsent.append(work)
                continue
            self._active[work.row] = work
            try:
                settlement = await self.settle(work)
            except asyncio.CancelledError:
                self.recorder.settle(
                    work,
                    Settlement(
                        work.row,
                        Outcome.FAILED,
                        code="interrupted",
                        message="interrupted while in flight: the next run looks it up first",
                    ),
                )
                raise
            finally:
                self._active.pop(work.row, None)
            self.recorder.settle(work, settlement)

    # -- one row -----------------------------------------------------------------------------

    async def settle(self, work: Work) -> Settlement:
        """Post one row until it settles, the bounds run out or the run halts."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        state = _RowState()
        while True:
            try:
                if work.ambiguous:
                    found = await self._lookup(work, state)
                    if found is not None:
                        return self._done(
                            work,
                            state,
                            Outcome.CREATED,
                            created_id=found,
                            message="reconciled by lookup: an unanswered request had created it",
                        )
                if not self._open.is_set() and not state.probe:
                    await self._probe_gate(state)
                if self.throttle.rpm is not None or self.throttle.wait() > 0:
                    await self._unless_halted(self.throttle.acquire())
                if self.halted:
                    raise Halted
                verdict = await self._post(work, state)
            except _GiveUp:
                return self._done(
                    work,
                    state,
                    Outcome.FAILED,
                    code=state.code,
                    message=f"gave up: the lookup kept failing: {state.message}",
                )
            except Halted:
                return self._halted_settlement(work, state)
            finally:
                if state.probe and not self._open.is_set():
                    self._probing = False  # let the next row probe again
            settlement = self._conclude(work, state, verdict)
            if settlement is not None:
                return settlement
            delay = self._delay_after(verdict, state)
            elapsed = loop.time() - started
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

    async def _probe_gate(self, state: _RowState) -> None:
        """Until one answer proves the credentials, only one request is out at a time."""
        if not self._probing:
            self._probing = state.probe = True
            return
        await self._unless_halted(self._open.wait())

    async def _post(self, work: Work, state: _RowState) -> Verdict:
        payload = work.prepared.payload
        assert payload is not None
        state.attempts += 1
        self.recorder.in_flight(work, state.attempts)
        self.stats.request()
        try:
            answer = await self.client.add(payload)
        except AuthError as exc:  # the OAuth token request was refused
            self.stats.answered()
            return Fatal(401, str(exc))
        except TransportError as exc:
            self.stats.answered()
            return self._no_answer(work, state, exc)
        self.stats.answered()
        self._unreachable = 0
        self._answered_at = time.monotonic()
        state.request_id = answer.request_id or state.request_id
        verdict = classify(answer.status, answer.body, answer.headers)
        if not isinstance(verdict, Fatal):
            self._open.set()
        if isinstance(verdict, Ambiguous):
            work.ambiguous = True
            self.recorder.ambiguous(work, answer.request_id)
        elif isinstance(verdict, Retry) and verdict.status in MAYBE_PROCESSED:
            # no lookup needed: resending is safe, since a second add of ours answers 8006
            work.maybe_created = True
            self.recorder.ambiguous(work, answer.request_id)
        return verdict

    def _no_answer(self, work: Work, state: _RowState, exc: TransportError) -> Verdict:
        if not exc.sent:
            self.recorder.not_sent(work)
            self._unreachable += 1
            silent = time.monotonic() - self._answered_at
            if self._unreachable >= self.policy.unreachable_after and (
                not self._open.is_set() or silent >= self.policy.unreachable_seconds
            ):
                self._abort(Fatal(0, f"server unreachable at {self.client.base_url}: {exc}"))
            return Retry(None, str(exc))
        work.ambiguous = True
        self.recorder.ambiguous(work)
        return Ambiguous(str(exc))

    async def _lookup(self, work: Work, state: _RowState) -> int | None:
        """The id of the customer holding one of the row's identifiers, or None."""
        for key in work.prepared.keys:
            while True:
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
                state.code, state.message = str(verdict.status or "no-answer"), verdict.message
                if state.failures >= self.policy.max_failures:
                    raise _GiveUp
                if verdict.rate_limited:
                    state.rate_limited += 1
                    self.throttle.rate_limited(verdict.retry_after, self._backoff(state, 429))
                await self._pause(self._delay_after(verdict, state))
        return None

    def _backoff(self, state: _RowState, status: int | None = None) -> float:
        """The wait after this row's latest failure (429s have their own count: no Retry-After)."""
        policy = self.policy
        count = state.rate_limited if status == 429 else state.failures
        return backoff(max(1, count), self.rng, base=policy.backoff_base, cap=policy.backoff_cap)

    def _delay_after(self, verdict: Verdict, state: _RowState) -> float:
        if isinstance(verdict, Retry) and verdict.rate_limited:
            return 0.0  # the throttle's pause holds everyone back, this row included
        wanted = verdict.retry_after if isinstance(verdict, Retry) else None
        return max(self._backoff(state), wanted or 0.0)

    def _conclude(self, work: Work, state: _RowState, verdict: Verdict) -> Settlement | None:
        """The settlement a verdict gives, or None to try again."""
        final = final_settlement(
            work, verdict, attempts=state.attempts, request_id=state.request_id
        )
        if final is not None:
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
        return None

    def _done(self, work: Work, state: _RowState, outcome: Outcome, **fields: Any) -> Settlement:
        return Settlement(
            work.row,
            outcome,
            attempts=state.attempts,
            request_id=state.request_id,
            **fields,
        )

    def _halted_settlement(self, work: Work, state: _RowState) -> Settlement:
        reason = self.halt_reason()
        if state.attempts == 0:
            message = f"not attempted: {reason}"
        else:
            message = f"{reason} after {state.attempts} attempts: {state.message}"
        return self._done(work, state, Outcome.FAILED, code=state.code, message=message)


@dataclass(slots=True)
class _RowState:
    attempts: int = 0  # posts sent for this row in this run
    failures: int = 0  # transient failures (429s not counted: they wait, without limit)
    rate_limited: int = 0
    probe: bool = False  # this row's first request is the one testing the credentials
    code: str | None = None
    message: str = ""
    request_id: str | None = None


class _GiveUp(Exception):
    """Lookups kept failing: the row is settled as failed (and looked up again next run)."""
