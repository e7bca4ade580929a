"""mapping: a YAML mapping file, compiled into a function that turns a row into a request body.

``load_mapping`` reads and checks the file; ``Builder(mapping, columns)`` compiles it for one
input's columns; ``check_payload`` is the request model's last word on a body."""

from importer.mapping._builder import Builder, merge_usage
from importer.mapping._compile import Options, compile_value
from importer.mapping._fields import (
    EMAIL_CHARS,
    EMAIL_LIMIT,
    EMAIL_SHAPE,
    IDENTIFIER_KIND,
    LONG_MAX,
    LONG_MIN,
    NAME_LIMIT,
    POINTS_LIMIT,
)
from importer.mapping._problems import Kept, show
from importer.mapping._rules import check_payload
from importer.mapping._spec import Mapping, load_mapping, parse_mapping
from importer.mapping._transforms import ISO_FORMATS, compile_format

__all__ = [
    "EMAIL_CHARS",
    "EMAIL_LIMIT",
    "EMAIL_SHAPE",
    "LONG_MAX",
    "LONG_MIN",
    "NAME_LIMIT",
    "POINTS_LIMIT",
    "Builder",
    "IDENTIFIER_KIND",
    "ISO_FORMATS",
    "Kept",
    "Mapping",
    "Options",
    "check_payload",
    "compile_format",
    "compile_value",
    "load_mapping",
    "merge_usage",
    "parse_mapping",
    "show",
]
