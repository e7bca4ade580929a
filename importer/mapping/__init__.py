"""mapping: a YAML mapping file, compiled into a function that turns a row into a request body.

``load_mapping`` reads and checks the file; ``Builder(mapping, columns)`` compiles it for one
input's columns; ``check_payload`` is the request model's last word on a body.
"""

from importer.mapping._builder import Builder
from importer.mapping._problems import show
from importer.mapping._rules import check_payload
from importer.mapping._spec import Mapping, load_mapping, parse_mapping

__all__ = ["Builder", "Mapping", "check_payload", "load_mapping", "parse_mapping", "show"]
