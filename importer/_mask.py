"""Mask personal identifiers (mobiles, e-mails) in text meant for logs and report pages."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"([^\s@'\"<>(),;:]+)@([^\s@'\"<>(),;:]+)")
# Seven digits or more: phone numbers and card numbers, never row counts or codes like 8006.
_DIGITS = re.compile(r"\+?\d[\d \-]{5,}\d")


def mask_email(value: str) -> str:
    """Keep the first letter of the local part and domain, and the top-level domain."""
    local, _, domain = value.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    return f"{local[:1]}***@{name[:1]}***{dot}{tld}"


def mask_digits(value: str) -> str:
    """Keep the first two and last two digits of a long number."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return value
    return f"{digits[:2]}{'*' * (len(digits) - 4)}{digits[-2:]}"


def mask_text(text: str) -> str:
    """Mask every e-mail address and long digit run in ``text``."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _DIGITS.sub(lambda m: mask_digits(m.group(0)), text)
