"""A country cell to the region a phone number is read in: ISO 3166 codes and English names.

``IN``, ``IND``, ``India`` and ``india`` all name India; pycountry knows the codes and the
English names (also official and common ones, "United States of America", "Viet Nam"). Other
spellings ("UAE", "Deutschland") go through the value's ``map``. The one addition is ``UK``,
the code ISO 3166-1 reserves for the United Kingdom at its request, which tills use as often as
``GB``. Answers are remembered: a country column repeats a few dozen values.
"""

from __future__ import annotations

import phonenumbers

#: ISO 3166-1 "exceptionally reserved" codes that name a country with a phone numbering plan.
_RESERVED = {"UK": "GB"}
_MEMO_LIMIT = 4096


class Unresolved:
    """A region value that names no country with phone numbers; ``text`` is what the cell said."""

    __slots__ = ("text", "why")

    def __init__(self, text: str, why: str) -> None:
        self.text = text
        self.why = why

    def __repr__(self) -> str:
        return f"Unresolved({self.text!r})"


_memo: dict[str, str | Unresolved] = {}


def resolve(text: str) -> str | Unresolved:
    """The alpha-2 code of the country ``text`` names, or Unresolved saying why not."""
    found = _memo.get(text)
    if found is None:
        found = _resolve(text)
        if len(_memo) < _MEMO_LIMIT:
            _memo[text] = found
    return found


def _resolve(text: str) -> str | Unresolved:
    key = text.strip()
    upper = key.upper()
    if len(upper) == 2 and upper in phonenumbers.SUPPORTED_REGIONS:
        return upper
    if upper in _RESERVED:
        return _RESERVED[upper]
    if not key or key.isdigit():  # pycountry would take numeric codes; no one means those
        return Unresolved(text, "names no country (use an ISO code like IN or IND, or a name)")
    import pycountry

    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return Unresolved(text, "names no country (use an ISO code like IN or IND, or a name)")
    if country.alpha_2 not in phonenumbers.SUPPORTED_REGIONS:
        return Unresolved(text, f"is {country.name}, which has no phone numbering plan")
    return str(country.alpha_2)


def check_constant(text: str) -> str:
    """A region written in the mapping itself: its alpha-2 code, or ValueError for the loader."""
    found = resolve(text)
    if isinstance(found, Unresolved):
        raise ValueError(
            f"unknown phone region {text!r}: {found.why.removeprefix('names no country ')}"
        )
    return found
