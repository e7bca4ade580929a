"""The worker pool: rows from a queue to ``concurrency`` workers, halting, and what stops a run.

Ctrl-C stops taking rows and lets the requests in flight finish; a second one cancels them; an
abort (credentials refused, server gone) stops taking rows; a row that cannot be recorded stops
everything at once.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from importer._models import Outcome, Settlement, Work
from importer.send._policy import Policy
from importer.send._verdicts import Fatal

#: receives every settled row (journal, ledger, report): a function or a coroutine function.
OnSettle = Callable[[Work, Settlement], Awaitable[None] | None]


class Halted(Exception):
    """The run stops taking rows (interrupted or aborted)."""


class Pool:
    """Runs ``policy.concurrency`` workers over the rows; each settlement goes to ``on_settle``.

    ``settle(work)`` (the subclass's) takes one row to its settlement. A settlement that cannot
    be recorded (``on_settle`` raises: disk full, database locked...) stops the run at once: the
    other requests in flight are cancelled and nothing more is written, so their rows stay in
    flight in the journal and the next run looks them up.
    """

    def __init__(self, on_settle: OnSettle, policy: Policy) -> None:
        self.on_settle = on_settle
        self.policy = policy
        self.abort: Fatal | None = None  # why the run aborted, if it did
        self.failure: BaseException | None = None  # a settle that failed: the run stopped
        self.interrupted = False
        self.unsent: list[Work] = []  # taken from the input but never attempted
        self._halt = asyncio.Event()
        self._open = asyncio.Event()  # set once the first answer proved the credentials
        self._workers: list[asyncio.Task[None]] = []
        self._active: dict[int, Work] = {}

    async def settle(self, work: Work) -> Settlement:
        raise NotImplementedError

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

    def _abort(self, verdict: Fatal) -> None:
        if self.abort is None:
            self.abort = verdict
        self._halt.set()
        self._open.set()

    def _fail(self, exc: BaseException) -> None:
        """Recording a row failed (disk full, database locked...): stop at once. The requests in
        flight are cancelled, so their rows stay in flight in the journal for the next run."""
        if self.failure is None:
            self.failure = exc
        self._abort(Fatal(0, f"cannot record the rows: {exc}"))
        current = asyncio.current_task()
        for task in self._workers:
            if task is not current:
                task.cancel()

    def halt_reason(self) -> str:
        if self.abort is not None:
            return f"run aborted: {self.abort.message}"
        return "interrupted"

    async def _unless_halted(self, awaitable: Awaitable[Any]) -> Any:
        """Await ``awaitable`` unless the run halts first (then raise Halted); its result."""
        task = asyncio.ensure_future(awaitable)
        halt = asyncio.ensure_future(self._halt.wait())
        try:
            await asyncio.wait({task, halt}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            halt.cancel()
            if not task.done():
                task.cancel()
            elif not task.cancelled():
                task.exception()  # retrieved, even when this await itself was cancelled
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]  # a failure wins over a halt
        if self.halted or not task.done() or task.cancelled():
            raise Halted
        return task.result()

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
        except Exception as exc:  # reading ahead touches the journal and the ledger too
            self._fail(exc)
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
                if self.failure is None:
                    await self._settled(work, settlement)
            except asyncio.CancelledError:
                if self.failure is None:  # after a failed write, nothing more is written
                    await self._settled(
                        work,
                        Settlement(
                            work.row,
                            Outcome.FAILED,
                            code="interrupted",
                            message="interrupted while in flight: the next run looks it up first",
                        ),
                    )
                raise
            except Exception as exc:  # a journal, ledger or report write failed
                self._fail(exc)
                return
            finally:
                self._active.pop(work.row, None)

    async def _settled(self, work: Work, settlement: Settlement) -> None:
        done = self.on_settle(work, settlement)
        if inspect.isawaitable(done):
            await done
