"""``importer validate`` and ``importer preview``: the dry run and a look at the first payloads."""

from __future__ import annotations

import json
import sys
from itertools import islice
from pathlib import Path

import click

from importer._exceptions import FatalError
from importer.cli._main import org_option, reading_options, report_options


def _fail(exc: FatalError) -> None:
    message = str(exc)
    click.echo(f"error: {message}", err=True)
    sys.exit(exc.exit_code)


@click.command()
@click.argument("input", type=click.Path(path_type=Path))
@reading_options
@report_options
@org_option
def validate(
    input: Path,
    mapping: Path,
    org: Path | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    out: Path,
    job: str | None,
) -> None:
    """Check every row without sending anything; write the reports a real run would write.

    Exit 0 when every row would be sent, 1 when some would be rejected or are duplicates,
    2 when the input or the mapping cannot be used.
    """
    from importer._layout import run_dir
    from importer.report import format_summary
    from importer.run import dry_run

    try:
        summary = dry_run(
            input,
            mapping,
            out=out,
            job=job,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            org=org,
        )
    except FatalError as exc:
        _fail(exc)
        return
    click.echo(format_summary(summary))
    click.echo(f"  reports: {run_dir(out, summary.job, summary.run)}")
    sys.exit(summary.exit_code)


@click.command()
@click.argument("input", type=click.Path(path_type=Path))
@reading_options
@org_option
@click.option("--rows", default=3, show_default=True, type=click.IntRange(min=1))
def preview(
    input: Path,
    mapping: Path,
    org: Path | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    rows: int,
) -> None:
    """Print the first rows' request bodies as JSON (and why any of them would not be sent)."""
    from importer.mapping import load_mapping, load_org, with_org
    from importer.prepare import prepare
    from importer.read import open_table

    try:
        spec = load_mapping(mapping)
        if org is not None:
            spec = with_org(spec, load_org(org))
        table = open_table(input, encoding=encoding, delimiter=delimiter, sheet=sheet)
        shown = list(islice(prepare(table, spec, workers=0), rows))
    except FatalError as exc:
        _fail(exc)
        return
    for item in shown:
        if item.sendable:
            click.echo(f"# row {item.source.row}")
            for warning in item.warnings:
                click.echo(f"# warning ({warning['code']}): {warning['message']}")
            click.echo(json.dumps(item.payload, indent=2, ensure_ascii=False))
        else:
            outcome = item.outcome.value if item.outcome else "?"
            click.echo(f"# row {item.source.row}: {outcome} ({item.code}): {item.message}")
