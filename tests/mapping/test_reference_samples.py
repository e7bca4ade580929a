"""Every sample request of the vendor's reference can be produced from a spreadsheet row.

The samples are read from ``shared/api/add-customer.md`` (beside the clone) at test time, never
copied. For each one, a one-row CSV and a mapping are written that carry every value of the
sample from a column (``source`` and ``type`` are constants in the mapping language); the real
``importer preview`` must print exactly the sample's body, and a real run must get it accepted
by the emulator. A field the mapping language cannot express fails here by name: the mapping
refuses it ("unknown key") or the body differs at that field.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from runs_helpers import BASIC, read_report, run_dir_of

from importer.emulator import EmulatorProcess, running_emulator

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "api" / "add-customer.md"

#: Keys the mapping language takes as constants only: the profile's source, an item's type.
CONSTANTS = {"source", "type"}
#: Channel flags: true/false by default (as: bool); sent as "true"/"false" unless json: boolean.
FLAGS = {"primary", "verified", "subscribed"}


def request_samples() -> list[tuple[str, dict[str, Any]]]:
    """(title, body) of every JSON code block of the reference's request section."""
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("# Request Body Parameters")
    end = text.index("\n# ", start + 1)  # the next top-level heading: the responses
    blocks = re.findall(r"^```json[ \t]*(.*?)\n(.*?)^```", text[start:end], re.M | re.S)
    return [(title.strip(), json.loads(block)) for title, block in blocks]


def _samples() -> list[Any]:
    if not REFERENCE.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{REFERENCE} is absent"))]
    found = request_samples()
    assert len(found) >= 6, f"only {len(found)} request samples found in {REFERENCE}"
    return [pytest.param(title, body, id=title) for title, body in found]


# -- a sample body -> a mapping and a one-row sheet ---------------------------------------------


def mapping_for(body: Any, cells: dict[str, str], path: str = "") -> Any:
    """The mapping node that rebuilds ``body`` from columns named after each value's path."""
    if isinstance(body, dict):
        return {
            key: value if key in CONSTANTS else _node(key, value, cells, f"{path}{key}")
            for key, value in body.items()
        }
    if isinstance(body, list):
        return [mapping_for(item, cells, f"{path}{n}.") for n, item in enumerate(body)]
    return _leaf(body, cells, path.rstrip("."))


def _node(key: str, value: Any, cells: dict[str, str], path: str) -> Any:
    if key in FLAGS and isinstance(value, bool | str):
        cells[path] = str(value).lower()
        return {"column": path, "json": "boolean"} if isinstance(value, bool) else path
    return mapping_for(value, cells, path + ".")


def _leaf(value: Any, cells: dict[str, str], column: str) -> Any:
    if isinstance(value, bool):
        cells[column] = "Y" if value else "N"
        return {"column": column, "as": "bool", "json": "boolean"}
    if isinstance(value, int):
        cells[column] = str(value)
        return {"column": column, "as": "int"}
    if isinstance(value, float):
        cells[column] = repr(value)
        return {"column": column, "as": "number"}
    if isinstance(value, str):
        cells[column] = value
        # as: text, so the sample's values come out as written (no phone or date conversion)
        return {"column": column, "as": "text", **({"keep_empty": True} if value == "" else {})}
    return value  # null or anything else: left to the mapping to refuse, by name


def write_inputs(body: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    cells: dict[str, str] = {}
    mapping = {"version": 1, **mapping_for(body, cells)}
    mapping_path = folder / "sample.yaml"
    mapping_path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    input_path = folder / "sample.csv"
    with open(input_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(cells)
        writer.writerow(cells.values())
    return input_path, mapping_path


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Every field where ``got`` is not ``expected``, by its path; JSON types count."""
    if isinstance(expected, dict) and isinstance(got, dict):
        found = []
        for key in expected.keys() | got.keys():
            where = f"{path}.{key}" if path else key
            if key not in got:
                found.append(f"{where}: missing (expected {json.dumps(expected[key])})")
            elif key not in expected:
                found.append(f"{where}: not in the sample (got {json.dumps(got[key])})")
            else:
                found += differences(expected[key], got[key], where)
        return found
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        pairs = enumerate(zip(expected, got, strict=True))
        return [d for n, (e, g) in pairs for d in differences(e, g, f"{path}[{n}]")]
    if type(expected) is not type(got) or expected != got:
        return [f"{path}: expected {json.dumps(expected)}, got {json.dumps(got)}"]
    return []


def preview(input_path: Path, mapping_path: Path) -> dict[str, Any]:
    """The body the real ``importer preview`` prints for the one row; fails with its message."""
    done = subprocess.run(
        [sys.executable, "-m", "importer", "preview", str(input_path), "--mapping",
         str(mapping_path), "--rows", "1"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    first, _, rest = done.stdout.partition("\n")
    if done.returncode != 0 or first != "# row 2":
        pytest.fail(f"the mapping cannot express the sample:\n{done.stdout}{done.stderr}")
    return json.loads(rest)


# -- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def emulator_of_samples() -> Iterator[EmulatorProcess]:
    """An emulator of this module's own: reset before each sample (they share identifiers)."""
    with running_emulator() as emu:
        yield emu


@pytest.mark.parametrize(("title", "sample"), _samples())
def test_preview_prints_the_sample_and_the_emulator_accepts_it(
    title: str, sample: dict[str, Any], tmp_path: Path, run, emulator_of_samples: EmulatorProcess
) -> None:
    input_path, mapping_path = write_inputs(sample, tmp_path)
    body = preview(input_path, mapping_path)
    problems = differences(sample, body)
    assert not problems, f"{title}: the previewed body differs:\n" + "\n".join(problems)

    emu = emulator_of_samples
    emu.reset()
    out = tmp_path / "out"
    summary = run(emu.url, input_path, mapping=mapping_path, out=out, env=BASIC)
    [row] = read_report(run_dir_of(out, summary) / "success.csv")
    assert summary.outcomes["created"] == 1, read_report(run_dir_of(out, summary) / "errors.csv")
    [customer] = emu.customers()
    assert str(customer["id"]) == row["_created_id"]
    # what reached the emulator: every profile's source account, identifiers and channels
    stored = {(a["source"], a["accountId"]): a for a in customer["accounts"]}
    for profile in sample["profiles"]:
        account = stored[(profile["source"], profile.get("accountId", ""))]
        assert account["commChannels"] == [_as_stored(c) for c in profile.get("commChannels", [])]
        kept = account["identifiers"]
        assert [(i["type"], i["value"]) for i in kept] == [
            (i["type"], i["value"]) for i in profile["identifiers"]
        ]
        for ident, got in zip(profile["identifiers"], kept, strict=True):
            card = [k for k in ("seriesId", "statusLabel") if k in ident]
            assert {k: got[k] for k in card} == {k: ident[k] for k in card}
    first = sample["profiles"][0]
    assert customer["firstName"] == first.get("firstName")
    assert customer["lastName"] == first.get("lastName")
    assert customer["statusLabel"] == sample.get("statusLabel")
    assert [(e["programId"], e["tierNumber"]) for e in customer["loyaltyProgramEnrollments"]] == [
        (e["programId"], e.get("tierNumber")) for e in sample.get("loyaltyProgramEnrollments", [])
    ]


def _as_stored(channel: dict[str, Any]) -> dict[str, Any]:
    """A channel as the emulator keeps it: each flag true, false or null (not sent)."""
    flags = {k: None if k not in channel else channel[k] in (True, "true") for k in FLAGS}
    meta = channel.get("meta", {})
    return {"type": channel["type"], "value": channel["value"], **flags, "meta": meta}


def test_the_reference_is_read_whole() -> None:
    """Guard the reader above: the six request samples, and no response among them."""
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent")
    titles = [title for title, _ in request_samples()]
    assert "With customer status" in titles and "Sample request - Source: LINE" in titles
    assert all("profiles" in body and "createdId" not in body for _, body in request_samples())
