"""The work of one chunk of rows, done in a small pool of worker processes when the input is large.

The main process reads chunks and settles duplicates; mapping and validation, the expensive part,
run here. Chunks travel packed into one string each way, which is ~10x cheaper than pickling lists.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from operator import itemgetter
from typing import Any

import numpy as np

from importer._exceptions import InputError, RowRejected
from importer._models import IdentityKey
from importer.mapping import Builder, Mapping, check_payload, merge_usage, show
from importer.prepare._dedupe import key_hash
from importer.read import Finding, Table

CHUNK = 5_000
#: a rejected row: its first code, the message naming every problem, and every code
Reject = tuple[str, str, tuple[str, ...]]
#: Below this many bytes of input, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 4 << 20

#: a worker process's state, set by its initializer (in-process runs keep their own).
_STATE: dict[str, Any] = {}


def _state(
    builder: Builder | tuple[Mapping, list[str]], lean: bool, checked: bool, forked: bool
) -> dict[str, Any]:
    if isinstance(builder, tuple):  # a spawned process: generated code cannot be pickled
        builder = Builder(*builder)
    project = Projection(builder)
    return {
        "builder": project.builder,
        "project": project,
        "width": len(builder.columns),
        "lean": lean,
        "checked": checked,
        "forked": forked,
    }


class Projection:
    """The cells the mapping reads, taken from a row as read (short rows are never padded).

    A header may name thousands of columns the mapping never reads; rows keep only their own
    cells, and the builder sees just the columns it uses, in header order.
    """

    def __init__(self, full: Builder) -> None:
        columns = full.columns
        used = full.mapping.columns_used()
        self.columns = [c for c in columns if c in used]
        self._at = [columns.index(c) for c in self.columns]
        self._all = self._at == list(range(len(columns)))
        self._width = len(self.columns)
        self._take = itemgetter(*self._at) if len(self._at) > 1 else None
        #: the builder over just these columns (the one given, when it reads them all)
        self.builder = full if self._all else Builder(full.mapping, self.columns)

    def __call__(self, cells: list[str]) -> Any:
        """The cells the builder reads (a tuple or list), missing cells as empty text."""
        if self._all and len(cells) >= self._width:
            return cells
        if self._take is not None and len(cells) > self._at[-1]:
            return self._take(cells)
        return [cells[i] if i < len(cells) else "" for i in self._at]


def _init_worker(*args: Any) -> None:
    # rows make millions of short-lived lists and no cycles: collecting often only costs time
    gc.set_threshold(100_000, 50, 1000)
    _STATE.update(_state(*args))


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


def _work_packed(packed: str | list[list[str]], findings: dict[int, Finding]) -> ChunkResult:
    return _work(_unpack(packed), _STATE, findings)


@dataclass
class ChunkResult:
    """What the work on one chunk found; payloads and keys only when asked for (not lean)."""

    rejects: dict[int, Reject]  # row index -> (first code, every problem, every code)
    hashes: np.ndarray  # uint64: the identity keys of the sendable rows, row after row
    counts: np.ndarray  # per row: how many of ``hashes`` are its keys (0 when rejected)
    payloads: list[dict[str, Any] | None] | None = None
    keys: list[tuple[IdentityKey, ...]] | None = None
    warnings: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # sendable rows
    #: ``first_of`` candidates used by this chunk's rows (``Builder.take_usage``)
    usage: dict[str, dict[str, int]] = field(default_factory=dict)


def _work(
    values: list[list[str]],
    state: dict[str, Any] = _STATE,
    findings: dict[int, Finding] | None = None,
) -> ChunkResult:
    builder: Builder = state["builder"]
    project: Projection = state["project"]
    width, lean, checked = state["width"], state["lean"], state["checked"]
    fast = lean and state["forked"]
    build_raw, labels = builder.build_raw, builder.labels
    rejects: dict[int, Reject] = {}
    warnings: dict[int, list[dict[str, Any]]] = {}
    hashes: list[int] = []
    counts = [0] * len(values)
    payloads: list[dict[str, Any] | None] = []
    all_keys: list[tuple[IdentityKey, ...]] = []
    findings = findings or {}
    for i, cells in enumerate(values):
        if len(cells) > width or i in findings:
            code, message = findings.get(i) or ("malformed_row", _malformed(cells, width))
            rejects[i] = (code, message, (code,))
            payloads.append(None)
            all_keys.append(())
            continue
        try:
            payload, raw_keys, row_hashes, warns = build_raw(project(cells))
            if not fast:
                keys = tuple(IdentityKey(*k) for k in raw_keys)
                row_hashes = [key_hash(k) for k in keys]
            if checked:
                check_payload(payload, labels)
        except RowRejected as exc:
            rejects[i] = (exc.code, str(exc), exc.codes)
            payloads.append(None)
            all_keys.append(())
            continue
        if warns:
            warnings[i] = warns
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
        warnings,
        builder.take_usage(),
    )


def _malformed(cells: list[str], width: int) -> str:
    extra = [c for c in cells[width:] if c.strip()]
    return (
        f"the row has {len(cells)} cells but the header has {width} "
        f"(extra: {show(', '.join(extra))}); a delimiter inside an unquoted cell?"
    )


def grouped(
    chunks: Iterator[tuple[list[int], Rows, ChunkResult]], rows: int = 20_000
) -> Iterator[tuple[list[int], Rows, ChunkResult]]:
    """Consecutive chunks joined into groups of about ``rows``: the duplicate index is searched
    once per group, and fewer, larger searches are much cheaper on a large index."""
    group: list[tuple[list[int], Rows, ChunkResult]] = []
    size = 0
    try:
        for item in chunks:
            group.append(item)
            size += len(item[0])
            if size >= rows:
                yield _join(group)
                group, size = [], 0
    except InputError:
        if group:
            yield _join(group)  # the rows read before the input broke are reported
        raise
    if group:
        yield _join(group)


def _join(
    group: list[tuple[list[int], Rows, ChunkResult]],
) -> tuple[list[int], Rows, ChunkResult]:
    if len(group) == 1:
        return group[0]
    numbers: list[int] = []
    values = Rows([], [])
    rejects: dict[int, Reject] = {}
    warnings: dict[int, list[dict[str, Any]]] = {}
    usage: dict[str, dict[str, int]] = {}
    payloads: list[Any] | None = [] if group[0][2].payloads is not None else None
    keys: list[Any] | None = [] if group[0][2].keys is not None else None
    for part_numbers, part_values, chunk in group:
        offset = len(numbers)
        rejects.update({offset + i: found for i, found in chunk.rejects.items()})
        warnings.update({offset + i: found for i, found in chunk.warnings.items()})
        merge_usage(usage, chunk.usage)
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
        warnings,
        usage,
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


def results(
    table: Table, builder: Builder, workers: int | None, *, lean: bool, checked: bool
) -> Iterator[tuple[list[int], Rows, ChunkResult]]:
    """Each chunk of the table's rows with what the work on it found, in input order."""
    size = _pool_size(table, workers)
    chunks = table.raw_chunks(CHUNK)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if size <= 1:
        state = _state(builder, lean, checked, True)
        for numbers, values, findings in chunks:
            yield numbers, Rows([values], [len(values)]), _work(values, state, findings)
        return
    # forked workers share the parent's hash seed, so they may use the cheap hash
    context = multiprocessing.get_context("fork" if fork else None)
    with ProcessPoolExecutor(
        max_workers=size,
        mp_context=context,
        initializer=_init_worker,
        # a forked worker inherits the compiled mapping; a spawned one compiles its own copy
        initargs=(builder if fork else (builder.mapping, builder.columns), lean, checked, fork),
    ) as pool:
        pending: deque[tuple[list[int], Rows, Future[ChunkResult]]] = deque()
        broken: InputError | None = None
        try:
            for numbers, values, findings in chunks:
                packed = _pack(values)
                rows = Rows([packed], [len(values)])
                pending.append((numbers, rows, pool.submit(_work_packed, packed, findings)))
                if len(pending) > 2 * size:
                    numbers, values, future = pending.popleft()
                    yield numbers, values, future.result()
        except InputError as exc:
            broken = exc  # the rows read before the error are still reported
        while pending:
            numbers, values, future = pending.popleft()
            yield numbers, values, future.result()
        if broken is not None:
            raise broken
