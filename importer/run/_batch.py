"""Several inputs in one run: one throttle for the org's quota, a report folder each, one summary.

Nightly drops arrive as several files; they share the org's requests-per-minute, so they are
sent one after the other under a single throttle that remembers every send of the batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import glob
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importer._exceptions import FatalError, UsageError, exit_code_for
from importer._layout import BATCHES_DIR, SUMMARY_FILE, new_run_dir, now_iso
from importer._models import Outcome, Summary
from importer._owner_only import write_private
from importer.run._config import RunConfig, resolve_target
from importer.run._run import import_one, run_import
from importer.send import Throttle


@dataclass
class BatchResult:
    """What became of each input of a run, and the exit code of the whole."""

    summaries: list[Summary] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # input -> why it was not imported
    moved: dict[str, str] = field(default_factory=dict)  # input -> where --move-done put it
    summary_path: Path | None = None

    @property
    def exit_code(self) -> int:
        """The gravest of the inputs' codes: 3 aborted, 2 unusable input, 1 rows left, else 0."""
        errors = [exit_code_for(aborted=True, sent=False)] * len(self.errors)
        return exit_code_for(inputs=[s.exit_code for s in self.summaries] + errors)


def expand_inputs(patterns: Iterable[str]) -> list[Path]:
    """Expand quoted glob patterns, in order and without repeats; UsageError when one is empty."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(pattern) if Path(p).is_file())
            if not matches:
                raise UsageError(f"{pattern}: no file matches")
            found.update(dict.fromkeys(matches))
        else:
            found[Path(pattern)] = None
    if not found:
        raise UsageError("no input given")
    return list(found)


def fully_settled(summary: Summary) -> bool:
    """True when no row is left to send: nothing failed and the run was not cut short."""
    return not summary.aborted and summary.outcomes.get(Outcome.FAILED.value, 0) == 0


def move_input(path: Path, folder: Path, run: str) -> Path:
    """Move a settled input into ``folder``, keeping an earlier file of the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{run}{path.suffix}"
    return Path(shutil.move(str(path), str(target)))


def run_batch(
    config: RunConfig, inputs: list[Path], *, move_done: Path | None = None
) -> BatchResult:
    """Import every input in turn under one throttle; one input behaves as ``run_import``."""
    if config.job and len(inputs) > 1:
        raise UsageError("--job names one input's job: with several inputs each is its own job")
    result = BatchResult()
    if config.dry_run:
        for path in inputs:
            _guarded(result, path, len(inputs), lambda p=path: run_import(_for(config, p)))
        return _finish(result, config, inputs)
    target = resolve_target(config)

    async def main() -> None:
        throttle = Throttle(target.rpm, window=config.rate_window)
        for n, path in enumerate(inputs):
            summary = await _guarded_async(result, path, len(inputs), config, target, throttle)
            if summary is None:
                continue
            if move_done is not None and fully_settled(summary):
                result.moved[str(path)] = str(move_input(path, move_done, summary.run))
            if summary.aborted:
                # auth refused, server gone or Ctrl-C: the next file would fare no better
                for rest in inputs[n + 1 :]:
                    result.errors[str(rest)] = f"not started: {summary.aborted}"
                return

    asyncio.run(main())
    return _finish(result, config, inputs)


def _for(config: RunConfig, path: Path) -> RunConfig:
    return dataclasses.replace(config, input=path)


def _guarded(result: BatchResult, path: Path, count: int, call: Any) -> None:
    try:
        result.summaries.append(call())
    except FatalError as exc:
        if count == 1:
            raise
        result.errors[str(path)] = str(exc)


async def _guarded_async(
    result: BatchResult, path: Path, count: int, config: RunConfig, target: Any, throttle: Throttle
) -> Summary | None:
    try:
        summary = await import_one(_for(config, path), target, throttle)
    except FatalError as exc:
        if count == 1:
            raise
        result.errors[str(path)] = str(exc)  # a broken file must not hold back the others
        return None
    result.summaries.append(summary)
    return summary


def _finish(result: BatchResult, config: RunConfig, inputs: list[Path]) -> BatchResult:
    if len(inputs) > 1:
        folder = new_run_dir(Path(config.out), BATCHES_DIR)
        result.summary_path = folder / SUMMARY_FILE
        write_private(
            result.summary_path, json.dumps(batch_dict(result), indent=2, ensure_ascii=False) + "\n"
        )
    return result


def batch_dict(result: BatchResult) -> dict[str, Any]:
    """The combined summary: each input's counts and report folder, and the totals."""
    totals = {o.value: 0 for o in Outcome}
    codes: dict[str, dict[str, int]] = {}
    for s in result.summaries:
        for key, count in s.outcomes.items():
            totals[key] = totals.get(key, 0) + count
        for outcome, per_code in s.codes.items():
            into = codes.setdefault(outcome, {})
            for code, count in per_code.items():
                into[code] = into.get(code, 0) + count
    return {
        "finished_at": now_iso(),
        "exit_code": result.exit_code,
        "total_rows": sum(s.total_rows for s in result.summaries),
        "outcomes": totals,
        "codes": codes,  # outcome -> code -> rows, adding up to the outcomes as in each input's
        "requests": sum(s.requests for s in result.summaries),
        "rate_limited": sum(s.rate_limited for s in result.summaries),
        "inputs": [
            {
                "input": s.input,
                "job": s.job,
                "run": s.run,
                "exit_code": s.exit_code,
                "total_rows": s.total_rows,
                "outcomes": s.outcomes,
                "codes": s.codes,
                "requests": s.requests,
                "achieved_rpm": s.achieved_rpm,
                "aborted": s.aborted,
                "moved_to": result.moved.get(s.input),
            }
            for s in result.summaries
        ],
        "not_imported": result.errors,
    }


def format_batch(result: BatchResult) -> str:
    """The closing lines of a batch: one line an input, then the totals."""
    data = batch_dict(result)
    lines = ["", f"{len(result.summaries) + len(result.errors)} inputs:"]
    for item in data["inputs"]:
        counts = ", ".join(f"{k} {v:,}" for k, v in item["outcomes"].items() if v)
        moved = f" -> {item['moved_to']}" if item["moved_to"] else ""
        lines.append(f"  {item['input']}: {counts or 'no rows'} (exit {item['exit_code']}){moved}")
    for name, why in result.errors.items():
        lines.append(f"  {name}: not imported: {why}")
    totals = ", ".join(f"{k} {v:,}" for k, v in data["outcomes"].items() if v)
    lines.append(f"  total: {data['total_rows']:,} rows: {totals or 'none'}")
    if result.summary_path is not None:
        lines.append(f"  combined summary: {result.summary_path}")
    return "\n".join(lines)
