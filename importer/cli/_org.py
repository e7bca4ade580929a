"""``importer org pull``: read the org's field configuration into a file ``--org`` reads."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from importer._exceptions import FatalError, exit_code_for


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def org() -> None:
    """The org's own configuration: extended fields, custom fields, their rules."""


@org.command()
@click.option("--region", help="emea, asia1 (india), asia2, us or china: the API's host.")
@click.option("--base-url", help="API base URL (overrides the region's).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The org file to write (default: reports/_org/<host>.json).",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
    help="Seconds to wait for one answer.",
)  # fmt: skip
def pull(region: str | None, base_url: str | None, out: Path | None, timeout: float) -> None:
    """Read GET /v2/extendedFields, /v2/organization/customFields and
    /v2/entity/extendedFieldConfig with the run's credentials and write them to one owner-only
    file, with the time they were read. validate, preview and run take it with --org FILE.

    Exit 0 when every endpoint was read, 1 when some could not be (named; the others are
    written), 2 when none could."""
    from importer.mapping import parse_org
    from importer.org import default_org_path, pull_org, save_org
    from importer.run import load_env
    from importer.send import Credentials, resolve_region

    try:
        url, _ = resolve_region(region, base_url, 0)
        credentials = Credentials.from_env(load_env(None))
        data = pull_org(url, credentials, timeout=timeout)
        failed = {k: v["error"] for k, v in data["endpoints"].items() if "error" in v}
        if len(failed) == len(data["endpoints"]):
            reasons = "; ".join(f"{k}: {why}" for k, why in failed.items())
            click.echo(f"error: cannot read the org's configuration at {url}: {reasons}", err=True)
            sys.exit(exit_code_for(aborted=True, sent=False))  # nothing read: 2
        path = save_org(data, out or default_org_path(Path("reports"), url))
        config = parse_org(data, str(path))
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    click.echo(f"{path}: the org's configuration at {url}, read {data['read_at']}")
    for entry in data["endpoints"].values():
        click.echo(f"  {entry['path']}: {entry.get('error') or 'read'}")
    if config.extended is not None:
        click.echo(f"  extended fields: {', '.join(sorted(config.extended)) or '(none)'}")
    if config.custom is not None:
        click.echo(f"  custom fields: {', '.join(sorted(config.custom)) or '(none)'}")
    sys.exit(exit_code_for(outcomes={"failed": len(failed)}))  # 1: an endpoint not read
