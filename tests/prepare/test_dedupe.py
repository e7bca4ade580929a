"""The in-file duplicate index: the first row wins, in order, within and across chunks."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import numpy as np

from importer._models import IdentityKey
from importer.prepare._dedupe import Seen, key_hash


def check(seen: Seen, rows: list[tuple[int, list[int]]]) -> dict[int, tuple[int, int]]:
    hashes = np.array([h for _, keys in rows for h in keys], dtype=np.uint64)
    counts = np.array([len(keys) for _, keys in rows], dtype=np.int32)
    found = seen.check(hashes, counts, [n for n, _ in rows])
    return {rows[i][0]: hit for i, hit in found.items()}


def test_first_row_wins_within_a_chunk() -> None:
    seen = Seen()
    assert check(seen, [(2, [1, 2]), (3, [3, 2]), (4, [5])]) == {3: (2, 1)}


def test_a_duplicate_row_claims_none_of_its_other_keys() -> None:
    # row 3 repeats row 2's key 1; its key 9 is not claimed, so row 4 (key 9) is new
    seen = Seen()
    assert check(seen, [(2, [1]), (3, [1, 9]), (4, [9])]) == {3: (2, 0)}
    assert check(seen, [(5, [9])]) == {5: (4, 0)}


def test_rejected_rows_have_no_keys() -> None:
    seen = Seen()
    assert check(seen, [(2, []), (3, [7]), (4, [])]) == {}


def test_a_row_may_repeat_its_own_key() -> None:
    seen = Seen()
    assert check(seen, [(2, [4, 4])]) == {}
    assert check(seen, [(3, [4])]) == {3: (2, 0)}


def test_across_many_chunks_the_earliest_row_is_named() -> None:
    rng = np.random.default_rng(5)
    seen = Seen()
    first: dict[int, int] = {}
    row = 1
    for _ in range(60):  # enough chunks to merge runs in every slice
        keys = rng.integers(0, 5_000, size=400).tolist()
        rows = []
        for key in keys:
            row += 1
            rows.append((row, [int(key) * 0x9E3779B97F4A7C15 % 2**64]))
        expected = {}
        for number, (h,) in rows:
            if h in first:
                expected[number] = (first[h], 0)
            else:
                first[h] = number
        assert check(seen, rows) == expected
    assert len(seen) == len(first)


def test_emails_compare_without_case() -> None:
    hasher = key_hash
    a = ("INSTORE", "", "email", "Asha@Example.com")
    b = ("INSTORE", "", "email", "asha@example.COM")
    other_source = ("WEBSITE", "", "email", "asha@example.com")
    assert hasher(a) == hasher(b) != hasher(other_source)
    assert hasher(("INSTORE", "", "externalId", "A1")) != hasher(
        ("INSTORE", "", "externalId", "a1")
    )


def test_key_hash_accepts_identity_keys() -> None:
    assert key_hash(IdentityKey("INSTORE", "", "mobile", "1")) == key_hash(
        ("INSTORE", "", "mobile", "1")
    )
