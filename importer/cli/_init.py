"""``importer init``: draft a working, commented mapping from the file itself."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from importer._exceptions import FatalError, UsageError


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input", type=click.Path(path_type=Path))
@click.option("--sheet", help="The Excel sheet, by name or 1-based index (default: first).")
@click.option("--encoding", help="The CSV's encoding (default: detected).")
@click.option("--delimiter", help="The CSV's delimiter (default: sniffed among , ; TAB |).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the mapping (default: mappings/<input name>.yaml).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=20_000,
    show_default=True,
    help="Learn from this many rows spread through the file; 0 reads every row.",
)
@click.option("--force", is_flag=True, help="Overwrite the --out file if it exists.")
@click.option(
    "--org",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The org file of 'importer org pull': columns drafted to the org's extended fields.",
)
def init(
    input: Path,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    out: Path | None,
    sample: int,
    force: bool,
    org: Path | None,
) -> None:
    """Draft a mapping for INPUT from its header and values, and show what validate makes of it.

    Every guess is explained in a comment beside it; each TODO carries a working placeholder, so
    the draft runs as written. Exit 0 when every (sampled) row would be sent, 1 when some would
    not, 2 when the file cannot be read or the mapping file exists (see --force).
    """
    from importer.draft import draft, trial
    from importer.mapping import load_org
    from importer.read import open_table
    from importer.report import format_summary

    target = out or Path("mappings") / f"{input.stem}.yaml"
    try:
        if target.exists() and not force:
            raise UsageError(f"{target}: exists; choose another --out, or --force to replace it")
        table = open_table(input, encoding=encoding, delimiter=delimiter, sheet=sheet)
        config = load_org(org) if org is not None else None
        result = draft(table, sample=sample or None, name=str(input), org=config)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.text, encoding="utf-8")
        click.echo(f"{target}: drafted from {input}")
        for field, column in result.matched.items():
            click.echo(f"  {field:<17} <- {column}")
        if result.unmapped:
            click.echo(f"  not mapped: {', '.join(result.unmapped)}")
        summary = trial(
            result, target, input, encoding=encoding, delimiter=delimiter, sheet=table.sheet,
            org=org,
        )  # fmt: skip
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    rows = result.sample
    if rows.whole:
        click.echo("\nWhat `importer validate` makes of it:")
    else:
        click.echo(
            f"\nWhat `importer validate` makes of the {len(rows.frame):,} sampled rows "
            f"(of {'' if rows.exact else 'about '}{rows.total:,}; validate reads them all):"
        )
    click.echo(format_summary(summary).split("\n", 1)[1])
    todos = result.text.count("TODO:")
    click.echo(f"\nNext: read the comments and decide the {todos} TODOs in {target}, then")
    click.echo(f"  importer validate {input} --mapping {target}")
    sys.exit(summary.exit_code)
