"""``importer run``: a thin click shell over ``run_import``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from importer._exceptions import FatalError, UsageError

#: optional request headers notes.md lists (matched case-insensitively).
ALLOWED_HEADERS = (
    "USER-CONTEXT-ENTITY-TYPE",
    "USER-CONTEXT-ENTITY-ID",
    "USER-CONTEXT-ENTITY-SOURCE",
    "USER-CONTEXT-ENTITY-SOURCE-ID",
    "SKIP-DOWNSTREAM",
    "X-CAP-API-ATTRIBUTION-ENTITY-TYPE",
    "X-CAP-API-ATTRIBUTION-ENTITY-CODE",
)


def parse_headers(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``NAME=VALUE`` options -> headers; only the optional headers the API documents."""
    headers: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().upper()
        if not sep or not name:
            raise UsageError(f"--header {item!r}: expected NAME=VALUE")
        if name not in ALLOWED_HEADERS:
            allowed = ", ".join(ALLOWED_HEADERS)
            raise UsageError(f"--header {name}: not an optional API header (one of {allowed})")
        headers[name] = value.strip()
    return headers


def _execute(config: object) -> None:
    from importer._report import format_summary
    from importer._run import run_import

    try:
        summary = run_import(config)  # type: ignore[arg-type]
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        # before sending began (reading, preparing): nothing was sent
        click.echo("error: interrupted before sending began", err=True)
        sys.exit(130)
    click.echo(format_summary(summary))
    sys.exit(summary.exit_code)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input", type=click.Path(path_type=Path))
@click.option("--mapping", required=True, type=click.Path(path_type=Path), help="Mapping YAML.")
@click.option("--region", help="emea, asia1 (india), asia2, us or china: base URL and limit.")
@click.option("--base-url", help="API base URL (overrides the region's).")
@click.option(
    "--rpm", type=float, help="Adds per minute at most (overrides the region's; 0: no limit)."
)
@click.option("--concurrency", type=click.IntRange(1, 1000), help="Requests in flight at most.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"), show_default=True)
@click.option("--job", help="Job name (default: the input's name); the journal is per job.")
@click.option("--dry-run", is_flag=True, help="Validate and report without sending.")
@click.option("--header", "headers", multiple=True, help="NAME=VALUE optional header, repeatable.")
@click.option("--encoding", help="Text encoding of a CSV input (default: detected).")
@click.option("--delimiter", help="CSV delimiter (default: detected).")
@click.option("--sheet", help="Excel sheet name (default: the first).")
def run(
    input: Path,
    mapping: Path,
    region: str | None,
    base_url: str | None,
    rpm: float | None,
    concurrency: int | None,
    timeout: float,
    out: Path,
    job: str | None,
    dry_run: bool,
    headers: tuple[str, ...],
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
) -> None:
    """Send every row of INPUT to the Add Customer API, exactly once, within the rate limit.

    Credentials come from CAPILLARY_USERNAME/CAPILLARY_PASSWORD (Basic) or
    CAPILLARY_OAUTH_KEY/CAPILLARY_OAUTH_SECRET (OAuth), in the environment or .env.
    Running the same command again resumes: settled rows are skipped.
    """
    from importer._run import RunConfig

    try:
        config = RunConfig(
            input=input,
            mapping=mapping,
            region=region,
            base_url=base_url,
            rpm=rpm,
            concurrency=concurrency,
            timeout=timeout,
            out=out,
            job=job,
            dry_run=dry_run,
            headers=parse_headers(headers),
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
        )
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    _execute(config)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rpm", type=float, help="Override the limit the run used.")
def rerun(run_dir: Path, rpm: float | None) -> None:
    """Send again the rows of RUN_DIR/errors.csv with the settings that run used (run.json)."""
    from importer._run import RunConfig

    settings_path = run_dir / "run.json"
    if not settings_path.exists():
        click.echo(f"error: {run_dir}: no run.json, not a run folder", err=True)
        sys.exit(2)
    settings = json.loads(settings_path.read_text("utf-8"))
    job = settings.get("job") or run_dir.parent.name
    config = RunConfig(
        input=run_dir / "errors.csv",
        mapping=Path(settings["mapping"]),
        base_url=settings.get("base_url"),
        rpm=rpm if rpm is not None else (settings.get("rpm") or 0),
        concurrency=settings.get("concurrency"),
        timeout=settings.get("timeout") or 30.0,
        out=Path(settings.get("out") or run_dir.parent.parent),
        job=job,
    )
    _execute(config)
