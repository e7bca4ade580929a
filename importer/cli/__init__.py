"""The ``importer`` command: a thin click shell over ``importer.run`` and ``importer.prepare``."""
