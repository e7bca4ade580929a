"""Prepare: each row mapped, checked and de-duplicated into a payload or a local outcome."""

from importer.prepare._pipeline import Checked, check, check_columns, prepare

__all__ = ["Checked", "check", "check_columns", "prepare"]
