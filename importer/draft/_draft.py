"""``importer init``'s work: sample the file, profile its columns, match them to fields, write the
commented mapping, and check that it loads; then try it on the rows as ``validate`` would."""

from __future__ import annotations

import csv
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from importer._exceptions import InputError
from importer._models import Summary
from importer.draft._consent import list_status
from importer.draft._dates import guess_dates
from importer.draft._document import About, document
from importer.draft._match import Match, match
from importer.draft._org import org_fields
from importer.draft._profile import profile
from importer.draft._sample import Sample, read_sample
from importer.draft._write import render
from importer.mapping import OrgConfig, parse_mapping, with_org
from importer.read import Table

DEFAULT_SAMPLE = 20_000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[+(]?\d[\d\s().\-/,]*")


@dataclass(frozen=True)
class Draft:
    """The mapping's text, what it matched (field -> column) and the rows it was drafted from."""

    text: str
    matched: dict[str, str]
    unmapped: list[str]
    sample: Sample


def draft(
    table: Table,
    *,
    sample: int | None = DEFAULT_SAMPLE,
    name: str | None = None,
    org: OrgConfig | None = None,
) -> Draft:
    """A complete mapping for ``table``, drafted from every row or ``sample`` rows spread through
    it. Raise InputError when the file has no header row or nothing can identify a customer.
    ``org``: the org file whose extended fields the unmapped columns are matched to."""
    _check_header(table)
    rows = read_sample(table, sample)
    if not rows.total:
        raise InputError(f"{table.path}: has a header but no rows to learn from")
    columns = profile(rows.frame)
    found = match(columns, rows.frame)
    if "email" in found and "consent_email" not in found:
        said = list_status(table.path.name, found["email"].column, list(table.columns))
        if said is not None:
            found["consent_email"] = Match("consent_email", said.column, "file name", consent=said)
    about = About(
        name or table.path.name,
        rows.total,
        len(rows.frame),
        rows.exact,
        header_row=table.header_row,
        header_note=table.header_note,
        sheet=table.sheet if table.sheet_note else None,
        sheet_note=table.sheet_note,
    )
    text = render(document(about, columns, found, rows.frame))
    matched = {f: m.column.name for f, m in found.items() if m.why != "file name"}
    if org is not None:
        # a column only a commented-out guess reads (a tier) is free for the org's own fields
        sent = parse_mapping(text, "<draft>").columns_used()
        free = [c for c in table.columns if c not in sent]
        text, extra, removed = org_fields(text, rows.frame, free, org)
        matched = {f: c for f, c in matched.items() if c in sent and f not in removed}
        matched.update({f"extendedFields.{f}": c for f, c in extra.items()})
    # the draft must load as it is: a failure here is a bug of the drafter, not of the file
    mapping = parse_mapping(text, "<draft>")
    with_org(mapping, org)
    used = mapping.columns_used()
    return Draft(
        text=text,
        matched=matched,
        unmapped=[c for c in table.columns if c not in used],
        sample=rows,
    )


def _check_header(table: Table) -> None:
    """A first row of values (phone numbers, e-mails, dates, numbers) is no header."""
    data = [h for h in table.columns if _is_value(h)]
    named = [h for h in table.columns if not re.fullmatch(r"column_\d+", h)]
    if len(data) >= 2 or (data and len(table.columns) <= 2) or not named:
        shown = ", ".join(repr(h) for h in (data or table.columns)[:3])
        raise InputError(
            f"{table.path}: the first row holds values ({shown}), not column names: add a "
            "header row naming the columns (Mobile, E-Mail, Customer No, ...) and run again"
        )


def _is_value(cell: str) -> bool:
    text = cell.strip()
    if _EMAIL.fullmatch(text):
        return True
    if _NUMBER.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 3:
        return True
    return guess_dates({text: 1}) is not None


def trial(
    draft: Draft,
    mapping: Path,
    input: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    org: Path | None = None,
) -> Summary:
    """What ``importer validate`` makes of the drafted rows with ``mapping``: of the whole file
    when every row was read, else of the sampled rows (reports go to a temporary folder)."""
    from importer.run import dry_run

    with tempfile.TemporaryDirectory(prefix="importer-init-") as tmp:
        out = Path(tmp) / "reports"
        if draft.sample.whole:
            return dry_run(
                input,
                mapping,
                out=out,
                job="init",
                encoding=encoding,
                delimiter=delimiter,
                sheet=sheet,
                header_row=header_row,
                org=org,
            )
        rows = Path(tmp) / "sample.csv"
        frame = draft.sample.frame
        with open(rows, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(frame.columns)
            writer.writerows(frame.itertuples(index=False, name=None))
        # the sampled rows are written with their header first, whatever the draft says
        return dry_run(rows, mapping, out=out, job="init", workers=0, org=org, header_row=1)
