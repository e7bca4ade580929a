"""The identifiers a run reads from a row on its own (to ask the ledger about rows the mapping
rejects) are the ones the compiled mapping sends, on a messy multi-country file."""

from __future__ import annotations

from pathlib import Path

from importer._exceptions import RowRejected
from importer.mapping import Builder, load_mapping
from importer.read._table import open_table
from importer.run._triage import RowKeys

ROOT = Path(__file__).resolve().parents[2]


def test_row_keys_agree_with_the_compiled_mapping_on_every_sendable_row() -> None:
    mapping = load_mapping(ROOT / "mappings" / "legacy_pos.yaml")
    table = open_table(ROOT / "samples" / "legacy_pos.csv")
    keys_of, builder = RowKeys(mapping, table.columns), Builder(mapping, table.columns)
    compared = with_extension = 0
    for row in table.rows():
        try:
            _, sent = builder.build([row.cells.get(c, "") for c in table.columns])
        except RowRejected:
            continue
        assert set(keys_of(row)) == set(sent), row.row
        compared += 1
        with_extension += "x" in row.cells["Mobile"].lower()
    assert compared > 400 and with_extension > 0  # extensions come with a warning, not an error
