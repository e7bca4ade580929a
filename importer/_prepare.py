"""Read -> map -> validate -> dedupe: every row becomes a payload or a local settlement.

The main process reads chunks and keeps the in-file duplicate index; mapping and validation,
the expensive part, run in a small pool of worker processes when the input is large.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from importer._compile import Builder
from importer._dedupe import Seen, fast_key_hash, key_hash
from importer._exceptions import InputError, RowRejected
from importer._mapping import Mapping, load_mapping
from importer._models import Outcome, Prepared, Settlement, SourceRow, Summary
from importer._read import EXTRA, Table, open_table
from importer._transforms import show
from importer._validate import check_payload

CHUNK = 5_000
#: Below this many bytes of input, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 4 << 20

#: (code, message, payload, keys, hashes): code is None for a sendable row.
Result = tuple[str | None, str | None, Any, tuple[Any, ...], list[int]]


def check_columns(table: Table, mapping: Mapping) -> None:
    """Raise InputError when the mapping reads a column the input does not have (and ConfigError
    when one of its constants is not valid)."""
    missing = sorted(mapping.columns_used() - set(table.columns))
    if missing:
        names = ", ".join(repr(c) for c in missing)
        have = ", ".join(table.columns)
        raise InputError(
            f"{table.path}: the mapping reads column {names}, which the file does not have "
            f"(it has: {have})"
        )
    Builder(mapping, table.columns)


def prepare(table: Table, mapping: Mapping, *, workers: int | None = None) -> Iterator[Prepared]:
    """Every row, in input order: a payload to send, or REJECTED / DUPLICATE with code and message.

    Sendable payloads have passed the pydantic model of the request (check_payload).
    """
    check_columns(table, mapping)
    columns = table.columns
    seen = Seen()
    for numbers, values, results in _results(table, mapping, workers, lean=False, checked=True):
        dups = _settle_duplicates(seen, numbers, results)
        for number, cells, result in zip(numbers, values, results, strict=True):
            source = _source_row(number, cells, columns)
            code, message, payload, keys, _ = result
            if code is not None:
                yield Prepared(source, None, outcome=Outcome.REJECTED, code=code, message=message)
            elif number in dups:
                earlier, at = dups[number]
                yield Prepared(
                    source,
                    None,
                    keys=keys,
                    outcome=Outcome.DUPLICATE,
                    code="in_file_duplicate",
                    message=_duplicate_message(keys[at], earlier),
                )
            else:
                yield Prepared(source, payload, keys=keys)


def _settle_duplicates(
    seen: Seen, numbers: list[int], results: list[Result]
) -> dict[int, tuple[int, int]]:
    """Row number -> (earlier row, index of the shared key) for this chunk's duplicates."""
    candidates = [(n, r[4]) for n, r in zip(numbers, results, strict=True) if r[0] is None]
    found = seen.check(candidates)
    return {n: f for (n, _), f in zip(candidates, found, strict=True) if f is not None}


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


# -- the work of one chunk, in a worker or in-process ------------------------------------------

_STATE: dict[str, Any] = {}


def _init(mapping: Mapping, columns: list[str], lean: bool, checked: bool, forked: bool) -> None:
    _STATE.update(
        builder=Builder(mapping, columns),
        width=len(columns),
        lean=lean,
        checked=checked,
        hash=fast_key_hash if forked else key_hash,
    )


def _work(values: list[list[str]]) -> list[Result]:
    builder: Builder = _STATE["builder"]
    width, lean, checked = _STATE["width"], _STATE["lean"], _STATE["checked"]
    hasher = _STATE["hash"]
    out: list[Result] = []
    for cells in values:
        if len(cells) > width:
            extra = [c for c in cells[width:] if c.strip()]
            out.append(
                (
                    "malformed_row",
                    f"the row has {len(cells)} cells but the header has {width} "
                    f"(extra: {show(', '.join(extra))}); a delimiter inside an unquoted cell?",
                    None,
                    (),
                    [],
                )
            )
            continue
        try:
            payload, keys = builder.build(cells) if not lean else builder.build_raw(cells)
            if checked:
                check_payload(payload)
        except RowRejected as exc:
            out.append((exc.code, str(exc), None, (), []))
            continue
        hashes = [hasher(k) for k in keys] if lean else [key_hash(k) for k in keys]
        out.append((None, None, None if lean else payload, () if lean else keys, hashes))
    return out


def _pool_size(table: Table, workers: int | None) -> int:
    if workers is not None:
        return max(0, workers)
    try:
        size = table.path.stat().st_size
    except OSError:
        size = 0
    if size < _POOL_THRESHOLD:
        return 0
    return min(2, os.cpu_count() or 1)


def _results(
    table: Table, mapping: Mapping, workers: int | None, *, lean: bool, checked: bool
) -> Iterator[tuple[list[int], list[list[str]], list[Result]]]:
    size = _pool_size(table, workers)
    chunks = table.raw_chunks(CHUNK)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if size <= 1:
        _init(mapping, table.columns, lean, checked, True)
        for numbers, values in chunks:
            yield numbers, values, _work(values)
        return
    # forked workers share the parent's hash seed, so they may use the cheap hash
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(
        max_workers=size,
        mp_context=context,
        initializer=_init,
        initargs=(mapping, table.columns, lean, checked, fork),
    ) as pool:
        pending: deque[tuple[list[int], list[list[str]], Future[list[Result]]]] = deque()
        for numbers, values in chunks:
            pending.append((numbers, values, pool.submit(_work, values)))
            if len(pending) > 2 * size:
                numbers, values, future = pending.popleft()
                yield numbers, values, future.result()
        while pending:
            numbers, values, future = pending.popleft()
            yield numbers, values, future.result()


# -- the dry run -------------------------------------------------------------------------------


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
    from importer._report import (
        ReportWriter,
        default_job,
        file_fingerprint,
        new_run_dir,
        write_summary,
    )

    started = _now()
    mapping = load_mapping(mapping_path)
    table = open_table(input, encoding=encoding, delimiter=delimiter, sheet=sheet)
    check_columns(table, mapping)
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
    builder: Builder | None = None
    with ReportWriter(run_dir, columns) as writer:
        for numbers, values, results in _results(table, mapping, workers, lean=True, checked=False):
            summary.total_rows += len(numbers)
            dups = _settle_duplicates(seen, numbers, results)
            summary.sendable += len(numbers)
            for number, cells, result in zip(numbers, values, results, strict=True):
                code, message = result[0], result[1]
                if code is not None:
                    outcome = Outcome.REJECTED
                elif number in dups:
                    builder = builder or Builder(mapping, columns)
                    earlier, at = dups[number]
                    _, keys = builder.build(cells)
                    outcome, code = Outcome.DUPLICATE, "in_file_duplicate"
                    message = _duplicate_message(keys[at], earlier)
                else:
                    continue
                summary.sendable -= 1
                summary.outcomes[outcome.value] += 1
                summary.codes[code] = summary.codes.get(code, 0) + 1
                writer.write(
                    _source_row(number, cells, columns).cells,
                    Settlement(row=number, outcome=outcome, code=code, message=message),
                )
    bad = summary.outcomes[Outcome.REJECTED.value] + summary.outcomes[Outcome.DUPLICATE.value]
    summary.exit_code = 1 if bad else 0
    summary.finished_at = _now()
    write_summary(run_dir, summary)
    return summary


def run_dir_of(summary: Summary, out: Path) -> Path:
    """Where a dry run left its reports."""
    return Path(out) / summary.job / summary.run


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
