"""Prepare: each row mapped, checked and de-duplicated into a payload or a local outcome."""
