"""Read -> map -> validate -> dedupe: every row becomes a payload or a local settlement.

The main process reads chunks and keeps the in-file duplicate index; mapping and validation run
in ``_chunks``, in a small pool of processes when the input is large. Nothing here writes a file:
the dry run (``run/``) reports what ``check`` finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from importer._exceptions import InputError
from importer._models import Outcome, Prepared, SourceRow, Summary
from importer.mapping import Builder, Mapping, merge_usage, show
from importer.prepare._chunks import Projection, grouped, results
from importer.prepare._dedupe import Seen
from importer.read import EXTRA, Table


def check_columns(table: Table, mapping: Mapping) -> Builder:
    """The mapping compiled for this table's columns: compiled once per run and shared by every
    stage. Raise InputError when the mapping reads a column the input does not have (and
    ConfigError when one of its constants is not valid)."""
    missing = sorted(mapping.columns_used() - set(table.columns))
    if missing:
        names = ", ".join(repr(c) for c in missing)
        have = ", ".join(table.columns)
        where = (
            f"the header was read on {table.header_note}"
            if table.header_note
            else f"the header was read on row {table.header_row}"
        )
        raise InputError(
            f"{table.path}: the mapping reads column {names}, which the file does not have "
            f"(it has: {have}; {where}: --header-row N names the row of the column names)"
        )
    return Builder(mapping, table.columns)


def prepare(
    table: Table,
    mapping: Mapping,
    *,
    workers: int | None = 0,
    builder: Builder | None = None,
    summary: Summary | None = None,
) -> Iterator[Prepared]:
    """Every row, in input order: a payload to send, or REJECTED / DUPLICATE with code and message.

    Sendable payloads have passed the pydantic model of the request (check_payload). The work is
    done in this process unless ``workers`` asks for a pool (None: a pool when the file is
    large); a sender limited to a few hundred requests a minute has no use for one. ``builder``
    is the mapping already compiled by ``check_columns`` (compiled here when not given).
    ``summary`` gathers which ``first_of`` candidates the rows used (``first_of``); a row that
    continues the customer above (``settings.continuation``) is no customer: it is not yielded,
    only counted there (``continuation``).
    """
    builder = builder or check_columns(table, mapping)
    columns = table.columns
    seen = Seen()
    for numbers, values, chunk in results(table, builder, workers, lean=False, checked=True):
        dups = seen.check(chunk.hashes, chunk.counts, numbers)
        if summary is not None:
            merge_usage(summary.first_of, chunk.usage)
            summary.continuation += len(chunk.continuations)
        assert chunk.payloads is not None and chunk.keys is not None
        for i, (number, cells) in enumerate(zip(numbers, values, strict=True)):
            if i in chunk.continuations:
                continue
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


def _duplicate_message(key: Any, earlier: int) -> str:
    account = f", account {key.account_id}" if key.account_id else ""
    return (
        f"{key.type} {show(key.value)} (source {key.source}{account}) is already on row "
        f"{earlier}: the first row wins"
    )


# -- the lean pass of a dry run -----------------------------------------------------------------


@dataclass(slots=True)
class Checked:
    """One chunk of a lean pass: how many rows it read, how many would be sent, the rows it
    settled here (rejected, in-file duplicate) in row order, and the rows that would be sent
    with local warnings (``payload`` left out: a dry run never builds what it does not send)."""

    rows: int
    sendable: int
    settled: list[Prepared]
    warned: list[Prepared]
    #: rows that continue the customer above (not in ``rows``), and ``first_of`` candidates used
    continuation: int = 0
    usage: dict[str, dict[str, int]] = field(default_factory=dict)


def check(table: Table, builder: Builder, *, workers: int | None = None) -> Iterator[Checked]:
    """Every row's verdict, chunk by chunk, without keeping a payload: what a dry run reports.

    Rows are kept as read and only the duplicates are built again (from the cells the mapping
    reads), so a large file costs little memory. An ``InputError`` ends the iteration where the
    file broke, after the chunks read before it.
    """
    columns = table.columns
    seen = Seen()
    project = Projection(builder)
    chunks = results(table, builder, workers, lean=True, checked=False)
    for numbers, values, chunk in grouped(chunks):
        dups = seen.check(chunk.hashes, chunk.counts, numbers)
        settled = [
            Prepared(
                _source_row(numbers[i], values[i], columns),
                None,
                outcome=Outcome.REJECTED,
                code=code,
                message=message,
                codes=codes,
            )
            for i, (code, message, codes) in chunk.rejects.items()
        ]
        for i, (earlier, at) in dups.items():
            _, keys = project.builder.build(project(values[i]))
            settled.append(
                Prepared(
                    _source_row(numbers[i], values[i], columns),
                    None,
                    outcome=Outcome.DUPLICATE,
                    code="in_file_duplicate",
                    message=_duplicate_message(keys[at], earlier),
                    codes=("in_file_duplicate",),
                )
            )
        settled.sort(key=lambda p: p.source.row)
        warned = [
            Prepared(_source_row(numbers[i], values[i], columns), None, warnings=tuple(warnings))
            for i, warnings in chunk.warnings.items()
            if i not in dups
        ]
        customers = len(numbers) - len(chunk.continuations)
        sendable = customers - len(chunk.rejects) - len(dups)
        yield Checked(customers, sendable, settled, warned, len(chunk.continuations), chunk.usage)
