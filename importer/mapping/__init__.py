"""mapping: a YAML mapping file, compiled into a function that turns a row into a request body.

``load_mapping`` reads and checks the file; ``Builder(mapping, columns)`` compiles it for one
input's columns; ``check_payload`` is the request model's last word on a body."""

from importer.mapping._builder import Builder, merge_usage
from importer.mapping._cellpolicy import error_cell_rules
from importer.mapping._compile import Options, compile_value
from importer.mapping._fields import IDENTIFIER_KIND, MOBILE_FIELD
from importer.mapping._org import ENDPOINTS, FORMAT, OrgConfig, OrgField, load_org, parse_org
from importer.mapping._orgcheck import closest, with_org
from importer.mapping._problems import CONTINUATION, Kept, show
from importer.mapping._rules import check_payload
from importer.mapping._spec import Mapping, load_mapping, parse_mapping
from importer.mapping._transforms import ISO_FORMATS, compile_format

__all__ = [
    "CONTINUATION",
    "Builder",
    "ENDPOINTS",
    "FORMAT",
    "IDENTIFIER_KIND",
    "ISO_FORMATS",
    "Kept",
    "MOBILE_FIELD",
    "Mapping",
    "Options",
    "OrgConfig",
    "OrgField",
    "check_payload",
    "closest",
    "compile_format",
    "compile_value",
    "error_cell_rules",
    "load_mapping",
    "load_org",
    "merge_usage",
    "parse_mapping",
    "parse_org",
    "show",
    "with_org",
]
