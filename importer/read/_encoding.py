"""A CSV's encoding: read right from its first bytes, or refused before the first row.

A byte order mark names UTF-8 or UTF-16; bytes that are valid UTF-8 are UTF-8. Anything else is
a legacy encoding, single-byte (cp1250-cp1258, ISO-8859-x) or multi-byte (Shift-JIS, GB18030,
EUC-KR, ...), which chardet ranks from the first 256 KB. Its ranking alone is not trusted with
customer data. A reading must decode the sample without control characters and without a Latin
letter beside a Greek or Cyrillic one in a word (mojibake's marks). chardet's best remaining
reading is taken unless another reading ranked close to it (90% of its confidence; 70% when the
sample has under 40 non-ASCII bytes) gives different text with as many letters: that doubt stops
the run (exit 2) naming the likely encodings and ``--encoding``. Never mojibake.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from importer._exceptions import InputError

#: Bytes looked at: enough for UTF-8 to show itself; never the whole file.
SAMPLE = 1 << 20
#: Bytes a legacy encoding is ranked on: thousands of rows, a few ms for chardet.
_RANKED = 256 << 10
_ASCII = bytes(range(128))
#: A candidate ranked at least this share of the best one's confidence is a contender; with
#: little evidence (few non-ASCII bytes) the best must stand further apart.
_CLOSE, _CLOSE_FEW, _FEW = 0.9, 0.7, 40
#: Characters no text file holds: C0 controls but tab and line breaks, and the C1 range that a
#: Windows code page read as ISO-8859 turns into.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: A Latin letter beside a Greek or Cyrillic one in a word: a Western file read as cp1251 or
#: ISO-8859-7 ("Josй"), never a name.
_MIXED = re.compile("[A-Za-z][\u0370-\u052f]|[\u0370-\u052f][A-Za-z]")


def detect_encoding(path: Path) -> str:
    """The file's encoding, from at most its first MB; InputError when it is in doubt."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE)
            complete = not fh.read(1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head[:8192]:
        raise InputError(f"{path}: looks like a binary file, not a CSV or Excel table")
    if _decodes(head, "utf-8", complete) is not None:
        return "utf-8"  # a later byte that is not UTF-8 stops the reading at its record
    return _legacy(path, head, complete)


def _decodes(data: bytes, encoding: str, complete: bool) -> str | None:
    """The text, or None when the bytes are not in this encoding (a character cut by the end of
    the sample is not held against it)."""
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(data, complete)
    except (UnicodeDecodeError, LookupError):
        return None


def _letters(text: str) -> int:
    """Letters beyond ASCII: where two readings of the same bytes differ."""
    return sum(n for ch, n in Counter(text).items() if not ch.isascii() and ch.isalpha())


def _legacy(path: Path, head: bytes, complete: bool) -> str:
    import chardet

    sample = head[:_RANKED]
    complete = complete and len(head) <= _RANKED
    ranked = chardet.detect_all(
        sample,
        ignore_threshold=True,
        compat_names=False,
        max_bytes=_RANKED,
        # Mac, DOS and mainframe code pages are not what spreadsheets and CRMs export
        encoding_era=chardet.EncodingEra.MODERN_WEB | chardet.EncodingEra.LEGACY_ISO,
    )
    accented = len(sample[:65536].translate(None, _ASCII))
    share = _CLOSE if accented >= _FEW else _CLOSE_FEW
    best: tuple[str, float, str, int] | None = None  # (encoding, confidence, text, letters)
    rivals: list[str] = []
    for found in ranked:  # best first
        name, confidence = found.get("encoding"), found.get("confidence") or 0.0
        if not name:
            continue
        if best is not None and confidence < best[1] * share:
            break  # the rest are ranked too far below to be in doubt
        text = _decodes(sample, name, complete)
        if text is None or _CONTROL.search(text) or _MIXED.search(text):
            continue  # not text: mojibake's marks
        if best is None:
            best = (name, confidence, text, _letters(text))
        elif text != best[2] and _letters(text) >= best[3]:
            rivals.append(name)
    if best is None:
        raise _doubt(path, [str(f.get("encoding")) for f in ranked[:3] if f.get("encoding")])
    if rivals:
        raise _doubt(path, [best[0], *rivals])
    return best[0]


def _doubt(path: Path, likely: list[str]) -> InputError:
    names = ", ".join(list(dict.fromkeys(likely))[:4]) or "none recognised"
    return InputError(
        f"{path}: the encoding is not certain (likely: {names}); "
        f"name it with --encoding, e.g. --encoding {likely[0] if likely else 'cp1252'}"
    )
