"""In-file duplicates with bounded memory: 8-byte hashes of identity keys in a sorted numpy array.

1M rows of 3 identifiers as Python tuples would take ~300 MB; as sorted uint64 hashes with a
parallel uint32 row number it is 36 MB. Two different keys share a 64-bit hash with probability
about n^2 / 2^65 (1e-7 for 3M keys): accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import numpy as np

from importer._models import IdentityKey


def key_hash(key: IdentityKey | tuple[str, str, str, str]) -> int:
    """The key as the API compares it (e-mails ignore case), hashed to 64 bits."""
    if isinstance(key, IdentityKey):
        key = (key.source, key.account_id, key.type, key.value)
    source, account, kind, value = key
    if kind == "email":
        value = value.lower()
    text = f"{source}\x1f{account}\x1f{kind}\x1f{value}"
    return int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest())


_SLICES = range(16)
#: where each slice starts and ends: the top four bits of the hash pick the slice.
_STARTS = np.array([k << 60 for k in _SLICES], dtype=np.uint64)


def _bounds(ordered: np.ndarray) -> list[int]:
    """Where each slice's hashes begin in a sorted array, and its length at the end."""
    return [*np.searchsorted(ordered, _STARTS).tolist(), len(ordered)]


class Seen:
    """Identity hashes of the rows accepted so far; the first row with a key wins."""

    def __init__(self) -> None:
        # 16 slices by the hash's top bits, each a list of sorted runs of (hashes, rows), every
        # run at least twice as long as the next. Inserting into one growing array would copy it
        # for every chunk (quadratic); runs merge in O(n log n), and slicing keeps the copy a
        # merge makes small (memory stays bounded by the index itself, 12 bytes a key).
        self._slices: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in _SLICES]

    def __len__(self) -> int:
        return sum(len(h) for runs in self._slices for h, _ in runs)

    def _lookup(self, hashes: np.ndarray) -> np.ndarray:
        """For each hash, the row that holds it already, or -1."""
        # sorted probes walk each run in order: several times faster than random ones
        order = np.argsort(hashes)
        probes = hashes[order]
        found = np.full(len(hashes), -1, dtype=np.int64)
        bounds = _bounds(probes)
        for k, runs in enumerate(self._slices):
            lo, hi = bounds[k], bounds[k + 1]
            if lo == hi:
                continue
            part = probes[lo:hi]
            for run, rows in runs:
                pos = np.searchsorted(run, part)
                np.minimum(pos, len(run) - 1, out=pos)
                hit = run[pos] == part
                found[order[lo:hi][hit]] = rows[pos[hit]]
        return found

    def check(
        self, hashes: np.ndarray, counts: np.ndarray, numbers: Sequence[int]
    ) -> dict[int, tuple[int, int]]:
        """Settle one chunk, in input order, and remember the keys of the rows that are new.

        ``counts[i]`` keys of row ``i`` (row number ``numbers[i]``) follow each other in
        ``hashes``; rejected rows have none. Returns {row index: (earlier row, index of the shared
        key)} for the duplicates. Only rows whose keys repeat (in the chunk or before it) are
        settled one by one; every other row is new, whatever its neighbours do.
        """
        if not len(hashes):
            return {}
        counts = counts.astype(np.int64, copy=False)
        owner = np.repeat(np.arange(len(counts)), counts)
        starts = np.cumsum(counts) - counts
        earlier_rows = self._lookup(hashes)
        seen_before = earlier_rows >= 0
        _, inverse, repeats = np.unique(hashes, return_inverse=True, return_counts=True)
        involved = seen_before | (repeats[inverse.reshape(-1)] > 1)
        duplicates: dict[int, tuple[int, int]] = {}
        if involved.any():
            local: dict[int, int] = {}
            for row in np.unique(owner[involved]).tolist():
                lo, hi = int(starts[row]), int(starts[row] + counts[row])
                found = None
                for at in range(lo, hi):
                    if seen_before[at]:
                        found = (int(earlier_rows[at]), at - lo)
                        break
                    earlier = local.get(int(hashes[at]))
                    if earlier is not None:
                        found = (earlier, at - lo)
                        break
                if found is None:
                    for at in range(lo, hi):
                        local.setdefault(int(hashes[at]), numbers[row])
                else:
                    duplicates[row] = found
        keep = np.ones(len(hashes), dtype=bool)
        for row in duplicates:
            keep[starts[row] : starts[row] + counts[row]] = False
        rows = np.asarray(numbers, dtype=np.uint32)[owner[keep]]
        self._merge(hashes[keep], rows)
        return duplicates

    def _merge(self, new: np.ndarray, rows: np.ndarray) -> None:
        if not len(new):
            return
        new, first = np.unique(new, return_index=True)  # sorted; a row may repeat its own key
        rows = rows[first]
        bounds = _bounds(new)
        for k, runs in enumerate(self._slices):
            lo, hi = bounds[k], bounds[k + 1]
            if lo == hi:
                continue
            runs.append((new[lo:hi].copy(), rows[lo:hi].copy()))
            while len(runs) > 1 and len(runs[-2][0]) <= 2 * len(runs[-1][0]):
                (a, ra), (b, rb) = runs.pop(), runs.pop()
                at = np.searchsorted(b, a)  # both sorted: one linear pass each, no sort
                runs.append((np.insert(b, at, a), np.insert(rb, at, ra)))
