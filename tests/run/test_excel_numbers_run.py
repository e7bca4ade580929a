"""Mobiles Excel saved as numbers, sent to the emulator: every stored mobile is the number the
customer gave (oracle: phonenumbers), none has its country code twice; the rest are rejected
naming both readings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
from runs_helpers import read_report, run_dir_of, write_csv

from importer.emulator import EmulatorProcess

MAPPING = """\
profiles:
  - source: INSTORE
    identifiers:
      - {type: mobile, value: {column: Mobile, as: phone, region: {column: Country}}}
      - {type: externalId, value: id}
"""


def test_cleaned_numbers_are_stored_as_meant_or_rejected_never_with_the_code_twice(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    rows, meant = [], {}
    for region in ("DE", "ID", "AT", "GB", "IN"):
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        cc, nsn = str(example.country_code), str(example.national_number)
        for n, cell in enumerate(["0" + nsn, cc + nsn, cc + "0" + nsn, cc + nsn[:-2]]):
            key = f"{region}{n}"
            rows.append([key, cell, region])
            if n < 3:  # the last is cut short: what it means, nobody knows
                meant[key] = cc + nsn
    rows += [["DE-issue", "491512345678", "DE"], ["ID-issue", "62812345678", "ID"]]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, "utf-8")
    summary = run(emulator.url, write_csv(tmp_path / "in.csv", rows, ["id", "Mobile", "Country"]),
                  mapping=mapping)  # fmt: skip
    stored = {}
    for customer in emulator.customers():
        ids = {i["type"]: i["value"] for i in customer["accounts"][0]["identifiers"]}
        stored[ids["externalId"]] = ids["mobile"]
    for key, mobile in stored.items():
        region = key[:2]
        cc = str(phonenumbers.country_code_for_region(region))
        if mobile.startswith(cc + cc):  # only a real mobile of its own plan, read nationally
            kind = phonenumbers.number_type(phonenumbers.parse("+" + mobile))
            assert kind == phonenumbers.PhoneNumberType.MOBILE, (key, mobile)
        if key in meant:
            assert mobile == meant[key], (key, mobile)
        assert phonenumbers.is_valid_number(phonenumbers.parse("+" + mobile))
    # every well-formed number of its country is created as meant (the same number in other
    # shapes on later rows: in-file duplicates of the first)
    for region in ("DE", "ID", "AT", "GB", "IN"):
        assert stored.get(f"{region}0") == meant[f"{region}0"]
    folder = run_dir_of(tmp_path / "out", summary)
    errors = {r["id"]: r for r in read_report(folder / "errors.csv")}
    duplicates = {r["id"] for r in read_report(folder / "duplicates.csv")}
    for key, target in meant.items():  # the + lost, the (0) kept: the number meant, or named
        if key not in stored and key not in duplicates:
            assert errors[key]["_code"] == "ambiguous_mobile", errors[key]
            assert f"+{target}" in errors[key]["_message"]
    assert errors["DE-issue"]["_code"] == "ambiguous_mobile"
    assert "+49491512345678" in errors["DE-issue"]["_message"]
    assert set(stored) | set(errors) | duplicates == {r[0] for r in rows}
