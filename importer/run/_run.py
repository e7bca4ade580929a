"""One real run: read, prepare, send, journal and report every row of one input.

``run_import`` raises a ``FatalError`` (exit 2) for anything wrong before the first request; once
sending began it always writes the reports and returns the ``Summary`` (exit 3 when aborted).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import FatalError, unwritable_is_usage_error
from importer._layout import JOURNAL_FILE, LEDGER_FILE, now_iso
from importer._models import Outcome, Prepared, Settlement, Summary, exit_code_for
from importer.record._journal import LOOKUP, SETTLED, SKIP, Journal, decide, payload_digest
from importer.record._ledger import Ledger
from importer.record._lock import job_lock
from importer.record._storage import patiently
from importer.report._consent import channel_types, count_consent
from importer.run import _log
from importer.run._config import RunConfig, Target, resolve_target, write_settings
from importer.run._interrupt import graceful_interrupts
from importer.run._stops import as_storage_error, loggable, take
from importer.send._claims import Claims
from importer.send._client import AiohttpTransport, Client
from importer.send._outcome import Work
from importer.send._retry import Policy, Stats, default_concurrency
from importer.send._sender import Sender
from importer.send._throttle import Throttle

#: rows prepared per hop to the worker thread, so reading never stalls the event loop for long.
PREPARE_BATCH = 256


def run_import(config: RunConfig) -> Summary:
    """Import one input file; the CLI is a thin shell over this."""
    if config.dry_run:
        from importer.prepare._pipeline import dry_run

        return dry_run(
            config.input,
            config.mapping,
            out=config.out,
            job=config.job,
            encoding=config.encoding,
            delimiter=config.delimiter,
            sheet=config.sheet,
        )
    target = resolve_target(config)
    return asyncio.run(import_one(config, target, Throttle(target.rpm, window=config.rate_window)))


async def import_one(config: RunConfig, target: Target, throttle: Throttle) -> Summary:
    """Import one input under a throttle that other inputs of the same org may share."""
    from importer._layout import default_job, new_run_dir
    from importer.mapping._spec import load_mapping
    from importer.prepare._pipeline import check_columns
    from importer.read._table import open_table
    from importer.report._page import write_page

    table = open_table(
        config.input, encoding=config.encoding, delimiter=config.delimiter, sheet=config.sheet
    )
    mapping = load_mapping(config.mapping)
    builder = check_columns(table, mapping)  # a missing column stops the run before it starts
    job = config.job or default_job(Path(config.input))
    job_dir = Path(config.out) / job
    ledger_path = config.ledger or Path(config.out) / LEDGER_FILE
    with contextlib.ExitStack() as stack:
        with unwritable_is_usage_error(config.out):
            stack.enter_context(job_lock(job_dir))
            journal = stack.enter_context(Journal(job_dir / JOURNAL_FILE))
            ledger = stack.enter_context(Ledger(ledger_path))
            run_dir = new_run_dir(config.out, job)
            write_settings(run_dir, config, target)
            run = _Run(config, table, mapping, journal, run_dir, job, target, ledger, builder)
        try:
            summary = await run.main(throttle)
        finally:
            _log.close()
    write_page(run_dir)
    return summary


class _Run:
    """The state of one run: summary counters, the report writer, the progress bar."""

    def __init__(
        self,
        config: RunConfig,
        table: Any,
        mapping: Any,
        journal: Journal,
        run_dir: Path,
        job: str,
        target: Target,
        ledger: Ledger,
        builder: Any,
    ) -> None:
        from importer.report._writer import ReportWriter, file_fingerprint

        self.config = config
        self.table = table
        self.mapping = mapping
        self.channels = channel_types(mapping)
        self.builder = builder  # the mapping compiled once for this run
        self.journal = journal
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self.rpm = target.rpm
        self.credentials = target.credentials
        self.base_url = target.base_url
        self.ledger = ledger
        self.tty = sys.stderr.isatty() if config.progress is None else config.progress
        self.log = _log.configure(run_dir, tty=self.tty)
        self.summary = Summary(
            input=str(config.input),
            fingerprint=file_fingerprint(Path(config.input)),
            job=job,
            run=self.run_id,
            mapping=str(config.mapping),
            rpm_limit=target.rpm,
            base_url=target.base_url,
            started_at=now_iso(),
        )
        self.writer = ReportWriter(run_dir, table.columns)
        self.client = Client(
            target.base_url,
            config.transport or AiohttpTransport(connections=self._concurrency()),
            target.credentials,
            headers=config.headers,
            timeout=config.timeout,
        )
        self.bar: Any = None
        self.sender: Sender | None = None
        self.input_error: FatalError | None = None  # the input broke mid-way

    def _concurrency(self) -> int:
        return self.config.concurrency or default_concurrency(self.rpm)

    # -- settling ----------------------------------------------------------------------------

    def settle(self, prepared: Prepared, settlement: Settlement) -> None:
        """Count a settled row and write it to its report."""
        s = self.summary
        s.outcomes[settlement.outcome.value] = s.outcomes.get(settlement.outcome.value, 0) + 1
        if prepared.warnings and settlement.attempts:
            # what the mapping dropped or read with a remark, beside the API's own warnings
            settlement.warnings = [*prepared.warnings, *settlement.warnings]
        local = prepared.outcome is Outcome.REJECTED and settlement.code == prepared.code
        for code in prepared.codes if local else (settlement.code,):
            if code:  # every problem of a row rejected here counts, not just its first
                s.codes[code] = s.codes.get(code, 0) + 1
        if settlement.warnings and settlement.outcome is Outcome.CREATED:
            s.rows_with_warnings += 1
        if settlement.outcome is Outcome.CREATED and prepared.payload is not None:
            count_consent(s.consent, prepared.payload, self.channels)
        self.writer.write(prepared.source.cells, settlement)
        if settlement.outcome in (Outcome.REJECTED, Outcome.FAILED) and settlement.attempts:
            self.log.warning(
                "row_" + settlement.outcome.value,
                row=settlement.row,
                code=settlement.code,
                message=settlement.message,
                request_id=settlement.request_id,
            )
        if self.bar is not None:
            self.bar.update(1)

    async def on_sent(self, work: Work, settlement: Settlement) -> None:
        """A row the pool settled: the ledger, the journal (the truth), then the report.

        The shared ledger first: another job may hold it a while (waited for without stopping
        the loop), and if it stays locked the row is still in flight in the journal, so the
        next run settles it and records it in both.
        """
        if settlement.attempts or settlement.outcome is not Outcome.FAILED:
            await patiently(self._remember, work.prepared, settlement, wait=self.config.lock_wait)
            if settlement.outcome is Outcome.FAILED and work.ambiguous:
                self.journal.ambiguous(work.row)
            self.journal.settle(settlement, work.digest, self.run_id)
        # a row never attempted keeps its journal state: pending, or in flight to look up
        self.settle(work.prepared, settlement)

    def _remember(self, prepared: Prepared, settlement: Settlement) -> None:
        """Put the identifiers of a row the org now knows into the ledger."""
        if settlement.outcome is Outcome.CREATED:
            reason = "created"
        elif settlement.outcome is Outcome.DUPLICATE and settlement.code == "8006":
            reason = "8006"
        else:
            return
        self.ledger.remember(
            self.base_url,
            prepared.keys,
            customer_id=settlement.created_id,
            reason=reason,
            job=self.summary.job,
        )

    def _known(self, prepared: Prepared) -> Settlement | None:
        """A ``skipped`` settlement when the ledger has seen one of the row's identifiers."""
        hit = self.ledger.known(self.base_url, prepared.keys)
        if hit is None:
            return None
        key, customer_id = hit
        whose = f" (customer {customer_id})" if customer_id is not None else ""
        return Settlement(
            prepared.source.row,
            Outcome.SKIPPED,
            created_id=customer_id,
            code="known",
            message=f"{key.type} {key.value} is already known to the org{whose}: not sent",
        )

    def _skipped(self, prepared: Prepared, entry: Any) -> Settlement:
        return Settlement(
            prepared.source.row,
            Outcome.SKIPPED,
            created_id=entry.created_id,
            code=entry.outcome.value,
            message=f"settled by run {entry.run} as {entry.outcome.value}",
            attempts=0,
            request_id=entry.request_id,
        )

    def _local(self, prepared: Prepared) -> None:
        assert prepared.outcome is not None
        settlement = Settlement(
            prepared.source.row, prepared.outcome, code=prepared.code, message=prepared.message
        )
        entry = self.journal.get(prepared.source.row)
        if entry is None or entry.state == SETTLED and not entry.ambiguous:
            self.journal.settle(settlement, "", self.run_id, local=True)
        self.settle(prepared, settlement)

    # -- the input ---------------------------------------------------------------------------

    def _prepared(self) -> Iterator[Prepared]:
        from importer.prepare._pipeline import prepare

        return iter(prepare(self.table, self.mapping, builder=self.builder))

    async def works(self, rows: Iterator[Prepared]) -> AsyncIterator[Work]:
        """Sendable rows not settled by an earlier run; settles the others on the way."""
        while self.input_error is None:
            batch, self.input_error = await asyncio.to_thread(take, rows, PREPARE_BATCH)
            if self.input_error is not None:
                # the file broke mid-way: the rows before it are sent, then the run stops
                self.log.error("input_error", message=str(self.input_error))
            if not batch:
                return
            for prepared in batch:
                self.summary.total_rows += 1
                entry = self.journal.get(prepared.source.row)
                if not prepared.sendable:
                    if (
                        entry is not None
                        and entry.state == SETTLED
                        and not entry.local
                        and entry.outcome in (Outcome.CREATED, Outcome.DUPLICATE)
                    ):
                        # the customer exists already, whatever the mapping says now
                        self.settle(prepared, self._skipped(prepared, entry))
                    else:
                        self._local(prepared)
                    continue
                digest = payload_digest(prepared.payload)
                action = decide(entry, digest)
                if action == SKIP:
                    self.settle(prepared, self._skipped(prepared, entry))
                    continue
                known = None
                if self.config.skip_known:
                    known = await patiently(self._known, prepared, wait=self.config.lock_wait)
                if known is not None:
                    self.settle(prepared, known)
                    continue
                yield Work(prepared, digest, ambiguous=action == LOOKUP)

    # -- the run -----------------------------------------------------------------------------

    async def main(self, throttle: Throttle) -> Summary:
        concurrency = self._concurrency()
        stats = Stats()
        policy = Policy(
            concurrency=concurrency,
            max_failures=self.config.max_failures,
            max_row_seconds=self.config.max_row_seconds,
            backoff_base=self.config.backoff_base,
            outage_wait=self.config.outage_wait,
            outage_probe_base=self.config.outage_probe_base,
            outage_burst=self.config.outage_burst,
        )
        claims = Claims(
            self.ledger,
            self.base_url,
            self.summary.job,
            wait=self.config.lock_wait,
            grace=self.config.timeout + 5.0,  # a request is answered within its timeout
        )
        sender = Sender(
            self.client,
            throttle,
            self.journal,
            self.run_id,
            self.on_sent,
            policy=policy,
            stats=stats,
            claims=claims,
            log=self.log,
        )
        self.sender = sender
        try:
            with unwritable_is_usage_error(self.config.out):  # nothing was sent yet: exit 2
                await claims.start()
                self.journal.begin_run(self.run_id, str(self.config.input))
                self.log.info(
                    "run_started",
                    input=str(self.config.input),
                    job=self.summary.job,
                    run=self.run_id,
                    base_url=self.summary.base_url,
                    rpm=self.rpm,
                    concurrency=concurrency,
                    auth=self.credentials.kind,
                )
        except BaseException:
            await self.client.close()
            raise
        if self.rpm is None:
            self.log.warning("no_rate_limit", note="sending as fast as the server answers")
        self._open_bar()
        works = self.works(self._prepared())
        with graceful_interrupts(sender, self.log):
            try:
                await sender.run(works)
                if sender.failure is not None:
                    raise self._cannot_record(sender, stats)
                reason = sender.halt_reason()
                for work in sender.unsent:
                    await self.on_sent(work, _not_attempted(work, reason))
                # the rest of the input: every row still gets exactly one outcome
                async for work in works:
                    await self.on_sent(work, _not_attempted(work, reason))
                await claims.finish()
            finally:
                await self.client.close()
                if self.bar is not None:
                    self.bar.total = self.bar.n  # the line count was an estimate
                    self.bar.refresh()
                    self.bar.close()
            # still inside: a late Ctrl-C must not cut the reports short
            return self._finish(sender, stats)

    def _cannot_record(self, sender: Sender, stats: Stats) -> BaseException:
        """A row could not be recorded: the reports end there, summary.json says why (if it
        still can be written), and the run stops with the error (a StorageError: exit 3)."""
        failure = sender.failure
        assert failure is not None
        with contextlib.suppress(Exception):
            if loggable(failure):
                self.log.error("cannot_record", message=str(failure))
            self.writer.close()
            self._finish(sender, stats)
        return as_storage_error(failure, self.run_dir)

    def _finish(self, sender: Sender, stats: Stats) -> Summary:
        from importer.report._summary import write_summary

        self.writer.close()
        s = self.summary
        s.requests, s.retries, s.rate_limited = stats.requests, stats.retries, stats.rate_limited
        s.achieved_rpm = stats.achieved_rpm()
        s.timeline = stats.timeline
        s.finished_at = now_iso()
        if sender.abort is not None:
            s.aborted = sender.abort.message
        elif sender.interrupted:
            s.aborted = "interrupted"
        elif self.input_error is not None:
            s.aborted = f"input error: {self.input_error}"
        s.exit_code = exit_code_for(
            s.outcomes, aborted=sender.abort is not None or self.input_error is not None
        )
        if self.input_error is not None and stats.adds == 0:
            s.exit_code = 2  # the input is unusable and nothing was sent
        write_summary(self.run_dir, s)
        self.journal.finish_run(self.run_id, s.exit_code)
        self.log.info(
            "run_finished",
            outcomes=s.outcomes,
            requests=s.requests,
            retries=s.retries,
            rate_limited=s.rate_limited,
            achieved_rpm=s.achieved_rpm,
            exit_code=s.exit_code,
            aborted=s.aborted,
        )
        return s

    def _open_bar(self) -> None:
        if not self.tty:
            return
        from tqdm import tqdm

        self.bar = tqdm(
            total=_estimate_rows(Path(self.config.input)),
            unit="row",
            desc=self.summary.job,
            dynamic_ncols=True,
        )


def _not_attempted(work: Work, reason: str) -> Settlement:
    return Settlement(
        work.row, Outcome.FAILED, code="not-attempted", message=f"not attempted: {reason}"
    )


def _estimate_rows(path: Path) -> int | None:
    """Lines in a text file minus its header (for the progress bar's ETA); None for Excel."""
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}:
        return None
    try:
        with open(path, "rb") as fh:
            lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None
    return max(0, lines - 1)
