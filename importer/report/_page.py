"""``report.html``: one self-contained page per run, readable offline, built from the run folder."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from importer._layout import (
    ERRORS_XLSX,
    PAGE_FILE,
    REPORT_FILES,
    ROW_FILES,
    SUMMARY_FILE,
    WARNINGS_FILE,
    decode_cell,
)
from importer._mask import mask_text
from importer._models import Outcome
from importer._owner_only import write_private
from importer.report._consent import STATES

EXAMPLES_PER_CODE = 3


@dataclass(slots=True)
class CodeStats:
    """Rows that share one code, with a few masked examples."""

    code: str
    kind: str  # the outcome, or "warning"
    rows: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)  # (row, masked message)


#: the report columns the page reads; a row's own cells are never parsed into a dict (a wide
#: report's header names thousands of columns its rows do not fill)
_READ = ("_row", "_outcome", "_code", "_message", "_warnings")


def _report_rows(path: Path) -> Iterator[dict[str, str]]:
    """The ``_`` cells the page shows, row by row, wherever the report puts its ``_`` columns."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None) or []
        at = [(name, header.index(name)) for name in _READ if name in header]
        for record in reader:
            if record:  # a blank line is no row (as csv.DictReader skips it)
                yield {n: decode_cell(record[i]) if i < len(record) else "" for n, i in at}


def collect_codes(run_dir: Path, counts: dict[str, int] | None = None) -> list[CodeStats]:
    """Count the rows of each code in a run folder's reports, keeping a few examples of each;
    ``counts`` receives the rows of each report file read (one pass over each file)."""
    stats: dict[tuple[str, str], CodeStats] = {}
    counts = {} if counts is None else counts

    def add(code: str, kind: str, row: str, message: str) -> None:
        entry = stats.setdefault((kind, code), CodeStats(code=code, kind=kind))
        entry.rows += 1
        if message and len(entry.examples) < EXAMPLES_PER_CODE:
            entry.examples.append((row, mask_text(message)))

    for name in dict.fromkeys(REPORT_FILES.values()):
        if (Path(run_dir) / name).exists():
            counts[name] = 0
        for row in _report_rows(Path(run_dir) / name):
            counts[name] += 1
            outcome = row.get("_outcome", "")
            # created rows need no example: their count completes the outcome's codes
            message = "" if outcome == Outcome.CREATED else row.get("_message", "")
            add(row.get("_code") or "-", outcome, row.get("_row", ""), message)
    if (Path(run_dir) / WARNINGS_FILE).exists():
        counts[WARNINGS_FILE] = 0
    for row in _report_rows(Path(run_dir) / WARNINGS_FILE):
        counts[WARNINGS_FILE] += 1
        for warning in json.loads(row.get("_warnings") or "[]"):
            add(
                str(warning.get("code", "-")),
                "warning",
                row.get("_row", ""),
                str(warning.get("message", "")),
            )
    order = {o.value: i for i, o in enumerate(Outcome)}
    return sorted(stats.values(), key=lambda s: (order.get(s.kind, 99), -s.rows, s.code))


def _points(values: Iterable[tuple[float, float]], sx, sy) -> str:
    return " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in values)


def render_chart(timeline: list[dict[str, Any]], rpm_limit: float | None) -> str:
    """Draw requests, 429s and retries per minute over the run's time as an inline SVG."""
    if not timeline:
        return '<p class="muted">No requests were sent.</p>'
    width, height, left, bottom, top = 760, 240, 48, 28, 12
    step = (timeline[1]["t"] - timeline[0]["t"]) if len(timeline) > 1 else 5.0
    per_minute = 60.0 / step if step > 0 else 12.0
    series = {
        key: [(b["t"], b.get(key, 0) * per_minute) for b in timeline]
        for key in ("requests", "rate_limited", "retries")
    }
    t_max = max(timeline[-1]["t"] + step, 1.0)
    y_max = max([rpm_limit or 0.0] + [y for s in series.values() for _, y in s]) * 1.1 or 1.0

    def sx(t: float) -> float:
        return left + (width - left - 8) * t / t_max

    def sy(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / y_max)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="requests per minute">',
        f'<line x1="{left}" y1="{sy(0):.1f}" x2="{width - 8}" y2="{sy(0):.1f}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{sy(0):.1f}" class="axis"/>',
        f'<text x="{left - 6}" y="{sy(y_max / 1.1) + 4:.1f}" class="tick" text-anchor="end">'
        f"{y_max / 1.1:,.0f}</text>",
        f'<text x="{left - 6}" y="{sy(0) + 4:.1f}" class="tick" text-anchor="end">0</text>',
        f'<text x="{width - 8}" y="{height - 8}" class="tick" text-anchor="end">'
        f"{t_max:,.0f} s</text>",
    ]
    if rpm_limit:
        parts.append(
            f'<line x1="{left}" y1="{sy(rpm_limit):.1f}" x2="{width - 8}" y2="{sy(rpm_limit):.1f}"'
            f' class="limit"><title>limit {rpm_limit:,.0f} rpm</title></line>'
        )
    for key, css in (("requests", "req"), ("retries", "retry"), ("rate_limited", "r429")):
        parts.append(f'<polyline class="{css}" points="{_points(series[key], sx, sy)}"/>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:64rem;
color:#1d2430;padding:0 1rem}h1{font-size:1.4rem;margin:0}h2{font-size:1.1rem;margin-top:2rem}
.muted{color:#667085}.tiles{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.tile{border:1px solid #d0d5dd;border-radius:8px;padding:.6rem .9rem;min-width:7rem}
.tile b{display:block;font-size:1.5rem}.created b{color:#067647}.rejected b,.failed b{color:#b42318}
.duplicate b{color:#b54708}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eaecf0;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em}
svg{width:100%;height:auto;background:#fcfcfd;border:1px solid #eaecf0;border-radius:8px}
.axis{stroke:#98a2b3}.tick{font-size:11px;fill:#667085}.limit{stroke:#b42318;stroke-dasharray:6 4}
polyline{fill:none;stroke-width:2}.req{stroke:#1570ef}.retry{stroke:#f79009}.r429{stroke:#b42318}
.legend span{margin-right:1rem}.legend i{display:inline-block;width:1.2rem;height:3px;
vertical-align:middle;margin-right:.3rem}
"""


def _v(path: str, value: Any, fmt: str = "{:,}") -> str:
    """Show a summary value tagged with where it comes from, so tests can read it back."""
    shown = "-" if value is None else fmt.format(value)
    return f'<span data-summary="{escape(path)}">{escape(shown)}</span>'


def render_consent(consent: dict[str, dict[str, int]]) -> str:
    """Created customers per channel: subscribed, not subscribed, not given (empty without any)."""
    if not consent:
        return ""
    rows = "".join(
        f"<tr><td>{escape(kind)}</td>"
        + "".join(
            f'<td class="n">{_v(f"consent.{kind}.{state}", counts.get(state, 0))}</td>'
            for state in STATES
        )
        + "</tr>"
        for kind, counts in consent.items()
    )
    return (
        "<h2>Consent of the created customers</h2>"
        '<table><tr><th>channel</th><th class="n">subscribed</th><th class="n">not subscribed</th>'
        f'<th class="n">not given</th></tr>{rows}</table>'
    )


def render_page(summary: dict[str, Any], codes: list[CodeStats], files: dict[str, int]) -> str:
    """Return the report page for one run; pure, so it is tested without a browser."""
    s = summary
    dry = bool(s.get("dry_run"))
    # a dry run sends nothing: it shows what would be sent, and the rows that would not be
    shown = (Outcome.REJECTED, Outcome.DUPLICATE) if dry else tuple(Outcome)
    tiles = [
        f'<div class="tile"><b>{_v("total_rows", s["total_rows"])}</b>rows</div>',
        *(
            [f'<div class="tile created"><b>{_v("sendable", s["sendable"])}</b>would be sent</div>']
            if dry
            else []
        ),
        *(
            f'<div class="tile {o}"><b>{_v(f"outcomes.{o}", s["outcomes"].get(o.value, 0))}'
            f"</b>{o}</div>"
            for o in shown
        ),
        f'<div class="tile"><b>{_v("rows_with_warnings", s["rows_with_warnings"])}</b>'
        f"with warnings</div>",
        *(  # rows continuing the customer above (settings.continuation): no customers
            [f'<div class="tile"><b>{_v("continuation", s["continuation"])}</b>continuation</div>']
            if s.get("continuation")
            else []
        ),
    ]
    facts = [
        ("requests sent", _v("requests", s["requests"])),
        ("retries", _v("retries", s["retries"])),
        ("429 answers", _v("rate_limited", s["rate_limited"])),
        ("achieved rate (rpm)", _v("achieved_rpm", s.get("achieved_rpm"), "{:,.1f}")),
        ("limit (rpm)", _v("rpm_limit", s.get("rpm_limit"), "{:,.0f}")),
        ("started", _v("started_at", s["started_at"], "{}")),
        ("finished", _v("finished_at", s["finished_at"], "{}")),
        ("exit code", _v("exit_code", s["exit_code"])),
    ]
    if dry:
        facts = [f for f in facts if f[0] in ("started", "finished", "exit code")]
    for where, used in (s.get("first_of") or {}).items():  # which candidate gave each value
        shown_used = ", ".join(f"{label} {n:,}" for label, n in used.items())
        facts.append((f"first_of {where}", _v(f"first_of.{where}", shown_used, "{}")))
    if s.get("aborted"):
        facts.append(("aborted", _v("aborted", mask_text(s["aborted"]), "{}")))
    code_rows = (
        "".join(
            f'<tr data-kind="{escape(c.kind)}" data-rows="{c.rows}">'
            f"<td><code>{escape(c.code)}</code></td><td>{escape(c.kind)}</td>"
            f'<td class="n">{c.rows:,}</td><td>'
            + "<br>".join(f"row {escape(r)}: {escape(m)}" for r, m in c.examples)
            + "</td></tr>"
            for c in codes
        )
        or '<tr><td colspan="4" class="muted">No errors, duplicates or warnings.</td></tr>'
    )
    links = "".join(
        f'<li><a href="{escape(name)}">{escape(name)}</a> ({count:,} rows)</li>'
        for name, count in files.items()
    )
    title = f"{s['job']} / {s['run']}"
    where = f" &middot; {escape(s['base_url'])}" if s.get("base_url") else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Import report: {escape(title)}</title><style>{_CSS}</style></head>
<body>
<h1>Import report: {escape(title)}{" (dry run)" if s.get("dry_run") else ""}</h1>
<p class="muted">{escape(s["input"])} &middot; <code>{escape(s["fingerprint"])}</code>
&middot; mapping {escape(s["mapping"])}{where}</p>
<div class="tiles">{"".join(tiles)}</div>
<table>{"".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)}</table>
<h2>Requests per minute</h2>
<p class="legend"><span><i style="background:#1570ef"></i>requests</span>
<span><i style="background:#f79009"></i>retries</span>
<span><i style="background:#b42318"></i>429s</span>
<span><i style="border-top:2px dashed #b42318;height:0"></i>limit</span></p>
{render_chart(s.get("timeline") or [], s.get("rpm_limit"))}
{render_consent(s.get("consent") or {})}
<h2>By code</h2>
<table><tr><th>code</th><th>outcome</th><th class="n">rows</th><th>examples (masked)</th></tr>
{code_rows}</table>
<h2>Files</h2><ul>{links}<li><a href="{SUMMARY_FILE}">{SUMMARY_FILE}</a></li></ul>
</body></html>
"""


def write_page(run_dir: Path) -> Path:
    """Write ``report.html`` beside the run's CSVs and ``summary.json``."""
    run_dir = Path(run_dir)
    summary = json.loads((run_dir / SUMMARY_FILE).read_text("utf-8"))
    counted: dict[str, int] = {}
    codes = collect_codes(run_dir, counted)
    files = {name: counted[name] for name in ROW_FILES if name in counted}
    if (run_dir / ERRORS_XLSX).exists():  # the same rows as errors.csv, to fix in Excel
        files[ERRORS_XLSX] = files.get(REPORT_FILES[Outcome.REJECTED], 0)
    path = run_dir / PAGE_FILE
    write_private(path, render_page(summary, codes, files))
    return path
