"""Excel's error cells (``#N/A``, ``#DIV/0!``, ...) found in an .xlsx sheet's XML.

python-calamine reads an error cell as an empty string (dimastbk/python-calamine#105), which
would send a customer without the e-mail a lookup failed to find. An .xlsx stores an error cell
as ``<c r="C7" t="e"><v>#N/A</v></c>``: the sheet's XML is streamed once and searched in C for
``t="e"``; a sheet without error cells (nearly all) costs one decompression and no parsing.
Other formats (.xls, .xlsb, .ods) are not searched: their error cells still read as empty.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

#: (0-based row, 0-based column) of the sheet -> the error's text
SheetErrors = dict[int, dict[int, str]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: an error cell with its content (a self-closing ``<c .../>`` has none: never run into the next)
_ERROR_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?\bt=[\"']e[\"'][^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S
)
_REF = re.compile(rb"\br=[\"']([A-Z]+)([0-9]+)[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_HINTS = (b't="e"', b"t='e'")
_BLOCK = 4 << 20


def sheet_errors(path: Path, sheet: str | None) -> SheetErrors:
    """The error cells of an .xlsx/.xlsm sheet by row and column (empty for other formats)."""
    if sheet is None:
        return {}
    try:
        stat = Path(path).stat()
    except OSError:
        return {}
    return _cached(str(path), stat.st_mtime_ns, stat.st_size, sheet)


@lru_cache(maxsize=4)  # the header is read, then the rows: one search serves both
def _cached(path: str, mtime: int, size: int, sheet: str) -> SheetErrors:
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_member(book, sheet)
            if member is None:
                return {}
            with book.open(member) as fh:
                return _search(fh)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}  # not an .xlsx (calamine reads the other formats, errors as empty)


def _sheet_member(book: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = None
    for node in workbook.iter(f"{_MAIN}sheet"):
        if node.get("name") == sheet:
            rel_id = node.get(f"{_REL}id")
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for node in rels.iter(f"{_PKG_REL}Relationship"):
        if node.get("Id") == rel_id:
            target = node.get("Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _search(fh: zipfile.ZipExtFile) -> SheetErrors:
    found: SheetErrors = {}
    tail = b""
    while True:
        block = fh.read(_BLOCK)
        text = tail + block
        if not block:
            _parse(text, found)
            return found
        # never cut a cell in two: cut after the last row tag (``</row>``, ``</x:row>``)
        cut = text.rfind(b"row>")
        if cut < 0:
            tail = text
            continue
        cut += len(b"row>")
        _parse(text[:cut], found)
        tail = text[cut:]


def _parse(text: bytes, found: SheetErrors) -> None:
    if not any(hint in text for hint in _HINTS):
        return
    for match in _ERROR_CELL.finditer(text):
        ref = _REF.search(match.group(1))
        value = _VALUE.search(match.group(2))
        if ref is None or value is None:
            continue  # a cell without its reference: Excel always writes one
        column = 0
        for letter in ref.group(1):
            column = column * 26 + letter - 64
        row = int(ref.group(2)) - 1
        found.setdefault(row, {})[column - 1] = value.group(1).decode("utf-8", "replace")
