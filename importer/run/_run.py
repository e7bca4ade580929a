"""One real run: read, prepare, send, journal and report every row of one input.

``run_import`` raises a ``FatalError`` (exit 2) for anything wrong before the first request; once
sending began it always writes the reports and returns the ``Summary`` (exit 3 when aborted).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import FatalError, unwritable_is_usage_error
from importer._layout import (
    JOURNAL_FILE,
    LEDGER_FILE,
    REPORT_FILES,
    default_job,
    is_report_file,
    now_iso,
)
from importer._models import Outcome, Prepared, Settlement, Summary, exit_code_for
from importer.record import NOT_ATTEMPTED, Journal, Ledger, Recorder, job_lock
from importer.report import channel_types, count_consent
from importer.run import _log
from importer.run._config import RunConfig, Target, resolve_target, write_settings
from importer.run._interrupt import graceful_interrupts
from importer.run._rows import RowKeys, Triage, carry_over
from importer.run._stops import as_storage_error, loggable
from importer.send import (
    AiohttpTransport,
    Claims,
    Client,
    Policy,
    Sender,
    Stats,
    Throttle,
    Work,
    default_concurrency,
)

#: the reports of a rerun's source folder that its own folder carries (rows it did not read)
CARRIED_FILES = tuple(
    REPORT_FILES[o] for o in (Outcome.CREATED, Outcome.DUPLICATE, Outcome.SKIPPED)
)


def run_import(config: RunConfig) -> Summary:
    """Import one input file; the CLI is a thin shell over this."""
    if config.dry_run:
        from importer.prepare import dry_run

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
    from importer._layout import new_run_dir
    from importer.mapping import load_mapping
    from importer.prepare import check_columns
    from importer.read import open_table
    from importer.report import write_page

    table = open_table(
        config.input, encoding=config.encoding, delimiter=config.delimiter, sheet=config.sheet
    )
    mapping = load_mapping(config.mapping)
    builder = check_columns(table, mapping)  # a missing column stops the run before it starts
    job = config.job or default_job(Path(config.input))
    job_dir = Path(config.out) / job
    ledger_path = config.ledger or Path(config.out) / LEDGER_FILE
    with contextlib.ExitStack() as stack:
        with unwritable_is_usage_error(config.out):  # a full disk before sending: exit 2
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
    """The state of one run: summary counters, the recorder, the progress bar."""

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
        from importer.report import ReportWriter, file_fingerprint

        self.config = config
        self.table = table
        self.mapping = mapping
        self.channels = channel_types(mapping)
        self.builder = builder  # the mapping compiled once for this run
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self.rpm = target.rpm
        self.credentials = target.credentials
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
        self.writer = ReportWriter(run_dir, table.columns, stream=True)
        self.recorder = Recorder(
            journal,
            ledger,
            self.writer,
            run=self.run_id,
            job=job,
            base_url=target.base_url,
            on_row=self.observe,
        )
        #: a report file of this job's own run folder: a rerun, whose folder carries the rest
        source = Path(config.input)
        ours = is_report_file(source) and default_job(source) == job
        self.rerun_of = source.parent if ours else None
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

    def observe(self, settlement: Settlement, prepared: Prepared) -> None:
        """Count a settled row (the recorder calls this once per row)."""
        s = self.summary
        outcome = settlement.outcome.value
        s.outcomes[outcome] = s.outcomes.get(outcome, 0) + 1
        codes = s.codes.setdefault(outcome, {})
        codes[settlement.code or ""] = codes.get(settlement.code or "", 0) + 1
        local = prepared.outcome is Outcome.REJECTED and settlement.code == prepared.code
        for code in prepared.codes if local else (settlement.code,):
            if code:  # every problem of a row rejected here counts, not just its first
                s.problems[code] = s.problems.get(code, 0) + 1
        if settlement.warnings and settlement.outcome is Outcome.CREATED:
            s.rows_with_warnings += 1
        if settlement.outcome is Outcome.CREATED and prepared.payload is not None:
            count_consent(s.consent, prepared.payload, self.channels)
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

    def _input_error(self, exc: FatalError) -> None:
        # the file broke mid-way: the rows read before it are still sent, then the input ends
        self.input_error = exc
        self.log.error("input_error", message=str(exc))

    def _prepared(self) -> Iterator[Prepared]:
        from importer.prepare import prepare

        return iter(
            prepare(self.table, self.mapping, builder=self.builder, usage=self.summary.first_of)
        )

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
            lock_wait=self.config.lock_wait,
        )
        claims = Claims(
            self.ledger,
            self.summary.base_url or "",
            self.summary.job,
            wait=self.config.lock_wait,
            grace=self.config.timeout + 5.0,  # a request is answered within its timeout
        )
        sender = Sender(
            self.client,
            throttle,
            self.recorder,
            policy=policy,
            stats=stats,
            claims=claims,
            log=self.log,
        )
        self.sender = sender
        try:
            with unwritable_is_usage_error(self.config.out):  # nothing was sent yet: exit 2
                await claims.start()
                last = self.recorder.begin(
                    str(self.config.input),
                    self.summary.fingerprint,
                    rerun=self.rerun_of is not None,
                )
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
        if (
            last is not None
            and self.rerun_of is None
            and last.fingerprint != self.summary.fingerprint
        ):
            self.log.warning(
                "input_changed",
                input=str(self.config.input),
                last_run=last.run,
                note="not the file the job's last run read: rows are matched by content, so new "
                "and changed rows are sent and rows settled before are reported as settled",
            )
        if self.rpm is None:
            self.log.warning("no_rate_limit", note="sending as fast as the server answers")
        self._open_bar()
        triage = Triage(
            self.recorder,
            self.ledger,
            base_url=self.summary.base_url or "",
            skip_known=self.config.skip_known,
            row_keys=RowKeys(self.mapping, self.table.columns) if self.config.skip_known else None,
            on_input_error=self._input_error,
            keep_rows=self.rerun_of is not None,
        )
        works = triage.works(self._prepared())
        with graceful_interrupts(sender, self.log):
            try:
                await sender.run(works)
                if sender.failure is not None:
                    raise self._cannot_record(sender, stats)
                reason = sender.halt_reason()
                for work in sender.unsent:
                    self.recorder.settle(work, _not_attempted(work, reason))
                # the rest of the input: every row still gets exactly one outcome
                async for work in works:
                    self.recorder.settle(work, _not_attempted(work, reason))
                self.summary.total_rows = triage.total
                if self.rerun_of is not None and triage.rows is not None:
                    self.summary.carried = carry_over(
                        self.recorder, self.rerun_of, CARRIED_FILES, self.table.columns, triage.rows
                    )
                    self.summary.total_rows += self.summary.carried
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
            self._finish(sender, stats)
        return as_storage_error(failure, self.run_dir)

    def _finish(self, sender: Sender, stats: Stats) -> Summary:
        from importer.report import XLSX_MAX_ROWS, write_errors_xlsx, write_summary

        counts = self.writer.close()
        errors = counts[REPORT_FILES[Outcome.REJECTED]]
        if write_errors_xlsx(self.run_dir, errors) is None and errors > XLSX_MAX_ROWS:
            self.log.warning(
                "errors_xlsx_skipped",
                rows=errors,
                note=f"errors.xlsx is written for at most {XLSX_MAX_ROWS:,} rows: use errors.csv",
            )
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
        self.recorder.finish(s.exit_code)
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
        work.row, Outcome.FAILED, code=NOT_ATTEMPTED, message=f"not attempted: {reason}"
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
