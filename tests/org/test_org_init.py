"""``importer init --org``: the org's extended fields drafted from the file's columns."""

from __future__ import annotations

import csv
from pathlib import Path

from faker import Faker
from org_helpers import org_data, write_org

from importer.draft import draft
from importer.mapping import load_org, parse_mapping, with_org
from importer.read import open_table
from importer.run import dry_run

FIELDS = [
    {"id": 1, "name": "gender", "label": "Gender", "dataType": "STANDARD_ENUM",
     "enumValues": ["Male", "Female", "Other"]},
    {"id": 2, "name": "marital_status", "label": "Marital Status", "dataType": "STANDARD_ENUM",
     "enumValues": ["Single", "Married", "Divorced"]},
    {"id": 3, "name": "Age", "label": "Age in years", "dataType": "INTEGER"},
    {"id": 4, "name": "joined_on", "label": "Joined On", "dataType": "DATETIME"},
    {"id": 5, "name": "preferred_store", "label": "Preferred Store", "dataType": "STANDARD_ENUM",
     "enumValues": ["Downtown", "Airport", "Mall"]},
]  # fmt: skip


def _file(tmp_path: Path, faker: Faker, n: int = 40) -> Path:
    path = tmp_path / "members.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Mobile", "First Name", "Marital Status", "Age in years", "Joined On",
                         "Shop", "Town"])  # fmt: skip
        for i in range(n):
            writer.writerow([
                f"+91 98{i:08d}", faker.first_name(), faker.random_element(["Single", "married"]),
                str(faker.pyint(18, 90)), faker.date(pattern="%d/%m/%Y"),
                faker.random_element(["Downtown", "airport", "Mall"]), faker.city(),
            ])  # fmt: skip
    return path


def test_columns_are_drafted_to_the_orgs_fields_by_name_label_and_values(tmp_path, faker):
    org_path = write_org(tmp_path / "org.json", org_data(extended=FIELDS))
    org = load_org(org_path)
    src = _file(tmp_path, faker)
    result = draft(open_table(src), org=org)
    assert result.matched["extendedFields.marital_status"] == "Marital Status"  # label
    assert result.matched["extendedFields.Age"] == "Age in years"  # label of another name
    assert result.matched["extendedFields.joined_on"] == "Joined On"
    assert result.matched["extendedFields.preferred_store"] == "Shop"  # by its values
    # the drafter's own guesses the org has no field for are left out, their columns reused
    assert "dateofbirth" not in result.matched and "city" not in result.matched
    assert "tier" not in result.matched  # a commented-out guess gave way to marital_status
    assert result.unmapped == ["Town"]
    mapping = with_org(parse_mapping(result.text), org)  # loads and passes the org check
    assert mapping.extendedFields["Age"].as_ == "int"
    assert mapping.extendedFields["joined_on"].as_ == "datetime"
    # the comment says which org field and why
    assert "Shop: the org's extended field preferred_store" in result.text
    assert "among the org's values" in result.text
    # the town column the drafter maps to city: the org has no city, so it is left out
    assert "city: the org has no such extended field" in result.text
    assert "city" not in mapping.extendedFields
    out = tmp_path / "mapping.yaml"
    out.write_text(result.text, encoding="utf-8")
    summary = dry_run(src, out, out=tmp_path / "reports", org=org_path)
    assert summary.outcomes["rejected"] == 0 and summary.sendable == 40
