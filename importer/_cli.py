"""The ``importer`` command: a thin shell that loads each subcommand only when it is called."""

from __future__ import annotations

import importlib

import click

#: subcommand -> "module:attribute" of its click command; loaded lazily to keep start-up fast.
COMMANDS: dict[str, str] = {
    "run": "importer._cli_run:run",
    "rerun": "importer._cli_run:rerun",
    "validate": "importer._cli_prepare:validate",
    "preview": "importer._cli_prepare:preview",
    "emulator": "importer.emulator._command:emulator",
}


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
