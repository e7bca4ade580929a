"""``summary.json`` and the end-of-run table: a run's counts, for machines and for people."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from importer._layout import SUMMARY_FILE
from importer._mask import mask_text
from importer._models import Outcome, Summary
from importer._private import write_private


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


def format_summary(summary: Summary) -> str:
    """Render the end-of-run table that the CLI prints."""
    width = max(len(o.value) for o in Outcome)
    lines = [
        f"{summary.input}: {summary.total_rows:,} rows" + (" (dry run)" if summary.dry_run else "")
    ]
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
    if summary.carried:
        lines.append(f"  ({summary.carried:,} rows carried over from the run folder it reran)")
    for where, used in summary.first_of.items():  # which candidate of a first_of gave the value
        lines.append(f"  first_of {where}: {format_codes(used)}")
    if summary.rows_with_warnings:
        lines.append(
            f"  {'warnings':<{width}}  {summary.rows_with_warnings:>10,}  (also in warnings.csv)"
        )
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
