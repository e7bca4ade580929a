"""Run: one command's work from input to reports: settings, the run loop, batches, Ctrl-C, logs."""

from importer.run._batch import expand_inputs, format_batch, run_batch
from importer.run._config import RunConfig, load_env
from importer.run._dry import dry_run
from importer.run._purge import purge

__all__ = [
    "RunConfig",
    "dry_run",
    "expand_inputs",
    "format_batch",
    "load_env",
    "purge",
    "run_batch",
]
