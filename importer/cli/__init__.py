"""The ``importer`` command: a thin click shell over ``importer.run`` and ``importer.prepare``."""

from importer.cli._main import main

__all__ = ["main"]
