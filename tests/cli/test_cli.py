"""``importer run`` as a user meets it: clear errors with the documented exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from runs_helpers import BASIC, member_rows, write_csv

from importer._exceptions import UsageError
from importer.cli._main import main
from importer.cli._run import parse_headers


@pytest.fixture
def input_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "in.csv", member_rows(2))


def invoke(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    blank = {k: "" for k in ("CAPILLARY_USERNAME", "CAPILLARY_PASSWORD")}
    blank |= {k: "" for k in ("CAPILLARY_OAUTH_KEY", "CAPILLARY_OAUTH_SECRET")}
    return CliRunner().invoke(main, list(args), env={**blank, **(env or {})})


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        ((), BASIC, "--region NAME or --base-url URL"),
        (("--region", "us"), BASIC, "--rpm N"),
        (("--region", "mars"), BASIC, "unknown region"),
        (("--region", "emea"), {}, "no credentials"),
        (("--region", "emea", "--header", "Authorization=x"), BASIC, "not an optional API header"),
        (("--region", "emea", "--header", "SKIP-DOWNSTREAM"), BASIC, "expected NAME=VALUE"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    input_csv: Path, mapping: Path, extra: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    result = invoke("run", str(input_csv), "--mapping", str(mapping), *extra, env=env)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and message in result.output
    assert "Traceback" not in result.output


def test_missing_input_is_an_input_error(tmp_path: Path, mapping: Path) -> None:
    result = invoke(
        "run", str(tmp_path / "nope.csv"), "--mapping", str(mapping), "--region", "emea", env=BASIC
    )
    assert result.exit_code == 2 and "no such file" in result.output


def test_dry_run_needs_no_region_or_credentials(
    input_csv: Path, mapping: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke(
        "run", str(input_csv), "--mapping", str(mapping), "--dry-run", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output


def test_parse_headers_normalises_names() -> None:
    assert parse_headers(["skip-downstream=true", "USER-CONTEXT-ENTITY-ID = 7"]) == {
        "SKIP-DOWNSTREAM": "true",
        "USER-CONTEXT-ENTITY-ID": "7",
    }
    with pytest.raises(UsageError):
        parse_headers(["X-Other=1"])
