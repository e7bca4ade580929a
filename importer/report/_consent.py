"""Marketing consent per channel of the customers a run created: what was loaded, at a glance.

Counted from the bodies the API accepted, so the numbers are what reached the org, not what the
sheet said; the sheet's own cells stay in success.csv beside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SUBSCRIBED, NOT_SUBSCRIBED, NOT_GIVEN = "subscribed", "not_subscribed", "not_given"
STATES = (SUBSCRIBED, NOT_SUBSCRIBED, NOT_GIVEN)


def channel_types(mapping: Any) -> tuple[str, ...]:
    """The channel types a mapping sends, in the order it names them."""
    return tuple(dict.fromkeys(c.type for p in mapping.profiles for c in p.commChannels))


def count_consent(
    counts: dict[str, dict[str, int]], body: dict[str, Any], types: Iterable[str]
) -> None:
    """Add one created customer to ``counts``: per channel type, subscribed, not or not given.

    Not given: the body has no ``subscribed`` for that channel (an empty cell, or no channel).
    """
    found: dict[str, str] = {}
    for profile in body.get("profiles", ()):
        for channel in profile.get("commChannels", ()):
            flag = channel.get("subscribed")
            if flag is not None and found.get(channel["type"]) != SUBSCRIBED:
                found[channel["type"]] = SUBSCRIBED if flag in (True, "true") else NOT_SUBSCRIBED
    for kind in types:
        per_state = counts.setdefault(kind, dict.fromkeys(STATES, 0))
        per_state[found.get(kind, NOT_GIVEN)] += 1
