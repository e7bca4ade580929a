"""A local emulator of the Capillary Add Customer API, and a harness to run it in tests."""

from importer.emulator._auth import basic_auth_header
from importer.emulator._harness import Answer, EmulatorProcess, running_emulator
from importer.emulator._org import (
    DEFAULT_OAUTH_KEY,
    DEFAULT_OAUTH_SECRET,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
)

__all__ = [
    "DEFAULT_OAUTH_KEY",
    "DEFAULT_OAUTH_SECRET",
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "Answer",
    "EmulatorProcess",
    "basic_auth_header",
    "running_emulator",
]
