"""draft: a working, commented mapping drafted from the file itself (``importer init``)."""
