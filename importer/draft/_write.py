"""YAML text with comments: a small block-style writer for the draft (no YAML library keeps
comments beside keys as readably, and the draft is only ever written, never edited here).

A document is a list of ``Node`` (``key: value``); a value is a scalar, a flow collection
(a dict or list of scalars, written ``{a: b}`` / ``[a, b]``), a block mapping (a list of Node)
or a block sequence (a list of ``Item``).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

WIDTH = 100
#: where comments beside a key start, when the line is short enough
_NOTE_AT = 36
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ .\-]*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})


@dataclass
class Node:
    """``key: value`` with an optional comment beside it and comment lines above it."""

    key: str
    value: Any = None
    note: str = ""
    above: str = ""
    #: written commented out (the user decides)
    off: bool = False


@dataclass
class Item:
    """One element of a block sequence: a block mapping."""

    nodes: list[Node]
    above: str = ""
    off: bool = False


@dataclass
class Blank:
    """An empty line (between top-level sections), or a comment paragraph alone."""

    above: str = ""
    off: bool = field(default=False)


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly ``value`` (JSON strings are YAML strings)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar; characters that are not printable are escaped (YAML would
    fold a U+2028 or a NEL as a line break, and reads no surrogate pairs)."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


def flow(value: Any) -> str:
    """A dict or list of scalars (or of such collections) in flow style."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def render(document: list[Node | Blank]) -> str:
    """The document as YAML text."""
    lines: list[str] = []
    for node in document:
        if isinstance(node, Blank):
            if node.above:
                lines.extend(_comment(node.above, 0))
            else:
                lines.append("")
            continue
        lines.extend(_node(node, 0))
    return "\n".join(lines).rstrip() + "\n"


def _printable(text: str) -> str:
    """Comment text YAML accepts: control characters (from the file's cells) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


def _comment(text: str, indent: int) -> list[str]:
    pad = " " * indent
    out = []
    for paragraph in _printable(text).splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False
        ) or [""]
        out.extend(f"{pad}# {line}".rstrip() for line in wrapped)
    return out


def _with_note(line: str, note: str, indent: int) -> list[str]:
    if not note:
        return [line]
    padded = line.ljust(_NOTE_AT) if len(line) < _NOTE_AT else line + "  "
    if len(padded) + 2 + len(note) <= WIDTH and note.isprintable():
        return [f"{padded}# {note}"]
    return [*_comment(note, indent), line]


def _node(node: Node, indent: int, dash: bool = False) -> list[str]:
    pad = " " * indent
    lead = pad[:-2] + "- " if dash else pad
    # a sequence item's comment starts where its dash does
    above = _comment(node.above, indent - 2 if dash else indent) if node.above else []
    value = node.value
    key = scalar(node.key)
    if isinstance(value, list) and value and isinstance(value[0], Node):
        lines = _with_note(f"{lead}{key}:", node.note, indent - 2 if dash else indent)
        for child in value:
            lines.extend(_node(child, indent + 2))
    elif isinstance(value, list) and value and isinstance(value[0], Item):
        lines = _with_note(f"{lead}{key}:", node.note, indent - 2 if dash else indent)
        for item in value:
            lines.extend(_item(item, indent + 2))
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and v for v in value)
        and len(f"{lead}{key}: {flow(value)}") > WIDTH
    ):
        # too long for one line: a block sequence of mappings (``first_of``'s candidates)
        lines = _with_note(f"{lead}{key}:", node.note, indent - 2 if dash else indent)
        for child in value:
            lines.extend(_item(Item([Node(str(k), v) for k, v in child.items()]), indent + 2))
    elif isinstance(value, dict) and value and len(f"{lead}{key}: {flow(value)}") > WIDTH:
        # too long for one line: a block mapping, each key on its own line
        lines = _with_note(f"{lead}{key}:", node.note, indent - 2 if dash else indent)
        for key, child in value.items():
            lines.extend(_node(Node(str(key), child), indent + 2))
    else:
        text = flow(value) if isinstance(value, dict | list | tuple) else scalar(value)
        lines = _with_note(f"{lead}{key}: {text}", node.note, indent - 2 if dash else indent)
    lines = above + lines
    return _off(lines, indent) if node.off else lines


def _item(item: Item, indent: int) -> list[str]:
    lines = _comment(item.above, indent) if item.above else []
    for k, child in enumerate(item.nodes):
        lines.extend(_node(child, indent + 2, dash=k == 0))
    return _off(lines, indent) if item.off else lines


def _off(lines: list[str], indent: int) -> list[str]:
    """Comment lines out at ``indent``, so that deleting ``# `` restores them."""
    pad = " " * indent
    return [f"{pad}# {line[indent:]}" if line.startswith(pad) else f"# {line}" for line in lines]
