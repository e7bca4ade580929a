"""Read -> map -> validate -> dedupe: every row becomes a payload or a local settlement.

The main process reads chunks and keeps the in-file duplicate index; mapping and validation run
in ``_workers``, in a small pool of processes when the input is large.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import InputError, unwritable_is_usage_error
from importer._layout import REPORT_FILES, now_iso
from importer._models import Outcome, Prepared, Settlement, SourceRow, Summary
from importer.mapping import Builder, Mapping, load_mapping, merge_usage, show
from importer.prepare._dedupe import Seen
from importer.prepare._pool import Projection, grouped, results
from importer.read import EXTRA, Table, open_table


def check_columns(table: Table, mapping: Mapping) -> Builder:
    """The mapping compiled for this table's columns: compiled once per run and shared by every
    stage. Raise InputError when the mapping reads a column the input does not have (and
    ConfigError when one of its constants is not valid)."""
    missing = sorted(mapping.columns_used() - set(table.columns))
    if missing:
        names = ", ".join(repr(c) for c in missing)
        have = ", ".join(table.columns)
        raise InputError(
            f"{table.path}: the mapping reads column {names}, which the file does not have "
            f"(it has: {have})"
        )
    return Builder(mapping, table.columns)


def prepare(
    table: Table,
    mapping: Mapping,
    *,
    workers: int | None = 0,
    builder: Builder | None = None,
    usage: dict[str, dict[str, int]] | None = None,
) -> Iterator[Prepared]:
    """Every row, in input order: a payload to send, or REJECTED / DUPLICATE with code and message.

    Sendable payloads have passed the pydantic model of the request (check_payload). The work is
    done in this process unless ``workers`` asks for a pool (None: a pool when the file is
    large); a sender limited to a few hundred requests a minute has no use for one. ``builder``
    is the mapping already compiled by ``check_columns`` (compiled here when not given).
    ``usage`` gathers which ``first_of`` candidates the rows used (``Summary.first_of``).
    """
    builder = builder or check_columns(table, mapping)
    columns = table.columns
    seen = Seen()
    for numbers, values, chunk in results(table, builder, workers, lean=False, checked=True):
        dups = seen.check(chunk.hashes, chunk.counts, numbers)
        if usage is not None:
            merge_usage(usage, chunk.usage)
        assert chunk.payloads is not None and chunk.keys is not None
        for i, (number, cells) in enumerate(zip(numbers, values, strict=True)):
            source = _source_row(number, cells, columns)
            if i in chunk.rejects:
                code, message, codes = chunk.rejects[i]
                yield Prepared(
                    source,
                    None,
                    outcome=Outcome.REJECTED,
                    code=code,
                    message=message,
                    codes=codes,
                )
            elif i in dups:
                earlier, at = dups[i]
                keys = chunk.keys[i]
                yield Prepared(
                    source,
                    None,
                    keys=keys,
                    outcome=Outcome.DUPLICATE,
                    code="in_file_duplicate",
                    message=_duplicate_message(keys[at], earlier),
                )
            else:
                warnings = tuple(chunk.warnings.get(i, ()))
                yield Prepared(source, chunk.payloads[i], keys=chunk.keys[i], warnings=warnings)


def _source_row(number: int, cells: list[str], columns: list[str]) -> SourceRow:
    mapped = dict(zip(columns, cells, strict=False))
    if len(cells) > len(columns):
        mapped[EXTRA] = "\t".join(cells[len(columns) :])
    return SourceRow(number, mapped)


def _until_broken(items: Iterator[Any], summary: Summary) -> Iterator[Any]:
    """The items, then stop at an input error mid-way: the rows read before it are reported,
    and the summary says where the file broke."""
    try:
        yield from items
    except InputError as exc:
        summary.aborted = f"input error: {exc}"


def _duplicate_message(key: Any, earlier: int) -> str:
    account = f", account {key.account_id}" if key.account_id else ""
    return (
        f"{key.type} {show(key.value)} (source {key.source}{account}) is already on row "
        f"{earlier}: the first row wins"
    )


# -- the dry run -------------------------------------------------------------------------------

#: A dry run writes errors.xlsx when at most this many rows would be rejected: more are fixed in the
#: mapping or the source, not cell by cell (and the workbook would cost more time than the check)
XLSX_ROWS = 1_000


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
) -> Summary:
    """Validate every row without a network: write the reports a real run writes, return counts."""
    started = now_iso()
    thresholds = gc.get_threshold()
    gc.set_threshold(
        100_000, 50, 1000
    )  # few, large collections: the dry run allocates millions of short-lived rows
    try:
        with unwritable_is_usage_error(out):  # nothing is ever sent: exit 2
            return _dry_run(
                input, mapping_path, out, job, encoding, delimiter, sheet, workers, started
            )
    finally:
        gc.set_threshold(*thresholds)


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
) -> Summary:
    from importer._layout import default_job, new_run_dir
    from importer.report import (
        ReportWriter,
        file_fingerprint,
        write_errors_xlsx,
        write_page,
        write_summary,
    )

    mapping = load_mapping(mapping_path)
    table = open_table(input, encoding=encoding, delimiter=delimiter, sheet=sheet)
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
    )
    columns = table.columns
    seen = Seen()
    project = Projection(builder)  # rows are kept as read: build from the cells the mapping reads
    with ReportWriter(run_dir, columns) as writer:
        chunks = results(table, builder, workers, lean=True, checked=False)
        for numbers, values, chunk in _until_broken(grouped(chunks), summary):
            summary.total_rows += len(numbers)
            dups = seen.check(chunk.hashes, chunk.counts, numbers)
            summary.sendable += len(numbers) - len(chunk.rejects) - len(dups)
            merge_usage(summary.first_of, chunk.usage)
            settled = [(i, Outcome.REJECTED, *chunk.rejects[i]) for i in chunk.rejects]
            for i, (earlier, at) in dups.items():
                _, keys = project.builder.build(project(values[i]))
                message = _duplicate_message(keys[at], earlier)
                code = "in_file_duplicate"
                settled.append((i, Outcome.DUPLICATE, code, message, (code,)))
            for i, outcome, code, message, codes in sorted(settled, key=lambda s: s[0]):
                summary.outcomes[outcome.value] += 1
                per_code = summary.codes.setdefault(outcome.value, {})
                per_code[code] = per_code.get(code, 0) + 1
                for each in codes:  # every problem of the row counts, not just its first
                    summary.problems[each] = summary.problems.get(each, 0) + 1
                writer.write(
                    _source_row(numbers[i], values[i], columns).cells,
                    Settlement(row=numbers[i], outcome=outcome, code=code, message=message),
                    run_dir.name,
                )
            for i, warnings in chunk.warnings.items():
                if i in dups:
                    continue
                # ready to send, with values dropped or read with a remark: say which
                summary.rows_with_warnings += 1
                writer.write_warnings(
                    _source_row(numbers[i], values[i], columns).cells,
                    Settlement(row=numbers[i], outcome=Outcome.CREATED, warnings=warnings),
                    outcome="ready",
                )
    # duplicates inside the file are fine (the first row wins): only rejections need a look
    rejected = summary.outcomes[Outcome.REJECTED.value]
    summary.exit_code = 2 if summary.aborted else 1 if rejected else 0  # 2: the input broke
    summary.finished_at = now_iso()
    write_errors_xlsx(run_dir, writer.counts[REPORT_FILES[Outcome.REJECTED]], limit=XLSX_ROWS)
    write_summary(run_dir, summary)
    write_page(run_dir)
    return summary
