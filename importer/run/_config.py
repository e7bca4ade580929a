"""What a run is told: its settings, where it sends and as whom, and how they are recorded."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from importer._layout import write_run_settings
from importer.send import Credentials, Policy, Transport, resolve_region


@dataclass
class RunConfig:
    """Everything one run needs; the CLI fills it from its options and the environment."""

    input: Path
    mapping: Path
    region: str | None = None
    base_url: str | None = None
    rpm: float | None = None  # None: the region's default; 0: no limit
    concurrency: int | None = None  # None: enough to keep the pipe full at the limit
    timeout: float = 30.0  # seconds per request
    out: Path = Path("reports")
    job: str | None = None
    dry_run: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    env: Mapping[str, str] | None = None  # where credentials come from; None: os.environ + .env
    progress: bool | None = None  # None: a progress bar when stderr is a terminal
    #: how hard to try: retries, backoff, outages, ledger waits (its concurrency is set per run
    #: from ``concurrency`` above, which may be left to the limit)
    policy: Policy = field(default_factory=Policy)
    transport: Transport | None = None  # tests and benchmarks may bring their own
    skip_known: bool = False  # skip rows whose identifiers the ledger has seen
    ledger: Path | None = None  # None: <out>/ledger.sqlite
    rate_window: float = 60.0  # the API counts its limit over 60 s; shorter only in tests
    org: Path | None = None  # --org FILE: the org's fields (None: read them before the first add)
    org_check: bool = True  # --no-org-check turns the check against the org's fields off


def load_env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The given mapping, or the process environment over a ``.env`` file in the working dir."""
    if env is not None:
        return env
    from dotenv import dotenv_values

    found = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    return {**found, **os.environ}


@dataclass(frozen=True)
class Target:
    """Where and as whom a run sends: settled once, shared by every input of a batch."""

    base_url: str
    rpm: float | None
    credentials: Credentials


def resolve_target(config: RunConfig) -> Target:
    """Check the base URL, limit and credentials before anything is read or sent."""
    base_url, rpm = resolve_region(config.region, config.base_url, config.rpm)
    return Target(base_url, rpm, Credentials.from_env(load_env(config.env)))


def write_settings(run_dir: Path, config: RunConfig, target: Target) -> None:
    """Write ``run.json``: what ``importer rerun`` needs to send again as this run did."""
    settings = {
        "input": str(Path(config.input).resolve()),
        "mapping": str(Path(config.mapping).resolve()),
        "region": config.region,
        "base_url": target.base_url,
        "rpm": target.rpm,
        "concurrency": config.concurrency,
        "timeout": config.timeout,
        "out": str(Path(config.out).resolve()),
        "job": config.job,
        "encoding": config.encoding,
        "delimiter": config.delimiter,
        "sheet": config.sheet,
        "skip_known": config.skip_known,
        "outage_wait": config.policy.outage_wait,
        "ledger": str(Path(config.ledger).resolve()) if config.ledger else None,
        "headers": config.headers,  # audit context (who posts), never credentials
        "org": str(Path(config.org).resolve()) if config.org else None,
        "org_check": config.org_check,
    }
    write_run_settings(run_dir, settings)
