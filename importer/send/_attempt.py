"""One attempt loop for every request a row makes, its adds and its lookups alike.

``attempt`` sends one request of a row until its answer is not transient: it waits out an outage
(or becomes the request that probes it), waits for the credentials to be proven and for the
throttle, sends, and applies what ``_verdicts`` decides about the answer: settle, retry after a
backoff, pause everyone after a 429, count an outage sign, abort, or give the row up. The outage
probe is held for one request only and released whatever that request comes to, so a probing
row never waits for the probe it holds.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from importer._exceptions import AuthError, TransportError
from importer._models import IdentityKey, Work
from importer.send._claims import Claims
from importer.send._client import Client
from importer.send._outage import Outage
from importer.send._policy import Policy
from importer.send._stats import Stats
from importer.send._throttle import Throttle
from importer.send._verdicts import (
    MAYBE_PROCESSED,
    Ambiguous,
    Created,
    Fatal,
    Found,
    Retry,
    Verdict,
    classify,
    classify_lookup,
    outage_sign,
    wait_after,
)
from importer.send._workers import Halted, OnSettle, Pool

if TYPE_CHECKING:
    from importer.record import Recorder


@dataclass(slots=True)
class RowState:
    """What one row's attempts have come to so far, in this run."""

    started: float = 0.0  # loop time the row began, moved on by the time spent in outages
    attempts: int = 0  # adds sent for this row in this run
    #: when the row's first request that may have created it left (epoch seconds): this run's
    #: first add, or an earlier run's request the journal kept
    first_sent: float | None = None
    failures: int = 0  # transient failures (429s not counted: they wait, without limit)
    rate_limited: int = 0
    probe: bool = False  # this row's request in flight is the one testing the credentials
    code: str | None = None
    message: str = ""
    request_id: str | None = None


class GiveUp(Exception):  # noqa: N818 - a decision, not an error
    """The row's failures or its time ran out: it is settled as failed with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Attempts(Pool):
    """The attempt loop over the worker pool; the sender adds what each row's answers mean."""

    def __init__(
        self,
        on_settle: OnSettle,
        client: Client,
        throttle: Throttle,
        recorder: Recorder,
        *,
        policy: Policy,
        stats: Stats | None,
        rng: random.Random | None,
        claims: Claims | None,
        log: Any,
    ) -> None:
        super().__init__(on_settle, policy)
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
        self._probing = False  # a request is testing the credentials
        self._unreachable = 0

    async def attempt(self, work: Work, state: RowState, key: IdentityKey | None = None) -> Any:
        """Send the row's add (or the lookup of ``key``) until the answer is not transient.

        Returns the verdict: ``Ambiguous`` after an add that may have been stored (the row looks
        up before it posts again), ``Fatal`` once the run is aborted, else a settling verdict
        (``Created``, ``Duplicate``, ``Rejected``; ``Found`` or ``Rejected`` for a lookup).
        Raises GiveUp when the row's failures or time run out, Halted when the run stops.
        """
        loop = asyncio.get_running_loop()
        while True:
            probe = await self._gate(state)
            try:
                if key is None:
                    verdict, heard = await self._add(work, state)
                else:
                    verdict, heard = await self._lookup(key)
            finally:
                if probe:
                    self.outage.probe_done()  # whatever the request came to
                if state.probe:
                    state.probe = False
                    if not self._open.is_set():
                        self._probing = False  # let the next request test the credentials
            if heard:
                self._unreachable = 0
                if not isinstance(verdict, Fatal):
                    self._open.set()
                if not outage_sign(verdict):
                    self.outage.answered()
            if isinstance(verdict, Fatal):
                if key is None:
                    self.recorder.not_sent(work)
                self._abort(verdict)
                return verdict
            if not isinstance(verdict, Retry | Ambiguous):
                return verdict
            delay = self._charge(state, verdict)
            elapsed = loop.time() - state.started
            if state.failures >= self.policy.max_failures or (
                elapsed + delay > self.policy.max_row_seconds
            ):
                if key is None:
                    raise GiveUp(f"gave up after {state.attempts} attempts: {state.message}")
                raise GiveUp(f"gave up: the lookup kept failing: {state.message}")
            await self._pause(delay)
            if isinstance(verdict, Ambiguous):
                return verdict

    # -- before a request leaves ---------------------------------------------------------

    async def _gate(self, state: RowState) -> bool:
        """Wait until this request may leave; True when it is the one probing an outage."""
        probe = await self._through_outage(state) if self.outage.down else False
        try:
            if not self._open.is_set():
                await self._credentials_gate(state)
            if self.throttle.rpm is not None or self.throttle.wait() > 0:
                await self._unless_halted(self.throttle.acquire())
            if self.halted:
                raise Halted
        except BaseException:
            if probe:
                self.outage.probe_done()
            raise
        return probe

    async def _through_outage(self, state: RowState) -> bool:
        """Wait while the API is down: True to send as the probe, False once it is back."""
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
                    try:
                        await self._pause(pause)
                    except BaseException:
                        self.outage.probe_done()
                        raise
                    return True
                await self._unless_halted(self.outage.changed())
            return False
        finally:
            state.started += loop.time() - began  # time in an outage is not the row's

    async def _credentials_gate(self, state: RowState) -> None:
        """Until one answer proves the credentials, only one request is out at a time."""
        if not self._probing:
            self._probing = state.probe = True
            return
        await self._unless_halted(self._open.wait())

    # -- one request -------------------------------------------------------------------------

    async def _add(self, work: Work, state: RowState) -> tuple[Verdict, bool]:
        """Post the row once: its verdict, and whether an answer came."""
        payload = work.prepared.payload
        assert payload is not None
        keys = work.prepared.keys
        marked = False
        if self.claims is not None:  # other jobs must see that this request may create it
            marked = await self._unless_halted(self.claims.posting(keys))
        state.attempts += 1
        if state.first_sent is None:
            state.first_sent = time.time()
        self.recorder.in_flight(work, state.attempts)
        self.stats.request()
        created = False
        try:
            answer = await self.client.add(payload)
        except AuthError as exc:  # the OAuth token request was refused
            self.stats.answered()
            return Fatal(401, str(exc)), True
        except TransportError as exc:
            self.stats.answered()
            if not exc.sent:
                self.recorder.not_sent(work)
                return self._not_reached(exc), False
            work.ambiguous = True
            self.recorder.ambiguous(work)
            return Ambiguous(str(exc)), False
        else:
            self.stats.answered()
            state.request_id = answer.request_id or state.request_id
            verdict = classify(answer.status, answer.body, answer.headers)
            created = isinstance(verdict, Created)
        finally:
            # a created customer keeps the mark until the ledger holds the claim (on settling)
            if marked and self.claims is not None and not created:
                await self.claims.answered(keys)
        if isinstance(verdict, Ambiguous):
            work.ambiguous = True
            self.recorder.ambiguous(work, answer.request_id)
        elif isinstance(verdict, Retry) and verdict.status in MAYBE_PROCESSED:
            # no lookup needed: resending is safe, since a second add of ours answers 8006
            work.maybe_created = True
            self.recorder.ambiguous(work, answer.request_id)
        return verdict, True

    async def _lookup(self, key: IdentityKey) -> tuple[Found | Retry | Fatal | Any, bool]:
        """Look one identifier up once: its verdict, and whether an answer came."""
        self.stats.request(lookup=True)
        try:
            answer = await self.client.lookup(
                key.source, key.type, key.value, key.account_id or None
            )
        except AuthError as exc:
            return Fatal(401, str(exc)), True
        except TransportError as exc:
            if not exc.sent:
                return self._not_reached(exc), False
            return Retry(None, str(exc)), False  # a lookup is safe to send again
        return classify_lookup(answer.status, answer.body, answer.headers), True

    def _not_reached(self, exc: TransportError) -> Retry:
        self._unreachable += 1
        if self._unreachable >= self.policy.unreachable_after and not self._open.is_set():
            # never answered at all: a wrong URL or a server that is not there
            self._abort(Fatal(0, f"server unreachable at {self.client.base_url}: {exc}"))
        return Retry(None, str(exc))  # no status: the connection failed (an outage sign)

    # -- after a transient answer ----------------------------------------------------------

    def _charge(self, state: RowState, verdict: Retry | Ambiguous) -> float:
        """Count a transient answer against the row (or the whole run); the row's wait."""
        status = verdict.status if isinstance(verdict, Retry) else None
        state.code = str(status) if status else None
        state.code = state.code or ("ambiguous" if isinstance(verdict, Ambiguous) else "no-answer")
        state.message = verdict.message
        rate_limited = isinstance(verdict, Retry) and verdict.rate_limited
        if rate_limited:
            state.rate_limited += 1
        else:
            state.failures += 1
        wait, pause_all = wait_after(
            verdict,
            failures=state.failures,
            rate_limited=state.rate_limited,
            rng=self.rng,
            policy=self.policy,
        )
        self.stats.retry(rate_limited=rate_limited)
        if pause_all is not None:
            self.throttle.rate_limited(pause_all)
        elif outage_sign(verdict) and self._open.is_set():
            self.outage.failed(state, verdict.message)  # a burst pauses the run instead
        return wait
