"""The sample ``importer init`` learns from: spread through the whole file, never a torn row."""

from __future__ import annotations

import csv
from pathlib import Path

from importer.draft._sample import read_sample
from importer.read._table import open_table


def write_rows(path: Path, count: int, note: str = "plain") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "note", "mobile"])
        for i in range(count):
            text = f"line one of {i}\nline two, with a comma" if note == "multiline" else note
            writer.writerow([f"R{i:07d}", text, f"9198{i:08d}"])
    return path


def test_a_large_file_is_sampled_from_start_to_end_without_reading_it_all(tmp_path: Path) -> None:
    table = open_table(write_rows(tmp_path / "big.csv", 40_000))
    sample = read_sample(table, 1_000)
    assert not sample.exact and not sample.whole
    assert abs(sample.total - 40_000) <= 1
    ids = [int(i[1:]) for i in sample.frame["id"]]
    assert 900 <= len(ids) <= 1_000 and len(set(ids)) == len(ids)
    assert min(ids) < 100 and max(ids) > 39_000  # the first rows and the last ones
    # evenly spread: no tenth of the file is missing
    assert {i * 10 // 40_000 for i in ids} == set(range(10))
    assert all(m == f"9198{i:08d}" for i, m in zip(ids, sample.frame["mobile"], strict=True))


def test_a_file_with_line_breaks_in_cells_is_read_whole(tmp_path: Path) -> None:
    # a line break may then be inside a cell: no offset is a sure start of a row
    table = open_table(write_rows(tmp_path / "multi.csv", 40_000, note="multiline"))
    sample = read_sample(table, 1_000)
    assert sample.exact and sample.total == 40_000
    rows = sample.frame.to_dict("records")
    assert rows and all(r["id"].startswith("R") and r["mobile"].startswith("9198") for r in rows)
    assert all(r["note"] == f"line one of {int(r['id'][1:])}\nline two, with a comma" for r in rows)


def test_a_small_file_is_read_whole_and_counted_exactly(tmp_path: Path) -> None:
    table = open_table(write_rows(tmp_path / "small.csv", 3_000))
    sample = read_sample(table, 1_000)
    assert sample.exact and sample.total == 3_000 and len(sample.frame) == 1_000
    assert sample.numbers[0] == 2 and sample.numbers[-1] >= 2_990  # from the first to the last
    whole = read_sample(table, None)
    assert whole.whole and len(whole.frame) == 3_000
