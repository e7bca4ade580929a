"""Run: one command's work from input to reports: settings, the run loop, batches, Ctrl-C, logs."""

from importer.run._batch import expand_inputs, format_batch, run_batch
from importer.run._config import RunConfig
from importer.run._purge import purge

__all__ = ["RunConfig", "expand_inputs", "format_batch", "purge", "run_batch"]
