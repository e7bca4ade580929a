"""draft: a working, commented mapping drafted from the file itself (``importer init``)."""

from importer.draft._draft import draft, trial

__all__ = ["draft", "trial"]
