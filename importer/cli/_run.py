"""``importer run``: a thin click shell over ``run_import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from importer._exceptions import FatalError, UsageError, exit_code_for
from importer.cli._main import Duration, org_option, reading_options, report_options
from importer.run import RunConfig
from importer.send import Policy

#: optional request headers the vendor's API notes list (matched case-insensitively).
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


def _execute(config: RunConfig, inputs: list[Path], move_done: Path | None = None) -> None:
    from importer._layout import run_dir
    from importer.report import format_summary
    from importer.run import format_batch, run_batch

    try:
        result = run_batch(config, inputs, move_done=move_done)
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        # before sending began (reading, preparing): nothing was sent
        click.echo("error: interrupted before sending began", err=True)
        sys.exit(exit_code_for(error=KeyboardInterrupt()))
    for summary in result.summaries:
        click.echo(format_summary(summary))
        click.echo(f"  reports: {run_dir(config.out, summary.job, summary.run)}")
    if len(inputs) > 1:
        click.echo(format_batch(result))
    sys.exit(result.exit_code)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, required=True)
@reading_options
@report_options
@click.option("--region", help="emea, asia1 (india), asia2, us or china: base URL and limit.")
@click.option("--base-url", help="API base URL (overrides the region's).")
@click.option(
    "--rpm", type=float, help="Adds per minute at most (overrides the region's; 0: no limit)."
)
@click.option("--concurrency", type=click.IntRange(1, 1000), help="Requests in flight at most.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for one answer.",
)
@click.option("--dry-run", is_flag=True, help="Validate and report without sending.")
@click.option("--header", "headers", multiple=True, help="NAME=VALUE optional header, repeatable.")
@click.option(
    "--skip-known",
    is_flag=True,
    help="Do not send rows whose identifiers the ledger has seen registered or answered 8006.",
)
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ledger of known identifiers (default: <out>/ledger.sqlite).",
)
@click.option(
    "--outage-wait",
    type=Duration(),
    default="10m",
    show_default=True,
    help="How long to wait for an API that is down (600, 90s, 10m, 1h) before stopping.",
)
@click.option(
    "--move-done",
    type=click.Path(file_okay=False, path_type=Path),
    help="Move each input whose rows are all settled (none failed) into this folder.",
)
@org_option
@click.option(
    "--no-org-check",
    is_flag=True,
    help="Do not read the org's field configuration before the first add, nor check against it.",
)
def run(
    inputs: tuple[str, ...],
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
    skip_known: bool,
    ledger: Path | None,
    move_done: Path | None,
    outage_wait: float,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    org: Path | None,
    no_org_check: bool,
) -> None:
    """Send every row of INPUTS to the Add Customer API, exactly once, within the rate limit.

    INPUTS are CSV or Excel files, or quoted patterns ('incoming/*.csv'): several inputs share
    one rate limit and get a report folder each. Credentials come from
    CAPILLARY_USERNAME/CAPILLARY_PASSWORD (Basic) or CAPILLARY_OAUTH_KEY/CAPILLARY_OAUTH_SECRET
    (OAuth), in the environment or .env. Running the same command again resumes: settled rows
    are skipped.
    """
    from importer.run import expand_inputs

    try:
        paths = expand_inputs(inputs)
        config = RunConfig(
            input=paths[0],
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
            skip_known=skip_known,
            ledger=ledger,
            policy=Policy(outage_wait=outage_wait),
            org=org,
            org_check=not no_org_check,
        )
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    _execute(config, paths, move_done)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rpm", type=float, help="Override the limit the run used (0: no limit).")
@click.option("--mapping", type=click.Path(path_type=Path), help="Override the run's mapping.")
def rerun(run_dir: Path, rpm: float | None, mapping: Path | None) -> None:
    """Send again the rows of RUN_DIR/errors.csv with the settings that run used (run.json).

    Fix rows in errors.csv by hand first (or in errors.xlsx: a workbook saved after errors.csv
    is the one sent), or just rerun after an outage: the new reports still name the rows of the
    original file, and carry the rows that run settled.
    """
    try:
        config = rerun_config(run_dir, rpm=rpm, mapping=mapping)
    except FatalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    _execute(config, [config.input])


def rerun_config(
    run_dir: Path, *, rpm: float | None = None, mapping: Path | None = None
) -> RunConfig:
    """The settings of an earlier run, pointed at its errors.csv (or a newer errors.xlsx)."""
    from importer._layout import errors_input, out_and_job, read_run_settings

    try:
        settings = read_run_settings(run_dir)
    except ValueError as exc:
        raise UsageError(f"{exc}: nothing to rerun") from None
    errors = errors_input(run_dir)
    if errors is None:
        raise UsageError(f"{run_dir}: no errors.csv to rerun")
    recorded_rpm = settings.get("rpm")
    out, job = out_and_job(run_dir)
    return RunConfig(
        input=errors,
        mapping=mapping or Path(settings["mapping"]),
        base_url=settings.get("base_url"),
        rpm=rpm if rpm is not None else (recorded_rpm or 0),
        concurrency=settings.get("concurrency"),
        timeout=settings.get("timeout") or 30.0,
        out=Path(settings.get("out") or out),
        job=settings.get("job") or job,
        headers=settings.get("headers") or {},
        skip_known=bool(settings.get("skip_known")),
        ledger=Path(settings["ledger"]) if settings.get("ledger") else None,
        policy=Policy(outage_wait=float(settings.get("outage_wait") or 600.0)),
        org=Path(settings["org"]) if settings.get("org") else None,
        org_check=settings.get("org_check", True) is not False,
    )
