"""A telephone column holding mobiles and landlines, sent to the emulator: only mobiles are
registered as mobiles (oracle: phonenumbers' number type, called here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
from faker import Faker
from runs_helpers import run_dir_of, summary_of, write_csv

from importer.emulator import EmulatorProcess

MAPPING = """\
profiles:
  - source: INSTORE
    identifiers:
      - type: mobile
        value: {column: Telephone, as: phone, region: {column: Country}, on_invalid: drop}
      - {type: externalId, value: id}
"""
LOCALES = {"de_DE": "DE", "fr_FR": "FR", "en_GB": "GB", "it_IT": "IT", "nl_NL": "NL"}
#: the only types that are mobiles (an allow-list: a Dutch 085 VoIP number is none)
MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def test_landlines_are_never_registered_as_mobiles(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    rows, expected, landlines = [], {}, 0
    for locale, region in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(5)
        for n in range(30):
            text = fake.phone_number()
            key = f"{region}{n}"
            rows.append([key, text, region])
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                expected[key] = None
                continue
            valid = phonenumbers.is_valid_number(number)
            mobile = valid and phonenumbers.number_type(number) in MOBILE
            landlines += valid and not mobile
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            expected[key] = e164[1:] if mobile else None
    assert landlines >= 30  # the file holds both kinds
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, "utf-8")
    source = write_csv(tmp_path / "in.csv", rows, ["id", "Telephone", "Country"])
    summary = run(emulator.url, source, mapping=mapping)
    stored = {}
    for customer in emulator.customers():
        ids = {i["type"]: i["value"] for i in customer["accounts"][0]["identifiers"]}
        stored[ids["externalId"]] = ids.get("mobile")
    assert stored == expected
    assert summary.outcomes["created"] == len(rows)
    assert summary_of(run_dir_of(tmp_path / "out", summary))["outcomes"]["created"] == len(rows)
