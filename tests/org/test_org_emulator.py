"""The org check against the real emulator over a socket: the pull, a misspelled field, and bad
values that spend no request."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from faker import Faker
from runs_helpers import BASIC, MAPPING, read_report, write_csv

from importer._exceptions import ConfigError
from importer.mapping import load_org

ORG_YAML = """\
extended_fields:
  - {name: gender, label: Gender, dataType: STANDARD_ENUM, values: [Male, Female, Other]}
  - {name: marital_status, label: Marital Status, dataType: STANDARD_ENUM}
  - {name: Age, label: Age, dataType: INTEGER, rejectTxnOnInvalidValue: true}
custom_fields:
  - {name: employee}
extended_field_config: %s
"""
COLUMNS = ["member_id", "first_name", "mobile", "gender", "age"]


def _emulator(start_emulator, tmp_path: Path, config: bool = True):
    org = tmp_path / "emu-org.yaml"
    org.write_text(ORG_YAML % ("true" if config else "false"), encoding="utf-8")
    return start_emulator("--org", str(org))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **BASIC, "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "importer", *args], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def _mapping(tmp_path: Path, extended: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING + "extendedFields:\n" + extended, encoding="utf-8")
    return path


def _rows(faker: Faker, n: int, bad_gender: set[int], bad_age: set[int]) -> list[list[str]]:
    rows = []
    for i in range(n):
        gender = "hello" if i in bad_gender else faker.random_element(["Male", "Female", "Other"])
        age = faker.word() if i in bad_age else str(faker.pyint(18, 99))
        rows.append([f"M{i:07d}", faker.first_name(), f"9198{i:08d}", gender, age])
    return rows


def test_org_pull_writes_what_it_read_and_names_what_it_could_not(start_emulator, tmp_path):
    emu = _emulator(start_emulator, tmp_path, config=False)
    out = tmp_path / "org.json"
    done = _cli("org", "pull", "--base-url", emu.url, "--out", str(out))
    assert done.returncode == 1, done.stderr  # one endpoint missing: named, the others written
    assert "/v2/entity/extendedFieldConfig: HTTP 404" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(out.read_text())
    assert data["read_at"] and data["base_url"] == emu.url
    assert "error" in data["endpoints"]["extendedFieldConfig"]
    org = load_org(out)
    assert sorted(org.extended) == ["Age", "gender", "marital_status"]
    assert org.extended["gender"].values == ("Male", "Female", "Other")
    assert sorted(org.custom) == ["employee"]
    assert emu.stats()["adds_attempted"] == 0


def test_a_misspelled_field_stops_before_the_first_request(start_emulator, tmp_path, run):
    emu = _emulator(start_emulator, tmp_path)
    src = write_csv(tmp_path / "in.csv", [["M1", "Ann", "919800000001", "Male", "30"]], COLUMNS)
    mapping = _mapping(tmp_path, "  marital_staus: gender\n")
    with pytest.raises(ConfigError, match=r"marital_staus: the org has no such extended field; "
                       r"did you mean marital_status\?"):  # fmt: skip
        run(emu.url, src, mapping=mapping)
    stats = emu.stats()
    assert stats["adds_attempted"] == 0
    assert stats["requests_by_path"].get("/v2/extendedFields") == 1
    # and the same from validate --org, with the file org pull wrote: exit 2, no network
    org = tmp_path / "org.json"
    assert _cli("org", "pull", "--base-url", emu.url, "--out", str(org)).returncode == 0
    emu.stop()
    done = _cli("validate", str(src), "--mapping", str(mapping), "--org", str(org),
                "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert "did you mean marital_status?" in done.stderr


def test_bad_values_spend_no_request_with_the_org_check(start_emulator, tmp_path, run, faker):
    emu = _emulator(start_emulator, tmp_path)
    bad_gender, bad_age = {1, 4, 7}, {2, 7, 9}
    rows = _rows(faker, 12, bad_gender, bad_age)
    src = write_csv(tmp_path / "in.csv", rows, COLUMNS)
    mapping = _mapping(tmp_path, "  gender: gender\n  Age: age\n")
    summary = run(emu.url, src, mapping=mapping)
    bad = bad_gender | bad_age
    assert summary.outcomes["rejected"] == len(bad)
    assert summary.outcomes["created"] == 12 - len(bad)
    assert summary.org_requests == 3
    stats = emu.stats()
    assert stats["adds_attempted"] == 12 - len(bad)  # not one request on a bad value
    assert stats["field_values_dropped"] == 0
    saved = json.loads((tmp_path / "out" / summary.job / summary.run / "summary.json").read_text())
    assert saved["org_requests"] == 3
    errors = (tmp_path / "out" / summary.job / summary.run / "errors.csv").read_text()
    assert "the org's extended field gender is STANDARD_ENUM" in errors
    assert "the org's extended field Age is INTEGER" in errors


def test_dropped_with_a_warning_locally_never_reaches_the_org(start_emulator, tmp_path, run, faker):
    emu = _emulator(start_emulator, tmp_path)
    rows = _rows(faker, 6, {0, 3}, set())
    src = write_csv(tmp_path / "in.csv", rows, COLUMNS)
    mapping = _mapping(tmp_path, "  gender: {column: gender, on_invalid: drop}\n  Age: age\n")
    summary = run(emu.url, src, mapping=mapping)
    assert summary.outcomes["created"] == 6
    stats = emu.stats()
    assert stats["adds_attempted"] == 6 and stats["field_values_dropped"] == 0
    warned = read_report(tmp_path / "out" / summary.job / summary.run / "warnings.csv")
    dropped = [r for r in warned if "dropped_value" in r["_warnings"]]
    assert sorted(r["member_id"] for r in dropped) == ["M0000000", "M0000003"]
    for row in dropped:
        (warning,) = [w for w in json.loads(row["_warnings"]) if w["code"] == "dropped_value"]
        assert warning["message"].startswith('gender: "hello" is not one of the org\'s values')


def test_without_the_check_the_org_drops_or_refuses(start_emulator, tmp_path, run, faker):
    """The emulator's side, as a real org would: a bad enum value is dropped with a warning (the
    customer registered without it), a bad INTEGER with rejectTxnOnInvalidValue is refused."""
    emu = _emulator(start_emulator, tmp_path)
    bad_gender, bad_age = {1, 4}, {2, 5}
    src = write_csv(tmp_path / "in.csv", _rows(faker, 8, bad_gender, bad_age), COLUMNS)
    mapping = _mapping(tmp_path, "  gender: gender\n  Age: {column: age, as: text}\n")
    summary = run(emu.url, src, mapping=mapping, org_check=False)
    stats = emu.stats()
    assert stats["adds_attempted"] == 8
    assert stats["requests_by_path"].get("/v2/extendedFields") is None
    assert stats["field_values_dropped"] == len(bad_gender)
    assert stats["adds_rejected_by_code"] == {"8072": len(bad_age)}
    assert summary.outcomes["created"] == 8 - len(bad_age)


def test_org_pull_with_a_refused_password_writes_nothing(start_emulator, tmp_path):
    emu = _emulator(start_emulator, tmp_path)
    out = tmp_path / "org.json"
    env = {**os.environ, "CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "wrong",
           "PYTHONPATH": str(Path(__file__).parents[2])}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "importer", "org", "pull", "--base-url", emu.url, "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("HTTP 401") == 3 and "Traceback" not in done.stderr
    assert not out.exists()


def test_preview_with_the_org_file_shows_why_a_row_would_not_be_sent(start_emulator, tmp_path):
    emu = _emulator(start_emulator, tmp_path)
    org = tmp_path / "org.json"
    assert _cli("org", "pull", "--base-url", emu.url, "--out", str(org)).returncode == 0
    rows = [["M1", "Ann", "919800000001", "female", "30"], ["M2", "Bo", "919800000002", "x", "3"]]
    src = write_csv(tmp_path / "in.csv", rows, COLUMNS)
    mapping = _mapping(tmp_path, "  gender: gender\n  Age: age\n")
    done = _cli("preview", str(src), "--mapping", str(mapping), "--org", str(org))
    assert done.returncode == 0, done.stderr
    assert '"gender": "Female"' in done.stdout and '"Age": 30' in done.stdout
    assert '# row 3: rejected (not_in_enum): gender: "x" is not one of the org' in done.stdout
