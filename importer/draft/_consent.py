"""Consent columns, each on the channel its header names, in each platform's words.

``Accepts SMS Marketing`` (yes/no) is the mobile channel's consent; ``Accepts Email Marketing``,
``Newsletter``, ``Email Marketing Consent`` (``SUBSCRIBED``/``UNSUBSCRIBED``/
``NEVER_SUBSCRIBED``), a mailing list's ``subscribed``/``unsubscribed``/``cleaned`` status are the
e-mail channel's. A header that says the opposite (``HasOptedOutOfEmail``, ``Email Opt Out``,
``Unsubscribed from all email``, ``DND``) turns its yes into no, and its no into not given (not
having opted out is no consent). A status that is neither consent nor
its refusal (``pending``, ``cleaned``: the address bounced) is sent as not given: consent is never
guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from importer.draft._profile import Column
from importer.draft._vocab import BOOL_WORDS, BOOLEANS, header_words, words

#: header words that make a yes/no column a consent
_CONSENT = frozenset({
    "opt", "optin", "optout", "opted", "consent", "consents", "subscribed", "subscription",
    "subscribe", "subscriber", "unsubscribed", "unsubscribe", "marketing", "newsletter",
    "accepts", "dnd", "permission", "einwilligung", "werbung", "abonniert", "status",
    "blacklisted", "blocklisted", "suppressed",
})  # fmt: skip
#: header words of the mobile channel, and of the e-mail channel
_MOBILE = frozenset({"sms", "text", "texts", "mobile", "whatsapp", "mms", "dnd"})
_EMAIL = frozenset({"email", "mail", "newsletter", "emails"})
#: headers whose yes means no
_INVERTED = re.compile(
    r"\b(opt(?:ed)? ?out|optout|unsubscribed?|do ?not|dont|dnd|no (?:e ?)?mail|no sms|"
    r"no text|blocked|blacklisted|blacklist|blocklisted|blocklist|suppressed|abgemeldet|"
    r"desabonne)\b"
)
#: statuses (as ``words`` writes them) -> true, false or "" (not given)
STATUSES: dict[str, str] = {
    "subscribed": "true", "opted in": "true", "confirmed": "true", "granted": "true",
    "unsubscribed": "false", "not subscribed": "false", "never subscribed": "false",
    "opted out": "false", "nonsubscribed": "false", "non subscribed": "false",
    "not opted in": "false", "revoked": "false", "declined": "false",
    "cleaned": "", "pending": "", "bounced": "", "redacted": "", "invalid": "",
    "transactional": "", "archived": "", "unknown": "", "none": "", "n a": "",
}  # fmt: skip


@dataclass(frozen=True)
class Consent:
    """One consent column: its channel, whether its yes means no, and its spec."""

    channel: str  # "mobile" | "email"
    column: Column
    inverted: bool
    spec: dict[str, Any]
    why: str


def split_words(header: str) -> str:
    """``HasOptedOutOfEmail`` -> ``has opted out of email``; ``E-Mail`` -> ``e mail``."""
    return header_words(header).replace("e mail", "email")


def channel_of(header: str) -> str | None:
    said = set(split_words(header).split())
    if said & _MOBILE:
        return "mobile"
    if said & _EMAIL or "marketing" in said or "newsletter" in said:
        return "email"
    return None


def consents(columns: list[Column], channels: set[str]) -> list[Consent]:
    """The best consent column of each channel in ``channels``."""
    best: dict[str, tuple[float, Consent]] = {}
    for c in columns:
        if not c.filled or c.distinct > 30:
            continue
        said = split_words(c.name)
        # a header that is a channel alone (``SMS``, ``Newsletter``) over yes/no values
        bare = set(said.split()) <= _MOBILE | _EMAIL and _bool_share(c) >= 0.9
        if not set(said.split()) & _CONSENT and not _INVERTED.search(said) and not bare:
            continue
        channel = channel_of(c.name)
        if channel is None:
            if not _status_share(c) >= 0.7:
                continue
            channel = "email"  # a mailing list's status
        if channel not in channels:
            continue
        found = _consent(c, channel, bool(_INVERTED.search(said)))
        if found is None:
            continue
        score = _share(c) + (0.5 if channel_of(c.name) else 0.0)
        if channel not in best or score > best[channel][0]:
            best[channel] = (score, found)
    return [consent for _, consent in best.values()]


def _status_share(c: Column) -> float:
    return sum(n for v, n in c.counts.items() if words(v) in STATUSES) / c.filled


def _bool_share(c: Column) -> float:
    return sum(n for v, n in c.counts.items() if _as_bool(v) is not None) / c.filled


def _share(c: Column) -> float:
    return max(_status_share(c), _bool_share(c))


def _as_bool(value: str) -> str | None:
    key = words(value)
    if key in BOOL_WORDS:
        return "true" if key in ("true", "t", "yes", "y", "1", "on") else "false"
    return BOOLEANS.get(key)


def _consent(c: Column, channel: str, inverted: bool) -> Consent | None:
    if _share(c) < 0.7:
        return None
    table: dict[str, str] = {}
    given, other = [], []
    for value in c.counts:
        key = " ".join(value.split()).casefold()
        meaning = _as_bool(value)
        if meaning is None:
            meaning = STATUSES.get(words(value))
        if meaning is None or meaning == "":
            other.append(value)
            table[key] = ""
            continue
        if inverted:
            # an opt-out's yes is a no; its no (not opted out) is no consent either: not given
            meaning = "false" if meaning == "true" else ""
            if not meaning:
                other.append(value)
                table[key] = ""
                continue
        given.append(value)
        if key not in BOOL_WORDS or inverted:
            table[key] = meaning
    spec: dict[str, Any] = {"column": c.name}
    if table:
        spec["map"] = table
    spec["as"] = "bool"
    spec["on_invalid"] = "drop"
    why = f"{c.name}: the {'SMS' if channel == 'mobile' else 'e-mail'} consent"
    if inverted:
        why += (
            ", said the other way round: its yes is an opt-out, sent as not subscribed; its no "
            "(not opted out) is no consent, sent as not given"
        )
    shown = ", ".join(f'"{v}"' for v in given[:6])
    why += f": {shown}"
    if other:
        why += "; " + ", ".join(f'"{v}"' for v in other[:4]) + " are no answer, sent as not given"
    why += "; any other value is left out too (consent is never guessed)"
    return Consent(channel, c, inverted, spec, why)
