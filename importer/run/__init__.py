"""Run: one command's work from input to reports: settings, the run loop, batches, Ctrl-C, logs."""

from importer.run._batch import expand_inputs, format_batch, run_batch
from importer.run._config import RunConfig, load_env
from importer.run._purge import purge

__all__ = ["RunConfig", "expand_inputs", "load_env", "format_batch", "purge", "run_batch"]
