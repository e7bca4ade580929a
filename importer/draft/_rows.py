"""What the rows say together: which rows continue the customer above (a web shop writing each
further address on a row of its own), and which identifier every customer has."""

from __future__ import annotations

import pandas as pd

from importer.draft._match import Match

#: the customer's own columns: empty on a row that only continues the customer above
_OWN = ("email", "externalId", "firstName", "lastName", "fullName")
#: an identity column filled on at least this share of the rows marks the customers' rows ...
_MOSTLY = 0.6
#: ... and at least this many rows lacking it must still hold something (an address)
_LEAST = 2


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype(str).str.strip() != ""


def continuation(found: dict[str, Match], frame: pd.DataFrame) -> list[str]:
    """The columns that are all empty on a row that continues the customer above (settings'
    ``continuation: {when_empty: [...]}``), or [] when no row does."""
    own = [found[f].column.name for f in _OWN if f in found]
    mobile = found.get("mobile")
    if mobile is not None:
        # the account's own phones, not an address's (an address row has its phone)
        own += [r.column.name for r in mobile.readings[:1] if not _address(r.column.name)]
    own = list(dict.fromkeys(own))
    keys = [found[f].column.name for f in ("email", "externalId") if f in found]
    if not keys or len(own) < 2 or frame.empty:
        return []
    key = max(keys, key=lambda c: _filled(frame, c).mean())
    if _filled(frame, key).mean() < _MOSTLY:
        return []
    lacking = ~_filled(frame, key)
    none_own = ~pd.concat([_filled(frame, c) for c in own], axis=1).any(axis=1)
    rest = [c for c in frame.columns if c not in own]
    something = pd.concat([_filled(frame, c) for c in rest], axis=1).any(axis=1) if rest else None
    if something is None:
        return []
    continuing = lacking & none_own & something
    if continuing.sum() < _LEAST or continuing.sum() < 0.9 * lacking.sum():
        return []
    return own


def _address(header: str) -> bool:
    from importer.draft._match import address_header

    return address_header(header)


def presence(
    found: dict[str, Match], identifiers: list[str], frame: pd.DataFrame, skip: list[str]
) -> dict[str, float]:
    """Identifier -> the share of the customers' rows (the rows with any identifier, continuation
    rows left out) that have it."""
    if frame.empty:
        return {}
    cells: dict[str, pd.Series] = {}
    for kind in identifiers:
        if kind == "mobile":
            columns = [r.column.name for r in found["mobile"].readings]
        else:
            columns = [found[kind].column.name]
        cells[kind] = pd.concat([_filled(frame, c) for c in columns], axis=1).any(axis=1)
    table = pd.DataFrame(cells)
    if skip:
        continuing = ~pd.concat([_filled(frame, c) for c in skip], axis=1).any(axis=1)
        table = table[~continuing]
    table = table[table.any(axis=1)]
    if table.empty:
        return {}
    return {kind: float(table[kind].mean()) for kind in identifiers}
