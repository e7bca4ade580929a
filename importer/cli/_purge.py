"""``importer purge``: a thin click shell over ``run/_purge.purge``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from importer._exceptions import UsageError
from importer.cli._main import Duration


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--older-than",
    type=Duration(),
    required=True,
    help="Remove run folders whose run began longer ago than this (30d, 12h, 90m).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="The folder of <job>/<run>/ report folders, journals and the ledger.",
)
def purge(older_than: float, out: Path) -> None:
    """Delete old run folders, and the journals of finished jobs whose runs are all old.

    The journal of an unfinished job (rows pending, in flight or failed) is never deleted, nor is
    anything of a job that is running. Prints what it removed and what it kept, and why.
    """
    from importer.run import purge as purge_runs

    if not out.is_dir():
        error = UsageError(f"{out}: no such folder")
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    result = purge_runs(out, older_than)
    for line in result.removed:
        click.echo(f"removed {line}")
    for line in result.kept:
        click.echo(f"kept {line}")
    if not result.removed:
        click.echo(f"nothing older than {_shown(older_than)} in {out}")


def _shown(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"
