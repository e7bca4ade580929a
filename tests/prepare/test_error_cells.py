"""Excel error cells in mapped columns: which reject, which are read as empty with a warning, and
that a rejected row still names every other problem it has."""

from __future__ import annotations

from pathlib import Path

from importer.mapping import error_cell_rules, parse_mapping
from importer.prepare import prepare
from importer.read import open_table

MAPPING = """\
version: 1
settings: {region: IN, on_invalid: drop}
registration: {required_identifiers: [externalId]}
profiles:
  - source: INSTORE
    firstName: Name
    lastName: {column: Surname, required: true}
    identifiers:
      - type: mobile
        value: {column: Mobile, as: phone, on_invalid: reject}
      - type: email
        value: {column: E-Mail, as: email}
      - type: externalId
        value: Customer ID
    fields:
      city: City
"""


def test_the_rule_per_column() -> None:
    mapping = parse_mapping(MAPPING)
    assert error_cell_rules(mapping) == {
        "Name": "drop",  # settings.on_invalid
        "Surname": "reject",  # required
        "Mobile": "reject",  # on_invalid: reject
        "E-Mail": "drop",
        "Customer ID": "reject",  # an identifier the org requires
        "City": "drop",
    }


def test_a_column_read_twice_rejects_when_either_value_does() -> None:
    text = MAPPING + ("extendedFields:\n  city: {column: E-Mail, on_invalid: reject}\n")
    assert error_cell_rules(parse_mapping(text))["E-Mail"] == "reject"


def _prepared(tmp_path: Path, rows: list[str]) -> list:
    path = tmp_path / "in.csv"
    header = "Customer ID,Name,Surname,Mobile,E-Mail,City,Note"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    mapping = parse_mapping(MAPPING)
    return list(prepare(open_table(path), mapping, workers=0))


def test_error_cells_reject_or_drop_and_every_problem_is_named(tmp_path: Path) -> None:
    got = _prepared(
        tmp_path,
        [
            "1,Ann,Lee,9876543210,#N/A,Pune,#REF!",  # a dropped e-mail; the note is not mapped
            "2,Bob,Roy,#N/A,bob@example.com,Pune,",  # the mobile rejects
            "3,Cy,#NAME?,12,cy@example.com,#VALUE!,",  # surname required; mobile also invalid
            "#N/A,Dee,Das,9876543213,,Pune,",  # a required identifier
        ],
    )
    assert [(p.source.row, p.code) for p in got] == [
        (2, None),
        (3, "excel_error"),
        (4, "excel_error"),
        (5, "excel_error"),
    ]
    ann = got[0]
    assert [i["type"] for i in ann.payload["profiles"][0]["identifiers"]] == [
        "mobile",
        "externalId",
    ]
    assert [w["message"] for w in ann.warnings] == [
        "E-Mail: cell E2 holds #N/A: left out (on_invalid: drop)"
    ]
    assert got[1].message == "Mobile: cell D3 holds #N/A"
    # the error cells first, then the row's other problems (the emptied cells' own are not)
    assert got[2].message.startswith('Surname: cell C4 holds #NAME? | Mobile: "12"')
    assert "missing" not in got[2].message and "City" not in got[2].message
    assert got[2].codes[0] == "excel_error" and "invalid_mobile" in got[2].codes
    assert got[3].message == "Customer ID: cell A5 holds #N/A"


def test_a_malformed_row_with_an_error_cell_is_malformed(tmp_path: Path) -> None:
    got = _prepared(tmp_path, ["1,Ann,Lee,#N/A,a@example.com,Pune,,extra"])
    assert got[0].code == "malformed_row"
