"""A store export that puts each further address of a customer on a row of its own (the
customer's columns left empty): those rows are no customers. Sent to the emulator: they are
counted apart, never sent, never rejected, and the customers keep the sheet's row numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from faker import Faker
from runs_helpers import read_report, report_rows, run_dir_of, summary_of, write_csv

from importer._exceptions import ConfigError
from importer.emulator import EmulatorProcess
from importer.mapping import Builder, parse_mapping
from importer.report._summary import format_summary
from importer.run import dry_run

MAPPING = """\
settings:
  continuation: {when_empty: [Email, First Name, Last Name]}
profiles:
  - source: ECOMMERCE
    firstName: First Name
    lastName: Last Name
    identifiers:
      - {type: email, value: Email}
      - {type: mobile, value: {column: Address Phone, as: phone, region: GB, on_invalid: drop}}
"""
COLUMNS = ["Email", "First Name", "Last Name", "Address Line", "Address Phone"]


def _export() -> tuple[list[list[str]], dict[int, str], list[int]]:
    """Rows; sheet row -> e-mail of each customer; the sheet rows that continue one."""
    fake = Faker("en_GB")
    fake.seed_instance(6)
    rows, customers, continuing = [], {}, []
    mobile = phonenumbers.example_number_for_type("GB", phonenumbers.PhoneNumberType.MOBILE)
    for n in range(25):
        email = f"c{n}.{fake.user_name()}@example.com"
        phone = f"07{str(mobile.national_number)[1:-2]}{n:02d}"
        rows.append([email, fake.first_name(), fake.last_name(), fake.street_address(), phone])
        customers[len(rows) + 1] = email
        for extra in range(n % 3):  # further addresses, each on its own row
            rows.append(["", "", "", fake.street_address(), f"07{n:02d}{extra}0 123456"])
            continuing.append(len(rows) + 1)
    return rows, customers, continuing


def test_continuation_rows_are_no_customers(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    rows, customers, continuing = _export()
    source = write_csv(tmp_path / "customers.csv", rows, columns=COLUMNS)
    mapping = tmp_path / "store.yaml"
    mapping.write_text(MAPPING, "utf-8")

    checked = dry_run(source, mapping, out=tmp_path / "dry")
    summary = run(emulator.url, source, mapping=mapping)

    stored = emulator.customers()
    assert len(stored) == len(customers) == summary.outcomes["created"] == checked.sendable
    values = {i["value"] for c in stored for i in c["accounts"][0]["identifiers"]}
    assert set(customers.values()) <= values
    for row in rows:
        if not row[0]:  # no phantom customer, nor a mobile, from a further address's phone
            number = phonenumbers.parse(row[4], "GB")
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            assert e164[1:] not in values
    for s in (summary, checked):
        assert s.continuation == len(continuing) and s.total_rows == len(customers)
        assert s.outcomes["rejected"] == 0
        assert re.search(rf"\n  continuation +{len(continuing)}  \(", format_summary(s))
    folder = run_dir_of(tmp_path / "out", summary)
    assert summary_of(folder)["continuation"] == len(continuing)
    page = (folder / "report.html").read_text("utf-8")
    assert f'<span data-summary="continuation">{len(continuing)}</span>' in page
    created = read_report(folder / "success.csv")
    assert {int(r["_row"]): r["Email"] for r in created} == customers  # the sheet's numbers
    every = [int(r["_row"]) for rows_ in report_rows(folder).values() for r in rows_]
    assert not set(every) & set(continuing)  # never reported as errors, nor as anything else


def test_the_continuation_columns_must_be_in_the_file() -> None:
    mapping = parse_mapping(MAPPING.replace("[Email, First Name, Last Name]", "[Customer]"))
    assert "Customer" in mapping.columns_used()
    with pytest.raises(KeyError):
        Builder(mapping, COLUMNS)  # check_columns names it first, with the file's columns
    with pytest.raises(ConfigError, match="continuation"):
        parse_mapping(MAPPING.replace("{when_empty: [Email, First Name, Last Name]}", "{}"))
