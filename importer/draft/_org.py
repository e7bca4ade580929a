"""``importer init --org FILE``: the org's own extended fields, drafted from the file's columns.

A column left unmapped by the rest of the draft maps to an org field when its header is the
field's name or label (``Marital Status`` -> ``marital_status``), or when every value it holds is
one of an enum field's values. The value gets the conversion the field's ``dataType`` needs, and
the comment says which org field it is and why. An extended field the draft wrote that the org
does not have is renamed to the org's field of the same name or label, or left out with a
comment, so the draft passes ``validate --org`` as written.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from typing import Any

from importer.draft._dates import guess_dates
from importer.mapping import OrgConfig, OrgField, closest

#: how many distinct values a column may hold to be read as an enum's
_ENUM_VALUES = 50
_ENTRY = re.compile(r"^  ([^\s#][^:]*):")
_LEFT_OUT = re.compile(r"^\s*# (\S+): the org has no such (?:extended|custom) field")


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "_", text.strip().casefold())


def org_fields(
    text: str, frame: Any, unmapped: list[str], org: OrgConfig
) -> tuple[str, dict[str, str], set[str]]:
    """The drafted mapping with the org's extended fields, what they matched (name -> column),
    and the drafted fields left out because the org does not have them."""
    if org.extended is None:
        return text, {}, set()
    lines, freed = _settle_drafted(text.splitlines(), org.extended, org.custom, org.path)
    removed = {m.group(1) for line in lines if (m := _LEFT_OUT.match(line))}
    unmapped = [*unmapped, *(c for c in freed if c in frame.columns and c not in unmapped)]
    drafted = set(_section_names(lines))
    found: dict[str, str] = {}
    entries: list[str] = []
    for column in unmapped:
        match = _match(column, frame[column], org.extended, drafted | set(found))
        if match is None:
            continue
        field, why = match
        found[field.name] = column
        entries += _entry(field, column, why, frame[column], org.path)
    if not entries:
        return _closed("\n".join(lines) + "\n"), found, removed
    at = next((i for i, line in enumerate(lines) if line.rstrip() == "extendedFields:"), None)
    if at is None:  # a section of its own, before the list of unmapped columns
        at = next(
            (i for i, line in enumerate(lines) if line.startswith("# Columns left unmapped")),
            len(lines),
        )
        lines[at:at] = ["extendedFields:", *entries, ""]
    else:
        lines[at + 1 : at + 1] = entries
    taken = {f"# - {column}:" for column in found.values()}
    lines = [line for line in lines if not any(line.startswith(t) for t in taken)]
    return _closed("\n".join(lines) + "\n"), found, removed


def _closed(text: str) -> str:
    """A section left with comments only would read as null: written as ``{}``."""
    lines = text.splitlines()
    if "extendedFields:" in lines and not _section_names(lines):
        lines[lines.index("extendedFields:")] = "extendedFields: {}"
    for i, line in enumerate(lines):
        if line == "    fields:":
            rest = (x for x in lines[i + 1 :] if x.strip() and not x.strip().startswith("#"))
            following = next(rest, "")
            if len(following) - len(following.lstrip()) <= 4:
                lines[i] = "    fields: {}"
    return "\n".join(lines) + "\n"


def _match(
    column: str, values: Any, fields: dict[str, OrgField], taken: set[str]
) -> tuple[OrgField, str] | None:
    key = _key(column)
    for field in fields.values():
        if field.name in taken:
            continue
        if _key(field.name) == key:
            return field, f"its header is the org's field name {field.name}"
        if field.label and _key(field.label) == key:
            return field, f"its header is the label of the org's field {field.name} ({field.label})"
    counts = Counter(v.strip() for v in values if isinstance(v, str) and v.strip())
    if not counts or len(counts) > _ENUM_VALUES:
        return None
    for field in fields.values():
        if field.name in taken or field.data_type != "STANDARD_ENUM" or not field.values:
            continue
        allowed = {v.casefold() for v in field.values}
        if all(v.casefold() in allowed for v in counts):
            return field, f"all {len(counts)} values it holds are among the org's values for it"
    return None


def _entry(field: OrgField, column: str, why: str, values: Any, org: str) -> list[str]:
    """The mapping lines of one org field, with the comment that explains them."""
    spec = [f"column: {_quoted(column)}"]
    how = ""
    if field.data_type == "INTEGER":
        spec.append("as: int")
        how = "; INTEGER: read as a whole number"
    elif field.data_type == "DOUBLE":
        spec.append("as: number")
        how = "; DOUBLE: read as a number"
    elif field.data_type == "DATETIME":
        spec.append("as: datetime")
        counts = Counter(v.strip() for v in values if isinstance(v, str) and v.strip())
        guess = guess_dates(counts)
        if guess is not None and guess.formats:
            spec.append("formats: [" + ", ".join(_quoted(f) for f in guess.formats) + "]")
        how = "; DATETIME: sent in the API's date-time format"
    elif field.data_type == "STANDARD_ENUM" and field.values:
        how = f"; STANDARD_ENUM: one of {', '.join(field.values[:8])}"
    spec.append("on_invalid: drop")  # optional: a value that fails is left out with a warning
    comment = (
        f"{column}: the org's extended field {field.name} ({org}): {why}{how}; a value the field "
        "does not take is left out with a warning."
    )
    wrapped = textwrap.wrap(comment, width=96, break_on_hyphens=False, break_long_words=False)
    return [*(f"  # {line}" for line in wrapped), f"  {field.name}: {{{', '.join(spec)}}}"]


def _settle_drafted(
    lines: list[str], fields: dict[str, OrgField], custom: dict[str, OrgField] | None, org: str
) -> tuple[list[str], list[str]]:
    """Rename drafted extended fields the org spells otherwise; leave out the extended and
    custom fields it lacks. Also the columns those left out had read (free for the org's own)."""
    out: list[str] = []
    freed: list[str] = []
    table: dict[str, OrgField] | None = None
    place, indent = "", 0
    removed: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        depth = len(line) - len(line.lstrip())
        if removed is not None:
            if stripped and not stripped.startswith("#") and depth > indent:
                removed.append(line)
                continue
            freed += _columns(removed)
            removed = None
        if stripped and not stripped.startswith("#") and depth < indent:
            table = None  # the section ended
        if line.rstrip() == "extendedFields:":
            table, place, indent = fields, "extended", 2
        elif line.rstrip() == "    fields:" and custom is not None:
            table, place, indent = custom, "custom", 6
        elif table is not None and depth == indent and not stripped.startswith("#"):
            name = stripped.split(":", 1)[0].strip().strip("'\"")
            if name not in table:
                near = [n for n in closest(name, table) if _key(n) == _key(name)]
                if place == "extended" and len(near) == 1:
                    line = line.replace(f"{name}:", f"{near[0]}:", 1)
                else:
                    pad = " " * indent
                    while out and out[-1].startswith(pad + "# "):
                        out.pop()  # the drafter's comment on the entry: it is not written
                    out.append(
                        f"{pad}# {name}: the org has no such {place} field ({org}): left out"
                    )
                    removed = [line]
                    continue
        out.append(line)
    if removed is not None:
        freed += _columns(removed)
    return out, freed


def _columns(block: list[str]) -> list[str]:
    """The columns an entry of the mapping reads: ``name: Column`` or ``column: Column``."""
    text = "\n".join(block)
    found = re.findall(r"column:\s*(?:\"([^\"]*)\"|'([^']*)'|([^,}\n#]+))", text)
    columns = [next(g for g in groups if g).strip() for groups in found]
    if not columns:
        value = block[0].split(":", 1)[1].split("#", 1)[0].strip()
        if value and not value.startswith(("{", "[")):
            columns = [value.strip("'\"")]
    return columns


def _section_names(lines: list[str]) -> list[str]:
    inside, names = False, []
    for line in lines:
        if not line.startswith((" ", "#")) and line.strip():
            inside = line.rstrip() == "extendedFields:"
        elif inside and (entry := _ENTRY.match(line)):
            names.append(entry.group(1).strip())
    return names


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
