"""The ``importer`` command: a thin shell that loads each subcommand only when it is called."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

#: subcommand -> "module:attribute" of its click command; loaded lazily to keep start-up fast.
COMMANDS: dict[str, str] = {
    "run": "importer.cli._run:run",
    "rerun": "importer.cli._run:rerun",
    "validate": "importer.cli._prepare:validate",
    "preview": "importer.cli._prepare:preview",
    "emulator": "importer.emulator._command:emulator",
    "purge": "importer.cli._purge:purge",
    "init": "importer.cli._init:init",
    "org": "importer.cli._org:org",
}


class Duration(click.ParamType):
    """A duration: seconds (``600``) or with a unit: ``90s``, ``10m``, ``2h``, ``30d``."""

    name = "duration"
    UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().lower()
        unit = self.UNITS.get(text[-1:], None)
        number = text[:-1] if unit is not None else text
        try:
            seconds = float(number) * (unit or 1)
        except ValueError:
            self.fail(f"{value!r} is not a duration (600, 90s, 10m, 2h, 30d)", param, ctx)
        if seconds < 0:
            self.fail(f"{value!r}: a duration cannot be negative", param, ctx)
        return seconds


def _stack(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(command: Any) -> Any:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


#: How a command reads its input: the mapping and how to parse the file (run, validate, preview).
reading_options = _stack(
    click.option(
        "--mapping",
        required=True,
        type=click.Path(path_type=Path),
        help="The mapping file (YAML) that turns columns into request fields.",
    ),
    click.option("--encoding", help="The CSV's encoding (default: detected)."),
    click.option("--delimiter", help="The CSV's delimiter (default: sniffed among , ; TAB |)."),
    click.option("--sheet", help="The Excel sheet, by name or 1-based index (default: first)."),
)

#: The org file a command checks the mapping and every value against (run, validate, preview).
org_option = click.option(
    "--org",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The org file of 'importer org pull': every extended and custom field checked against it.",
)

#: Where a command writes its report folder <out>/<job>/<run>/ (run, validate).
report_options = _stack(
    click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=Path("reports"),
        show_default=True,
        help="Where <job>/<run>/ report folders, journals and the ledger live.",
    ),
    click.option(
        "--job", help="The job name (default: the input's file name); journals are per job."
    ),
)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="capillary-importer")
def main() -> None:
    """Load spreadsheets of customers into a Capillary CRM through the Add Customer API."""
