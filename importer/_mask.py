"""Mask personal identifiers (mobiles, e-mails) in text meant for logs and report pages.

Identifiers only: a phone number in any of the shapes people type (``+91 99882 21100``,
``(284) 290-9390``, ``284.290.9390x5763``) and an e-mail address. Never what the tool itself
writes around them: paths and URLs, run ids and timestamps, dates and times, counts and row
numbers stay as they are, so a masked line still says where and when.
"""

from __future__ import annotations

import re

#: an e-mail address, or what was typed as one (``ann@``, ``dan@@example.com``): a word with an @
_EMAIL = re.compile(
    r"[^\s'\"<>(),;:/\\]*[^\s@'\"<>(),;:/\\]@[^\s'\"<>(),;:/\\]*|@+[^\s@'\"<>(),;:/\\]+"
)
#: a phone number: digits with the separators people type, then maybe an extension. It may not
#: touch a letter, a slash or another digit group on either side (a run id, a path, a time).
_PHONE = re.compile(
    r"(?<![\w/\\.+-])"
    r"(?:\+\(?|\(|\b)\d[\d\s().\-\u00a0]{5,}\d"
    r"(?:\s*(?:x|ext\.?|extn\.?|extension|#)\s*\d{1,6})?"
    r"(?![\w/\\])",
    re.IGNORECASE,
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?:19|20)\d{2}"
#: text that is never an identifier, whatever its digits: protected before phones are looked for
_KEEP = re.compile(
    r"[^\s\"'<>]*[/\\][^\s\"'<>]*"  # a path or URL (anything with a slash in it)
    rf"|{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"  # an ISO date, maybe with a time:
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|\b{_DAY}[./-]{_DAY}[./-](?:{_YEAR}|\d{{2}})\b"  # 22/10/2000, 10.22.2000
    r"|\b\d{8}T\d{6}Z?(?:-\d+)?"  # a run id
    r"|\b(?:rows?|lines?)\s+\d[\d,]*"  # row numbers the tool names
    r"|\b\d{1,3}(?:,\d{3})+\b",  # counts written with thousands separators
    re.IGNORECASE,
)
_MIN_DIGITS = 7


def mask_email(value: str) -> str:
    """Keep the first letter of the local part and domain, and the top-level domain."""
    local, _, domain = value.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    return f"{local[:1]}***@{name[:1]}***{dot}{tld}"


def mask_digits(value: str) -> str:
    """Keep the first two and last two digits of a long number (its extension included)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < _MIN_DIGITS:
        return value
    return f"{digits[:2]}{'*' * (len(digits) - 4)}{digits[-2:]}"


def _phones(text: str) -> str:
    return _PHONE.sub(lambda m: mask_digits(m.group(0).rstrip()), text)


def mask_text(text: str) -> str:
    """Mask every e-mail address and phone-like number in ``text``, and nothing else."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    out: list[str] = []
    at = 0
    for kept in _KEEP.finditer(text):
        out.append(_phones(text[at : kept.start()]))
        out.append(kept.group(0))
        at = kept.end()
    out.append(_phones(text[at:]))
    return "".join(out)
