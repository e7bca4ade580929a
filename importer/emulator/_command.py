"""``importer emulator``: run a local stand-in for the Add Customer API."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import click

from importer._exceptions import ConfigError


class _Latency(click.ParamType):
    name = "LO-HI"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from importer.emulator._faults import parse_latency

        if isinstance(value, tuple):
            return value
        try:
            return parse_latency(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one (see --ready-file).",
)
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file keeping customers across restarts [default: a temporary file].",
)
@click.option(
    "--rpm",
    type=click.IntRange(min=1),
    help="At most N adds per credential in any sliding minute; more get 429 with Retry-After.",
)
@click.option(
    "--latency-ms",
    type=_Latency(),
    default="0",
    show_default=True,
    help="Delay every answer by a uniform random time, e.g. 20-80 or 50.",
)
@click.option(
    "--fail-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of requests answered 500/502/503/504/521 without doing anything.",
)
@click.option(
    "--ambiguous-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of adds stored and then answered 504 or with a dropped connection.",
)
@click.option(
    "--error-status",
    type=click.Choice(["400", "200"]),
    default="400",
    show_default=True,
    help="HTTP status of a rejected add (the vendor does not document which).",
)
@click.option(
    "--org",
    "org_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML org configuration (see docs/emulator-org.example.yaml).",
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the base URL here once listening (for scripts and tests).",
)
@click.option("--seed", type=int, help="Seed the fault and latency draws, for reproducible runs.")
@click.option(
    "--window-seconds", type=click.FloatRange(min=0, min_open=True), default=60.0, hidden=True
)
def emulator(
    host: str,
    port: int,
    db: Path | None,
    rpm: int | None,
    latency_ms: tuple[float, float],
    fail_rate: float,
    ambiguous_rate: float,
    error_status: str,
    org_file: Path | None,
    ready_file: Path | None,
    seed: int | None,
    window_seconds: float,
) -> None:
    """Run a local emulator of the Capillary Add Customer API (POST /v2/customers).

    It applies the documented rules, Basic and OAuth authentication, a rate limit and injected
    faults, and keeps customers in SQLite. Test endpoints live under /_emulator/ (customers,
    stats, reset, health). Without --org it serves the defaults: Basic user demo / demo123,
    OAuth key demo-key / demo-secret. See docs/emulator.md.
    """
    from importer.emulator._app import Emulator
    from importer.emulator._faults import Faults
    from importer.emulator._org import load_org
    from importer.emulator._server import serve
    from importer.emulator._store import Store

    try:
        org = load_org(org_file)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--org") from None
    scratch = None
    if db is None:
        scratch = Path(tempfile.mkdtemp(prefix="importer-emulator-"))
        db = scratch / "emulator.sqlite3"
    try:
        store = Store(db)
    except Exception as exc:  # sqlite3 errors name no file: add it
        raise click.BadParameter(f"{db}: cannot open as SQLite: {exc}", param_hint="--db") from None
    faults = Faults(fail_rate, ambiguous_rate, latency_ms, seed)
    app = Emulator(
        org,
        store,
        faults=faults,
        rpm=rpm,
        window_seconds=window_seconds,
        error_status=int(error_status),
    )
    try:
        asyncio.run(serve(app, host, port, ready_file))
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    finally:
        store.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
