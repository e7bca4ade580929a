"""Prepare: each row mapped, checked and de-duplicated into a payload or a local outcome."""

from importer.prepare._input import open_input
from importer.prepare._pipeline import check_columns, dry_run, prepare

__all__ = ["check_columns", "dry_run", "open_input", "prepare"]
