"""Whole names with the titles and degrees of Indonesia and Central Europe, sent to the emulator:
what it stores as first and last name holds none of them (oracle: Faker's own lists)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from faker import Faker
from runs_helpers import write_csv

from importer.emulator import EmulatorProcess

MAPPING = """\
profiles:
  - source: INSTORE
    firstName: {column: Name, as: name, part: first}
    lastName: {column: Name, as: name, part: last}
    identifiers:
      - {type: externalId, value: id}
"""


def test_the_emulator_stores_names_without_their_titles_and_degrees(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    rows, expected, affixes = [], {}, set()
    for locale in ("id_ID", "cs_CZ", "de_DE"):
        fake = Faker(locale)
        fake.seed_instance(4)
        provider = next(p for p in fake.get_providers() if hasattr(p, "first_name"))
        prefixes = sorted({*provider.prefixes_male, *provider.prefixes_female} - {""})
        suffixes = sorted(set(getattr(provider, "suffixes", ()) or ()) - {""})
        affixes |= {w.casefold() for w in (*prefixes, *suffixes)}
        for n in range(20):
            first, last = fake.first_name(), fake.last_name()
            title = prefixes[n % len(prefixes)]
            degree = f", {suffixes[n % len(suffixes)]}" if suffixes else ""
            key = f"{locale}-{n}"
            rows.append([key, f"{title} {first} {last}{degree}"])
            expected[key] = (first, last)
    mapping = tmp_path / "names.yaml"
    mapping.write_text(MAPPING, "utf-8")
    summary = run(
        emulator.url, write_csv(tmp_path / "in.csv", rows, ["id", "Name"]), mapping=mapping
    )
    assert summary.outcomes["created"] == len(rows)
    stored = {
        c["accounts"][0]["identifiers"][0]["value"]: (c["firstName"], c["lastName"])
        for c in emulator.customers()
    }
    for key, (first, last) in stored.items():
        words = {w.casefold() for w in f"{first} {last}".split()}
        assert not words & affixes, (key, first, last)
    assert stored == expected
