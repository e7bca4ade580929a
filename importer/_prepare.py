"""Read -> map -> validate -> dedupe: every row becomes a payload or a local settlement.

The main process reads chunks and keeps the in-file duplicate index; mapping and validation,
the expensive part, run in a small pool of worker processes when the input is large.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

import numpy as np

from importer._compile import Builder
from importer._dedupe import Seen, key_hash
from importer._exceptions import InputError, RowRejected
from importer._mapping import Mapping, load_mapping
from importer._models import IdentityKey, Outcome, Prepared, Settlement, SourceRow, Summary
from importer._read import EXTRA, Table, open_table
from importer._transforms import show
from importer._validate import check_payload

CHUNK = 5_000
#: Below this many bytes of input, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 4 << 20


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
    for numbers, values, chunk in _results(table, mapping, workers, lean=False, checked=True):
        dups = seen.check(chunk.hashes, chunk.counts, numbers)
        assert chunk.payloads is not None and chunk.keys is not None
        for i, (number, cells) in enumerate(zip(numbers, values, strict=True)):
            source = _source_row(number, cells, columns)
            if i in chunk.rejects:
                code, message = chunk.rejects[i]
                yield Prepared(source, None, outcome=Outcome.REJECTED, code=code, message=message)
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
                yield Prepared(source, chunk.payloads[i], keys=chunk.keys[i])


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
    # rows make millions of short-lived lists and no cycles: collecting often only costs time
    gc.set_threshold(100_000, 50, 1000)
    _STATE.update(
        builder=Builder(mapping, columns),
        width=len(columns),
        lean=lean,
        checked=checked,
        forked=forked,
    )


_CELL, _ROW = "\x1f", "\x1e"


def _pack(values: list[list[str]]) -> str | list[list[str]]:
    """A chunk as one string, ~10x cheaper to send to a worker than a list of lists."""
    text = _ROW.join([_CELL.join(cells) for cells in values])
    cells = sum(map(len, values))
    if text.count(_CELL) != cells - len(values) or text.count(_ROW) != len(values) - 1:
        return values  # some cell holds a separator character: send the lists as they are
    return text


class Rows:
    """A group's rows of cells, kept as the packed strings sent to the workers (a few times
    smaller than lists of strings) until a row is asked for: only reported rows ever are."""

    def __init__(self, parts: list[str | list[list[str]]], sizes: list[int]) -> None:
        self._parts = parts
        self._starts = list(accumulate(sizes, initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, i: int) -> list[str]:
        k = bisect_right(self._starts, i) - 1
        part = self._parts[k]
        if isinstance(part, str):
            part = self._parts[k] = _unpack(part)
        return part[i - self._starts[k]]

    def __iter__(self) -> Iterator[list[str]]:
        for part in self._parts:
            yield from _unpack(part)

    def __add__(self, other: Rows) -> Rows:
        sizes = [b - a for a, b in pairwise(self._starts)] + [
            b - a for a, b in pairwise(other._starts)
        ]
        return Rows(self._parts + other._parts, sizes)


def _unpack(packed: str | list[list[str]]) -> list[list[str]]:
    if isinstance(packed, str):
        return [row.split(_CELL) for row in packed.split(_ROW)]
    return packed


def _work_packed(packed: str | list[list[str]]) -> ChunkResult:
    return _work(_unpack(packed))


@dataclass
class ChunkResult:
    """What the work on one chunk found; payloads and keys only when asked for (not lean)."""

    rejects: dict[int, tuple[str, str]]  # row index -> (code, message)
    hashes: np.ndarray  # uint64: the identity keys of the sendable rows, row after row
    counts: np.ndarray  # per row: how many of ``hashes`` are its keys (0 when rejected)
    payloads: list[dict[str, Any] | None] | None = None
    keys: list[tuple[IdentityKey, ...]] | None = None


def _work(values: list[list[str]]) -> ChunkResult:
    builder: Builder = _STATE["builder"]
    width, lean, checked = _STATE["width"], _STATE["lean"], _STATE["checked"]
    fast = lean and _STATE["forked"]
    build_raw = builder.build_raw
    rejects: dict[int, tuple[str, str]] = {}
    hashes: list[int] = []
    counts = [0] * len(values)
    payloads: list[dict[str, Any] | None] = []
    all_keys: list[tuple[IdentityKey, ...]] = []
    for i, cells in enumerate(values):
        if len(cells) > width:
            rejects[i] = ("malformed_row", _malformed(cells, width))
            payloads.append(None)
            all_keys.append(())
            continue
        try:
            if fast:
                payload, _, row_hashes = build_raw(cells)
            else:
                payload, keys = builder.build(cells)
                row_hashes = [key_hash(k) for k in keys]
            if checked:
                check_payload(payload)
        except RowRejected as exc:
            rejects[i] = (exc.code, str(exc))
            payloads.append(None)
            all_keys.append(())
            continue
        hashes.extend(row_hashes)
        counts[i] = len(row_hashes)
        if not lean:
            payloads.append(payload)
            all_keys.append(keys)
    return ChunkResult(
        rejects,
        np.array(hashes, dtype=np.uint64),
        np.array(counts, dtype=np.int32),
        None if lean else payloads,
        None if lean else all_keys,
    )


def _malformed(cells: list[str], width: int) -> str:
    extra = [c for c in cells[width:] if c.strip()]
    return (
        f"the row has {len(cells)} cells but the header has {width} "
        f"(extra: {show(', '.join(extra))}); a delimiter inside an unquoted cell?"
    )


def _grouped(
    chunks: Iterator[tuple[list[int], Rows, ChunkResult]], rows: int = 20_000
) -> Iterator[tuple[list[int], Rows, ChunkResult]]:
    """Consecutive chunks joined into groups of about ``rows``: the duplicate index is searched
    once per group, and fewer, larger searches are much cheaper on a large index."""
    group: list[tuple[list[int], Rows, ChunkResult]] = []
    size = 0
    for item in chunks:
        group.append(item)
        size += len(item[0])
        if size >= rows:
            yield _join(group)
            group, size = [], 0
    if group:
        yield _join(group)


def _join(
    group: list[tuple[list[int], Rows, ChunkResult]],
) -> tuple[list[int], Rows, ChunkResult]:
    if len(group) == 1:
        return group[0]
    numbers: list[int] = []
    values = Rows([], [])
    rejects: dict[int, tuple[str, str]] = {}
    payloads: list[Any] | None = [] if group[0][2].payloads is not None else None
    keys: list[Any] | None = [] if group[0][2].keys is not None else None
    for part_numbers, part_values, chunk in group:
        offset = len(numbers)
        rejects.update({offset + i: found for i, found in chunk.rejects.items()})
        numbers.extend(part_numbers)
        values = values + part_values
        if payloads is not None and chunk.payloads is not None:
            payloads.extend(chunk.payloads)
        if keys is not None and chunk.keys is not None:
            keys.extend(chunk.keys)
    joined = ChunkResult(
        rejects,
        np.concatenate([c.hashes for _, _, c in group]),
        np.concatenate([c.counts for _, _, c in group]),
        payloads,
        keys,
    )
    return numbers, values, joined


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
) -> Iterator[tuple[list[int], Rows, ChunkResult]]:
    size = _pool_size(table, workers)
    chunks = table.raw_chunks(CHUNK)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if size <= 1:
        _init(mapping, table.columns, lean, checked, True)
        for numbers, values in chunks:
            yield numbers, Rows([values], [len(values)]), _work(values)
        return
    # forked workers share the parent's hash seed, so they may use the cheap hash
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(
        max_workers=size,
        mp_context=context,
        initializer=_init,
        initargs=(mapping, table.columns, lean, checked, fork),
    ) as pool:
        pending: deque[tuple[list[int], Rows, Future[ChunkResult]]] = deque()
        for numbers, values in chunks:
            packed = _pack(values)
            rows = Rows([packed], [len(values)])
            pending.append((numbers, rows, pool.submit(_work_packed, packed)))
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
    started = _now()
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)  # see _init
    try:
        return _dry_run(input, mapping_path, out, job, encoding, delimiter, sheet, workers, started)
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
    from importer._report import (
        ReportWriter,
        default_job,
        file_fingerprint,
        new_run_dir,
        write_summary,
    )

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
        results = _results(table, mapping, workers, lean=True, checked=False)
        for numbers, values, chunk in _grouped(results):
            summary.total_rows += len(numbers)
            dups = seen.check(chunk.hashes, chunk.counts, numbers)
            summary.sendable += len(numbers) - len(chunk.rejects) - len(dups)
            settled = [(i, Outcome.REJECTED, *chunk.rejects[i]) for i in chunk.rejects]
            for i, (earlier, at) in dups.items():
                builder = builder or Builder(mapping, columns)
                _, keys = builder.build(values[i])
                message = _duplicate_message(keys[at], earlier)
                settled.append((i, Outcome.DUPLICATE, "in_file_duplicate", message))
            for i, outcome, code, message in sorted(settled, key=lambda s: s[0]):
                summary.outcomes[outcome.value] += 1
                summary.codes[code] = summary.codes.get(code, 0) + 1
                writer.write(
                    _source_row(numbers[i], values[i], columns).cells,
                    Settlement(row=numbers[i], outcome=outcome, code=code, message=message),
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
