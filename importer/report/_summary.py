"""``summary.json`` and the end-of-run table: a run's counts, for machines and for people."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from importer._layout import SUMMARY_FILE
from importer._mask import mask_text
from importer._models import Outcome, Prepared, Settlement, Summary
from importer._owner_only import write_private
from importer.report._consent import count_consent


def count_settled(
    summary: Summary, settlement: Settlement, prepared: Prepared, channels: tuple[str, ...] = ()
) -> None:
    """Count one settled row into ``summary``: the one counter of dry runs and real runs.

    ``channels`` (the mapping's channel types) counts the consent of created customers.
    """
    outcome = settlement.outcome.value
    summary.outcomes[outcome] = summary.outcomes.get(outcome, 0) + 1
    codes = summary.codes.setdefault(outcome, {})
    codes[settlement.code or ""] = codes.get(settlement.code or "", 0) + 1
    local = prepared.outcome is Outcome.REJECTED and settlement.code == prepared.code
    for code in prepared.codes if local else (settlement.code,):
        if code:  # every problem of a row rejected here counts, not just its first
            summary.problems[code] = summary.problems.get(code, 0) + 1
    if settlement.warnings and settlement.outcome is Outcome.CREATED:
        summary.rows_with_warnings += 1
    if settlement.outcome is Outcome.CREATED and prepared.payload is not None:
        count_consent(summary.consent, prepared.payload, channels)


def count_ready(summary: Summary, rows: int, warned: int) -> None:
    """Count rows a dry run would send (``warned`` of them with local warnings)."""
    summary.sendable += rows
    summary.rows_with_warnings += warned


def summary_dict(summary: Summary) -> dict[str, Any]:
    """Return the summary as plain JSON-ready data."""
    return dataclasses.asdict(summary)


def write_summary(run_dir: Path, summary: Summary) -> Path:
    """Write ``summary.json`` atomically, so a reader never sees half a file."""
    path = Path(run_dir) / SUMMARY_FILE
    tmp = path.with_suffix(".json.tmp")
    write_private(tmp, json.dumps(summary_dict(summary), indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def format_codes(codes: dict[str, int]) -> str:
    """``invalid_mobile 3, 8014 1``: the most frequent first."""
    return ", ".join(
        f"{code} {n:,}" for code, n in sorted(codes.items(), key=lambda c: (-c[1], c[0]))
    )


_CELL_KINDS = {
    "text_marker": "cells began with Excel's text marker ' (removed: a number, phone or code)",
    "excel_error": "Excel error cells (#N/A, #REF!, ...)",
}


def _cell_lines(cells: dict[str, dict[str, int]]) -> list[str]:
    """One line per column and kind: what the reader met, never a warning per row."""
    return [
        f"  {column}: {n:,} {_CELL_KINDS.get(kind, kind)}"
        for kind, columns in cells.items()
        for column, n in columns.items()
    ]


def format_summary(summary: Summary) -> str:
    """Render the end-of-run table that the CLI prints."""
    width = max(len(o.value) for o in Outcome)
    lines = [
        f"{summary.input}: {summary.total_rows:,} rows" + (" (dry run)" if summary.dry_run else "")
    ]
    if summary.header_note:  # the header is not the first row: say which and why
        lines.append(f"  header: {summary.header_note}")
    if summary.dry_run:
        lines.append(f"  {'ready':<{width}}  {summary.sendable:>10,}  (would be sent)")
        shown: tuple[Outcome, ...] = (Outcome.REJECTED,)
    else:
        shown = (Outcome.CREATED, Outcome.REJECTED, Outcome.FAILED)
    for outcome in Outcome:
        count = summary.outcomes.get(outcome.value, 0)
        if count or outcome in shown:
            codes = summary.codes.get(outcome.value) or {}
            detail = f"  ({format_codes(codes)})" if set(codes) - {outcome.value} else ""
            lines.append(f"  {outcome.value:<{width}}  {count:>10,}{detail}")
    if summary.continuation:
        lines.append(
            f"  {'continuation':<{width}}  {summary.continuation:>10,}  "
            "(rows continuing the customer above: not customers, not sent)"
        )
    if summary.carried:
        lines.append(f"  ({summary.carried:,} rows carried over from the run folder it reran)")
    for where, used in summary.first_of.items():  # which candidate of a first_of gave the value
        lines.append(f"  first_of {where}: {format_codes(used)}")
    if summary.rows_with_warnings:
        lines.append(
            f"  {'warnings':<{width}}  {summary.rows_with_warnings:>10,}  (also in warnings.csv)"
        )
    lines.extend(_cell_lines(summary.cells))
    if not summary.dry_run:
        rate = f"{summary.achieved_rpm:,.0f}" if summary.achieved_rpm is not None else "-"
        limit = f"{summary.rpm_limit:,.0f}" if summary.rpm_limit else "none"
        lines.append(
            f"  requests {summary.requests:,}, retries {summary.retries:,}, "
            f"429s {summary.rate_limited:,}, {rate} rpm (limit {limit})"
        )
    if summary.aborted:
        lines.append(f"  aborted: {mask_text(summary.aborted)}")
    return "\n".join(lines)
