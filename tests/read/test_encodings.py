"""Encodings read right or refused: CSVs of Faker customers in every encoding a CRM export comes
in. Each file is read exactly (every cell as Faker wrote it) or refused before the first row with
one line naming the likely encodings and ``--encoding``; none is read wrongly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from faker import Faker

from importer._exceptions import InputError
from importer.read._encoding import SAMPLE
from importer.read._table import open_table

#: (encoding, Faker locale, read for sure at 300 rows: measured stable over 12 seeds)
CASES = [
    ("utf-8", "en_US", True),
    ("utf-8-sig", "fr_FR", True),
    ("utf-16", "de_DE", True),
    ("cp1252", "fr_FR", True),
    ("cp1252", "de_DE", True),
    ("cp1250", "pl_PL", True),
    ("cp1250", "cs_CZ", True),
    ("cp1251", "ru_RU", True),
    ("iso-8859-7", "el_GR", True),
    ("cp1254", "tr_TR", True),
    ("cp932", "ja_JP", True),
    ("gb18030", "zh_CN", True),
    ("euc-kr", "ko_KR", True),
]

HEADER = ["Customer ID", "First Name", "Last Name", "City", "Mobile"]


def customers(locale: str, encoding: str, n: int, seed: int) -> list[list[str]]:
    """Rows of Faker customers whose every cell the encoding can hold."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    rows: list[list[str]] = []
    while len(rows) < n:
        row = [
            str(1000 + len(rows)),
            fake.first_name(),
            fake.last_name(),
            fake.city(),
            fake.msisdn(),
        ]
        try:
            "".join(row).encode(encoding)
        except UnicodeEncodeError:
            continue
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_or_refuse(path: Path) -> list[list[str]] | str:
    try:
        table = open_table(path)
        return [cells for _, values, _ in table.raw_chunks() for cells in values]
    except InputError as exc:
        return str(exc)


@pytest.mark.parametrize(
    ("encoding", "locale", "sure"), CASES, ids=[f"{e}-{loc}" for e, loc, _ in CASES]
)
@pytest.mark.parametrize("n", [3, 20, 300])
def test_read_exactly_or_refused(
    tmp_path: Path, encoding: str, locale: str, sure: bool, n: int
) -> None:
    rows = customers(locale, encoding, n, seed=n)
    got = read_or_refuse(write_csv(tmp_path / "in.csv", rows, encoding))
    if isinstance(got, str):
        # refused: one line, before the first row, naming the way out
        assert "\n" not in got and "in.csv" in got and "--encoding" in got and "likely:" in got
        assert not (sure and n >= 300), got
    else:
        assert got == rows


def test_the_greek_file_of_the_issue_is_read_in_greek(tmp_path: Path) -> None:
    rows = [["1", "Λεωνιδας", "Παπαδόπουλος", "Αθήνα", "6912345678"]]
    rows += customers("el_GR", "iso-8859-7", 200, seed=1)
    assert read_or_refuse(write_csv(tmp_path / "greek.csv", rows, "iso-8859-7")) == rows


def test_detection_reads_only_the_first_mb(tmp_path: Path) -> None:
    """An ASCII first MB is UTF-8; a cp1251 byte after it stops the reading at its line (exit 2
    in a run before anything is sent, or after the rows before it): never mojibake."""
    filler = "".join(f"{i},Ivan,Petrov\n" for i in range(SAMPLE // 14 + 10))
    path = tmp_path / "big.csv"
    path.write_bytes(("id,first,last\n" + filler + "99,Иван,Петров\n").encode("cp1251"))
    table = open_table(path)
    assert table.encoding == "utf-8"
    with pytest.raises(
        InputError, match=r"not valid utf-8 in the record that begins on line \d+.*--encoding"
    ):
        for _ in table.raw_chunks():
            pass


def test_a_named_encoding_is_read_as_named(tmp_path: Path) -> None:
    rows = customers("tr_TR", "cp1254", 5, seed=3)
    path = write_csv(tmp_path / "in.csv", rows, "cp1254")
    table = open_table(path, encoding="cp1254")
    assert [c for _, values, _ in table.raw_chunks() for c in values] == rows


def test_the_demo_legacy_export_is_cp1252() -> None:
    """``make demo`` imports it without ``--encoding``: 62 accented bytes are enough."""
    sample = Path(__file__).resolve().parents[2] / "samples" / "legacy_members.csv"
    table = open_table(sample)
    assert table.encoding == "cp1252"
    names = [cells[1] for _, values, _ in table.raw_chunks() for cells in values]
    assert names[:2] == [" José  Fernández ", " Zoë  D’Souza "]
