"""What a run does with each row it reads, before any request: the order of precedence.

1. a duplicate of an earlier row of the same file: ``duplicate``, never sent (an exact copy of
   a row shares that row's journal entry, which is the first row's);
2. content an earlier run of the job settled as created or duplicate: reported as it settled,
   with ``_run`` naming that run (the customer exists, whatever the mapping says today);
3. with ``--skip-known``, a row any of whose identifiers the ledger knows: ``skipped`` (``known``),
   naming the identifier, even when another of its cells would be rejected today;
4. a row the mapping or the API's rules reject: ``rejected``, never sent;
5. content the API rejected with this very body: reported as it settled;
6. the rest is sent (looked up first when an earlier attempt may have created it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import FatalError, RowRejected
from importer._models import IdentityKey, Outcome, Prepared, Settlement, SourceRow
from importer.mapping import IDENTIFIER_KIND, MOBILE_FIELD, Kept, Mapping, Options, compile_value
from importer.record import (
    EARLIER,
    LOOKUP,
    Ledger,
    Recorder,
    decide,
    payload_digest,
    settled_by_api,
)
from importer.report import read_settled
from importer.run._cut_short import take
from importer.send import Work

#: rows prepared per hop to the worker thread, so reading never stalls the event loop for long.
PREPARE_BATCH = 256


class RowKeys:
    """The identifiers a row's cells still give when the row as a whole was rejected."""

    def __init__(self, mapping: Mapping, columns: list[str]) -> None:
        index = {name: i for i, name in enumerate(columns)}
        options = Options(mapping.settings.region, mapping.settings.timezone)
        # a mobile is read as the builder reads it: only a reading that can be a mobile counts
        mobile = Options(options.region, options.timezone, MOBILE_FIELD)
        self.columns = list(columns)
        self._getters: list[tuple[str, Any, str, Any]] = []
        for n, profile in enumerate(mapping.profiles):
            where = f"profiles.{n}"
            account = None
            if profile.accountId is not None:
                account = compile_value(
                    profile.accountId, index, f"{where}.accountId", "text", options
                )
            for k, ident in enumerate(profile.identifiers):
                kind = IDENTIFIER_KIND.get(ident.type, "text")
                how = mobile if ident.type == "mobile" else options
                get = compile_value(ident.value, index, f"{where}.identifiers.{k}", kind, how)
                self._getters.append((profile.source, account, ident.type, get))

    def __call__(self, source: SourceRow) -> tuple[IdentityKey, ...]:
        cells = [source.cells.get(c, "") for c in self.columns]
        keys = []
        for origin, account, kind, get in self._getters:
            try:
                value = _kept(get, cells)
                where = "" if account is None else _kept(account, cells)
            except RowRejected:
                continue  # this cell is one of the row's problems: it identifies no one
            if value is not None:
                keys.append(
                    IdentityKey(origin, "" if where is None else str(where), kind, str(value))
                )
        return tuple(keys)


def _kept(get: Any, cells: list[str]) -> Any:
    """The value a getter gives, also when it comes with warnings (an extension dropped...)."""
    try:
        return get(cells)
    except Kept as kept:
        return kept.value


def known_settlement(row: int, hit: tuple[IdentityKey, int | None]) -> Settlement:
    """``skipped`` with code ``known``, naming the identifier the ledger knows."""
    key, customer_id = hit
    whose = f" (customer {customer_id})" if customer_id is not None else ""
    return Settlement(
        row,
        Outcome.SKIPPED,
        created_id=customer_id,
        code="known",
        message=f"{key.type} {key.value} is already known to the org{whose}: not sent",
    )


class Triage:
    """Turns prepared rows into work for the sender, settling every other row on the way."""

    def __init__(
        self,
        recorder: Recorder,
        ledger: Ledger,
        *,
        base_url: str,
        skip_known: bool,
        row_keys: RowKeys | None,
        on_input_error: Callable[[FatalError], None],
        keep_rows: bool = False,
    ) -> None:
        self.recorder = recorder
        self.ledger = ledger
        self.base_url = base_url
        self.skip_known = skip_known
        self.row_keys = row_keys
        self.on_input_error = on_input_error
        self.total = 0
        #: the row numbers read (kept for a rerun, whose report carries the rows it did not read)
        self.rows: set[int] | None = set() if keep_rows else None

    def _known(self, prepared: Prepared) -> Settlement | None:
        keys = prepared.keys
        if not keys and prepared.outcome is Outcome.REJECTED and self.row_keys is not None:
            keys = self.row_keys(prepared.source)
        hit = self.ledger.known(self.base_url, keys) if keys else None
        return None if hit is None else known_settlement(prepared.source.row, hit)

    @staticmethod
    def _local(prepared: Prepared) -> Settlement:
        assert prepared.outcome is not None
        return Settlement(
            prepared.source.row, prepared.outcome, code=prepared.code, message=prepared.message
        )

    def _settle_here(self, prepared: Prepared) -> Work | None:
        """Report a row that needs no request; return the work for one that does."""
        recorder = self.recorder
        row = prepared.source.row
        if prepared.outcome is Outcome.DUPLICATE:
            recorder.report(prepared, self._local(prepared))
            return None
        digest, entry = recorder.entry(prepared)
        if settled_by_api(entry):
            assert entry is not None
            recorder.report(prepared, entry.settlement(row), entry.run)
            return None
        if self.skip_known and (known := self._known(prepared)):
            recorder.report(prepared, known)
            return None
        if not prepared.sendable:
            recorder.report(prepared, self._local(prepared))
            return None
        action = decide(entry, payload_digest(prepared.payload))
        if action == EARLIER:
            assert entry is not None
            recorder.report(prepared, entry.settlement(row), entry.run)
            return None
        lookup = action == LOOKUP
        first = entry.first_sent if lookup and entry is not None else None
        return Work(prepared, digest, ambiguous=lookup, first_sent=first)

    async def works(self, rows: Iterator[Prepared]) -> AsyncIterator[Work]:
        """Sendable rows not settled by an earlier run; settles the others on the way."""
        broken = False
        while not broken:
            batch, error = await asyncio.to_thread(take, rows, PREPARE_BATCH)
            if error is not None:
                # the file broke mid-way: the rows before it are sent and reported, then it ends
                broken = True
                self.on_input_error(error)
            if not batch:
                return
            for prepared in batch:
                self.total += 1
                if self.rows is not None:
                    self.rows.add(prepared.source.row)
                work = self._settle_here(prepared)
                if work is not None:
                    yield work


def carry_over(
    recorder: Recorder, source: Path, files: tuple[str, ...], columns: list[str], read: set[int]
) -> int:
    """Report the rows an earlier run folder settled that this rerun did not read, with the run
    that settled them: so the newest folder still holds the job's whole truth. Returns how many."""
    carried = 0
    for name in files:
        for cells, settlement, run in read_settled(source / name, columns):
            if settlement.row in read:
                continue
            read.add(settlement.row)
            recorder.report(
                Prepared(SourceRow(settlement.row, cells), None), settlement, run or source.name
            )
            carried += 1
    return carried
