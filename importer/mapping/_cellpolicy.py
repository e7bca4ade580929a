"""What an Excel error cell (``#N/A``, ...) in a mapped column does to its row.

An error cell is never read as empty: the row is rejected (``excel_error``), or, when every value
that reads the column says ``on_invalid: drop``, the cell is read as empty with a
``dropped_value`` warning. A required value and an identifier the org requires always reject.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from importer.mapping._spec import Identifier, Mapping
from importer.mapping._value import Value

Rule = Literal["reject", "drop"]


def error_cell_rules(mapping: Mapping) -> dict[str, Rule]:
    """Column -> what an error cell in it does (only the columns the mapping reads)."""
    rules: dict[str, Rule] = {}
    required = set(mapping.registration.required_identifiers)
    default: Rule = mapping.settings.on_invalid

    def visit(node: Any, forced: bool) -> None:
        if isinstance(node, Value):
            rule: Rule = node.on_invalid or default
            if forced or node.required:
                rule = "reject"
            own = {node.column} if node.column else set(node.columns or ())
            for column in own:
                if rules.get(column) != "reject":
                    rules[column] = rule
            forced = forced or node.required
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                child = getattr(node, name)
                identity = isinstance(node, Identifier) and name == "value"
                visit(child, forced or (identity and node.type in required))
        elif isinstance(node, dict):
            for item in node.values():
                visit(item, forced)
        elif isinstance(node, list | tuple):
            for item in node:
                visit(item, forced)

    visit(mapping, False)
    return rules
