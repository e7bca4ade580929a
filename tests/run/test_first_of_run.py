"""``first_of`` end to end: a web shop's export (``Phone`` as E.164, else the address's phone in
the address's country) sent to the emulator; what it stored, what validate said, the counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from faker import Faker
from runs_helpers import read_report, run_dir_of, summary_of, write_csv

from importer.emulator import EmulatorProcess
from importer.prepare._pipeline import dry_run
from importer.report._summary import format_summary

MAPPING = """\
profiles:
  - source: ECOMMERCE
    identifiers:
      - type: mobile
        value:
          first_of:
            - {column: Phone, on_invalid: drop}
            - column: Default Address Phone
              as: phone
              region: {column: Default Address Country Code}
      - {type: externalId, value: Customer ID}
"""
COLUMNS = ["Customer ID", "Phone", "Default Address Phone", "Default Address Country Code"]
COUNTRIES = {"de_DE": "DE", "en_AU": "AU", "en_GB": "GB", "fr_FR": "FR", "en_IN": "IN"}


def _mobile(region: str, seed: int) -> str:
    """A real-shaped mobile of ``region`` written nationally (the oracle parses it itself)."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    tail = f"{seed % 1000:03d}"
    for _ in range(30):
        candidate = phonenumbers.parse(national[:-3] + tail, region)
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.NATIONAL)
        tail = f"{(int(tail) + 7) % 1000:03d}"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def _rows() -> tuple[list[list[str]], dict[str, str | None], dict[str, str]]:
    """Rows; per customer id the mobile the API must store (None: none); which column gave it."""
    fake = Faker(list(COUNTRIES))
    fake.seed_instance(17)
    rows, expected, used = [], {}, {}
    for n in range(60):
        locale = list(COUNTRIES)[n % len(COUNTRIES)]
        region = COUNTRIES[locale]
        cid = f"C{n:04d}"
        address = _mobile(region, n)
        shape = n % 4
        if shape == 0:  # the account's own phone, in E.164
            own = "+" + _e164(_mobile(region, n + 500), region)
            rows.append([cid, own, address, region])
            expected[cid], used[cid] = own[1:], "Phone"
        elif shape == 1:  # no account phone: the address's, in its country
            rows.append([cid, "", address, region])
            expected[cid], used[cid] = _e164(address, region), "Default Address Phone"
        elif shape == 2:  # an account phone that is junk: dropped, the address's is used
            rows.append([cid, fake.word(), address, region])
            expected[cid], used[cid] = _e164(address, region), "Default Address Phone"
        else:  # neither: the customer is still created by its id
            rows.append([cid, "", "", region])
            expected[cid], used[cid] = None, "(none)"
    return rows, expected, used


def _e164(text: str, region: str) -> str:
    return phonenumbers.format_number(
        phonenumbers.parse(text, region), phonenumbers.PhoneNumberFormat.E164
    )[1:]


@pytest.fixture
def fresh(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    return emulator


def test_a_shop_export_sends_the_account_phone_else_the_address_phone(
    fresh: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    rows, expected, used = _rows()
    source = write_csv(tmp_path / "customers.csv", rows, columns=COLUMNS)
    mapping = tmp_path / "shop.yaml"
    mapping.write_text(MAPPING, "utf-8")

    checked = dry_run(source, mapping, out=tmp_path / "dry")
    summary = run(fresh.url, source, mapping=mapping)

    assert summary.outcomes["created"] == len(rows) == checked.sendable
    stored = {}
    for customer in fresh.customers():
        ids = {i["type"]: i["value"] for i in customer["accounts"][0]["identifiers"]}
        stored[ids["externalId"]] = ids.get("mobile")
    assert stored == expected
    want: dict[str, int] = {}
    for label in used.values():
        want[label] = want.get(label, 0) + 1
    place = "profiles.0.identifiers.0.value"
    assert summary.first_of == {place: want} == checked.first_of
    assert summary_of(run_dir_of(tmp_path / "out", summary))["first_of"] == {place: want}
    assert f"first_of {place}: Default Address Phone 30" in format_summary(summary)
    # the junk account phones were dropped with a warning naming them, in both
    for out, s in ((tmp_path / "out", summary), (tmp_path / "dry", checked)):
        warned = read_report(run_dir_of(out, s) / "warnings.csv")
        dropped = [
            (w["column"], r["Phone"])
            for r in warned
            for w in json.loads(r["_warnings"])
            if w["code"] == "dropped_value"
        ]
        assert dropped == [("Phone", r[1]) for n, r in enumerate(rows) if n % 4 == 2]
