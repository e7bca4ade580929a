"""The dry run: a run with no network. ``prepare`` checks every row; this writes the reports a
real run writes (the rejected rows and in-file duplicates, the rows that would be sent with
warnings, ``summary.json``, ``errors.xlsx``, ``report.html``) and counts with the same counter.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from importer._exceptions import InputError, exit_code_for, unwritable_is_usage_error
from importer._layout import REPORT_FILES, default_job, new_run_dir, now_iso
from importer._models import Outcome, Settlement, Summary

if TYPE_CHECKING:  # prepare (numpy) is imported when a dry run starts, not with the CLI
    from importer.prepare import Checked


def dry_run(
    input: str | Path,
    mapping_path: str | Path,
    *,
    out: Path,
    job: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    workers: int | None = None,
    header_row: int | None = None,
    org: str | Path | None = None,
) -> Summary:
    """Validate every row without a network: write the reports a real run writes, return counts.

    ``org``: the org file (``importer org pull``) whose fields the mapping and values are checked
    against."""
    started = now_iso()
    thresholds = gc.get_threshold()
    # few, large collections: the dry run allocates millions of short-lived rows
    gc.set_threshold(100_000, 50, 1000)
    try:
        with unwritable_is_usage_error(out):  # nothing is ever sent: exit 2
            return _dry_run(
                input,
                mapping_path,
                out,
                job,
                encoding,
                delimiter,
                sheet,
                workers,
                started,
                org,
                header_row,
            )
    finally:
        gc.set_threshold(*thresholds)


def _until_broken(items: Iterator[Checked], summary: Summary) -> Iterator[Checked]:
    """The items, then stop at an input error mid-way: the rows read before it are reported,
    and the summary says where the file broke."""
    try:
        yield from items
    except InputError as exc:
        summary.aborted = f"input error: {exc}"


def _dry_run(
    input: str | Path,
    mapping_path: str | Path,
    out: Path,
    job: str | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | int | None,
    workers: int | None,
    started: str,
    org: str | Path | None = None,
    header_row: int | None = None,
) -> Summary:
    from importer.mapping import load_mapping, load_org, merge_usage, with_org
    from importer.prepare import check, check_columns, open_input
    from importer.report import (
        ReportWriter,
        count_ready,
        count_settled,
        file_fingerprint,
        write_errors_xlsx,
        write_page,
        write_summary,
    )

    mapping = load_mapping(mapping_path)
    table = open_input(
        input, mapping, encoding=encoding, delimiter=delimiter, sheet=sheet, header_row=header_row
    )
    if org is not None:
        mapping = with_org(mapping, load_org(org))
    builder = check_columns(table, mapping)
    job = job or default_job(table.path)
    run_dir = new_run_dir(Path(out), job)
    summary = Summary(
        input=str(table.path),
        fingerprint=file_fingerprint(table.path),
        job=job,
        run=run_dir.name,
        mapping=str(mapping_path),
        dry_run=True,
        started_at=started,
        sheet=table.sheet,
        header_row=table.header_row,
        header_note=table.header_note,
        org_file=str(org) if org is not None else None,
    )
    with ReportWriter(run_dir, table.columns) as writer:
        for chunk in _until_broken(check(table, builder, workers=workers), summary):
            summary.total_rows += chunk.rows
            summary.continuation += chunk.continuation
            merge_usage(summary.first_of, chunk.usage)
            count_ready(summary, chunk.sendable, len(chunk.warned))
            for row in chunk.settled:
                assert row.outcome is not None
                settlement = Settlement(
                    row=row.source.row, outcome=row.outcome, code=row.code, message=row.message
                )
                count_settled(summary, settlement, row)
                writer.write(row.source.cells, settlement, run_dir.name)
            for row in chunk.warned:
                # ready to send, with values dropped or read with a remark: say which
                writer.write_warnings(
                    row.source.cells,
                    Settlement(row.source.row, Outcome.CREATED, warnings=list(row.warnings)),
                    outcome="ready",
                )
    # duplicates inside the file are fine (the first row wins): only rejections need a look
    rejected = summary.outcomes[Outcome.REJECTED.value]
    # 2: the input broke (nothing is ever sent here)
    summary.exit_code = exit_code_for(
        outcomes={"rejected": rejected}, aborted=bool(summary.aborted), sent=False
    )
    summary.cells = table.notes.summary()  # text markers and error cells met, per column
    summary.finished_at = now_iso()
    write_errors_xlsx(run_dir, writer.counts[REPORT_FILES[Outcome.REJECTED]])
    write_summary(run_dir, summary)
    write_page(run_dir)
    return summary
