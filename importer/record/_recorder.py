"""The one owner of a run's record: every journal state change, the ledger and the report rows.

The sender holds a ``Recorder`` and tells it what happens to each row (in flight, maybe stored,
not sent, settled); the run hands it the rows that settle without a request. So the journal (the
truth for the next run), the ledger (what the org knows) and the reports (what the user reads)
cannot disagree about a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from importer._models import Outcome, Prepared, Settlement
from importer.record._journal import Entry, Journal, RunInput, content_digest, payload_digest
from importer.record._ledger import Ledger
from importer.record._storage import patiently

#: the code of a row whose outcome has no code of its own (every row has one, so counts add up)
NOT_ATTEMPTED = "not_attempted"
CREATED = "created"


class Writer(Protocol):
    def write(self, cells: dict[str, str], settlement: Settlement, run: str) -> None: ...


class Sent(Protocol):
    """A row on its way (``importer._models.Work``): its row, content digest and flags."""

    prepared: Prepared
    digest: str
    ambiguous: bool

    @property
    def row(self) -> int: ...


def with_code(settlement: Settlement) -> Settlement:
    """The settlement with a code: ``created``, or ``not_attempted`` for a row an abort or an
    interrupt left unsent (failed rows that were attempted carry their last status)."""
    if settlement.code:
        return settlement
    if settlement.outcome is Outcome.CREATED:
        return replace(settlement, code=CREATED)
    if settlement.outcome is Outcome.FAILED:
        return replace(settlement, code=NOT_ATTEMPTED if not settlement.attempts else "failed")
    return replace(settlement, code=settlement.outcome.value)


class Recorder:
    """Journal, ledger and report writer of one run; ``on_row`` sees every settled row once."""

    def __init__(
        self,
        journal: Journal,
        ledger: Ledger,
        writer: Writer,
        *,
        run: str,
        job: str,
        base_url: str,
        on_row: Callable[[Settlement, Prepared], Any] | None = None,
    ) -> None:
        self.journal = journal
        self.ledger = ledger
        self.writer = writer
        self.run = run
        self.job = job
        self.base_url = base_url
        self.on_row = on_row

    # -- the run -----------------------------------------------------------------------------

    def begin(self, input: str, fingerprint: str, *, rerun: bool) -> RunInput | None:
        """Record the run's start; return what the job's last run on its own input read."""
        last = self.journal.last_input(self.run)
        self.journal.begin_run(self.run, input, fingerprint, rerun=rerun)
        return last

    def finish(self, exit_code: int) -> None:
        self.journal.finish_run(self.run, exit_code)

    # -- what the journal knows ------------------------------------------------------------

    def entry(self, prepared: Prepared) -> tuple[str, Entry | None]:
        """The row's content digest and what an earlier run recorded for that content."""
        digest = content_digest(prepared.source.cells)
        return digest, self.journal.get(digest)

    # -- a request's life (called by the sender) --------------------------------------------

    def in_flight(self, work: Sent, attempts: int) -> None:
        """Before a request leaves: it may create the customer."""
        payload = payload_digest(work.prepared.payload)
        self.journal.in_flight(work.digest, work.row, payload, self.run, attempts)

    def ambiguous(self, work: Sent, request_id: str | None = None) -> None:
        """An attempt may have been stored: a later 8006 is our own customer."""
        self.journal.ambiguous(work.digest, request_id)

    def not_sent(self, work: Sent) -> None:
        """The request in flight is known not to have reached the server."""
        self.journal.not_sent(work.digest)

    def settle(self, work: Sent, settlement: Settlement) -> None:
        """A row the sender settled: the ledger, the journal (the truth), then the report.

        The shared ledger first: if it cannot be written (another process holds it too long)
        the row is still in flight in the journal, so the next run settles it and records both.
        """
        if self._requested(settlement):
            self._remember(work.prepared, settlement)
        self._journal_and_report(work, settlement)

    async def settle_waiting(self, work: Sent, settlement: Settlement, *, wait: float) -> None:
        """``settle``, waiting up to ``wait`` seconds for a ledger another process holds, with
        ``asyncio.sleep`` between tries: the event loop never waits inside SQLite."""
        if self._requested(settlement):
            await patiently(self._remember, work.prepared, settlement, wait=wait)
        self._journal_and_report(work, settlement)

    @staticmethod
    def _requested(settlement: Settlement) -> bool:
        return bool(settlement.attempts) or settlement.outcome is not Outcome.FAILED

    def _journal_and_report(self, work: Sent, settlement: Settlement) -> None:
        if self._requested(settlement):
            if settlement.outcome is Outcome.FAILED and work.ambiguous:
                self.journal.ambiguous(work.digest)
            payload = payload_digest(work.prepared.payload)
            self.journal.settle(work.digest, payload, settlement, self.run)
        # a row never attempted keeps its journal state: pending, or in flight to look up
        self.report(work.prepared, settlement)

    # -- rows settled without a request ----------------------------------------------------

    def report(self, prepared: Prepared, settlement: Settlement, run: str | None = None) -> None:
        """Write a settled row to its report; ``run`` names an earlier run that settled it."""
        settlement = with_code(settlement)
        if prepared.warnings and settlement.attempts:
            # what the mapping dropped or read with a remark, beside the API's own warnings
            settlement = replace(settlement, warnings=[*prepared.warnings, *settlement.warnings])
        self.writer.write(prepared.source.cells, settlement, run or self.run)
        if self.on_row is not None:
            self.on_row(settlement, prepared)

    def _remember(self, prepared: Prepared, settlement: Settlement) -> None:
        """Put the identifiers of a row the org now knows into the ledger."""
        if settlement.outcome in (Outcome.CREATED, Outcome.RECONCILED):
            reason = "created"  # a reconciled row's job claimed it: other jobs must not
        elif settlement.outcome is Outcome.DUPLICATE and settlement.code in ("8006", "existing"):
            reason = "8006"
        else:
            return
        self.ledger.remember(
            self.base_url,
            prepared.keys,
            customer_id=settlement.created_id,
            reason=reason,
            job=self.job,
        )
