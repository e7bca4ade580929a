"""Spreadsheet quirks end to end, checked in what reached the emulator: a web shop's customer
export with Excel's apostrophe markers, Excel error cells, and legacy encodings; ``validate``,
``preview`` and ``run`` agree on every row."""

# ruff: noqa: E501 - tables of rows read best one row a line

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import phonenumbers
import pytest
from click.testing import CliRunner
from faker import Faker
from runs_helpers import BASIC

from importer.cli._main import main

SHOP_COLUMNS = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip

SHOP_MAPPING = """\
version: 1
settings: {region: US, on_invalid: drop}
profiles:
  - source: INSTORE
    firstName: First Name
    lastName: Last Name
    identifiers:
      - type: mobile
        value: {column: Phone, as: phone}
      - type: email
        value: {column: Email, as: email}
      - type: externalId
        value: Customer ID
extendedFields:
  zip: Default Address Zip          # an extended field the emulator's org has
"""

_AREAS = ["212", "415", "617", "312", "206", "305", "702", "512"]


def invoke(*args: str) -> Any:
    blank = {k: "" for k in ("CAPILLARY_OAUTH_KEY", "CAPILLARY_OAUTH_SECRET")}
    return CliRunner().invoke(main, list(args), env={**blank, **BASIC})


def shop_export(n: int, seed: int = 16) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Rows as the shop writes them "for Excel", and what each customer must be created with
    (worked out here, apart from the importer: phonenumbers says which phones are valid)."""
    fake, rng = Faker("en_US"), random.Random(seed)
    fake.seed_instance(seed)
    rows, expected = [], []
    for i in range(n):
        cid = str(6885710452010 + i * 7919)
        national = f"{rng.choice(_AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        kind = rng.choice(["good", "good", "good", "bad_phone", "no_phone", "bad_email"])
        phone = {"good": f"+1{national}", "bad_email": f"+1{national}"}.get(kind, "")
        if kind == "bad_phone":
            phone = f"+1{national[:6]}"  # digits lost: not a number anywhere
        email = fake.unique.email() if kind != "bad_email" else "not an e-mail"
        zip_code = f"0{rng.randint(1000, 9999)}"
        parsed = phonenumbers.parse(phone, None) if phone else None
        valid_phone = parsed is not None and phonenumbers.is_valid_number(parsed)
        rows.append([
            f"'{cid}", fake.first_name(), fake.last_name(), email, "yes", "", fake.street_address(),
            "", fake.city(), "MA", "US", f"'{zip_code}", f"'{phone}" if phone else "",
            f"'{phone}" if phone else "", "no", "68.66", "2", "#N/A" if i % 5 == 0 else "",
            "no", "vip" if i % 3 == 0 else "",
        ])  # fmt: skip
        expected.append(
            {
                "externalId": cid,
                "mobile": "1" + national if valid_phone else None,
                "email": email.lower() if kind != "bad_email" else None,
                "zip": zip_code,
            }
        )
    return rows, expected


def write_csv(
    path: Path, columns: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def identifiers(customer: dict[str, Any]) -> dict[str, str]:
    return {
        i["type"]: i["value"]
        for profile in customer.get("accounts", customer.get("profiles", []))
        for i in profile.get("identifiers", [])
    }


def test_a_shop_export_with_apostrophe_markers(tmp_path: Path, start_emulator) -> None:
    rows, expected = shop_export(60)
    source = write_csv(tmp_path / "customers_export.csv", SHOP_COLUMNS, rows)
    mapping = tmp_path / "shop.yaml"
    mapping.write_text(SHOP_MAPPING)
    validate = invoke(
        "validate", str(source), "--mapping", str(mapping), "--out", str(tmp_path / "dry")
    )
    assert validate.exit_code == 0, validate.output
    dry = json.loads(next((tmp_path / "dry").rglob("summary.json")).read_text())
    emu = start_emulator()
    result = invoke("run", str(source), "--mapping", str(mapping), "--base-url", emu.url,
                    "--rpm", "0", "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 0, result.output
    customers = emu.customers()
    assert (
        dry["sendable"] == len(customers)
        and dry["cells"]
        == json.loads(next((tmp_path / "out").rglob("summary.json")).read_text())["cells"]
    )
    stored = json.dumps(customers, ensure_ascii=False)
    assert "'" not in "".join(v for c in customers for v in identifiers(c).values())
    assert not re.search(r"'\+?\d", stored), "an apostrophe marker reached the API"
    by_id = {identifiers(c)["externalId"]: c for c in customers}
    # every customer with a valid phone or e-mail is created, with exactly those values
    assert set(by_id) == {e["externalId"] for e in expected if e["mobile"] or e["email"]}
    for e in expected:
        got = identifiers(by_id[e["externalId"]])
        assert (got.get("mobile"), got.get("email")) == (e["mobile"], e["email"]), e
    # the bodies preview shows are the ones run sends
    shown = invoke("preview", str(source), "--mapping", str(mapping), "--rows", "60").output
    assert re.findall(r'"zip": "(.*)"', shown) == [e["zip"] for e in expected]
    summary = json.loads(next((tmp_path / "out").rglob("summary.json")).read_text())
    assert summary["cells"]["text_marker"] == {
        "Customer ID": 60,
        "Default Address Zip": 60,
        "Default Address Phone": sum(1 for r in rows if r[12]),
        "Phone": sum(1 for r in rows if r[13]),
    }
    assert summary["cells"]["excel_error"] == {"Note": 12}  # unmapped: counted, nothing else
    assert "Phone: " in result.output and "text marker" in result.output


# -- error cells: validate, preview and run agree --------------------------------------------

ERROR_MAPPING = """\
version: 1
settings: {region: IN, on_invalid: drop}
registration: {required_identifiers: [externalId]}
profiles:
  - source: INSTORE
    firstName: Name
    identifiers:
      - type: email
        value: {column: E-Mail, as: email, on_invalid: reject}
      - type: mobile
        value: {column: Mobile, as: phone}
      - type: externalId
        value: Customer ID
"""
ERROR_COLUMNS = ["Customer ID", "E-Mail", "Mobile", "Note", "Name"]
#: the rows as formulas (for the workbook) and as the text Excel writes into a CSV
ERROR_ROWS = [
    (["101", "ann@example.com", "9876543210", "", "Ann"], None),
    (["102", "=NA()", "9876543211", "", "Bob"], ["102", "#N/A", "9876543211", "", "Bob"]),
    (["103", "cy@example.com", "=NA()", "", "Cy"], ["103", "cy@example.com", "#N/A", "", "Cy"]),
    (["104", "dee@example.com", "9876543213", "=1/0", "Dee"], ["104", "dee@example.com", "9876543213", "#DIV/0!", "Dee"]),
    (["=#REF!", "eve@example.com", "9876543214", "", "Eve"], ["#REF!", "eve@example.com", "9876543214", "", "Eve"]),
]  # fmt: skip
#: row -> (outcome, code, message): written by hand
ERROR_EXPECTED = {
    2: ("created", None, None),
    3: ("rejected", "excel_error", "E-Mail: cell B3 holds #N/A"),
    4: ("created", "dropped_value", "Mobile: cell C4 holds #N/A: left out (on_invalid: drop)"),
    5: ("created", None, None),
    6: ("rejected", "excel_error", "Customer ID: cell A6 holds #REF!"),
}


def _errors_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "errors_in.csv", ERROR_COLUMNS, [t or f for f, t in ERROR_ROWS])


def _errors_xlsx(tmp_path: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("no LibreOffice (soffice): .ci/run installs Debian's libreoffice-calc")
    book = openpyxl.Workbook()
    book.active.append(ERROR_COLUMNS)
    for formulas, _ in ERROR_ROWS:
        book.active.append([int(c) if c.isdigit() else c for c in formulas])
    source = tmp_path / "formulas" / "errors_in.xlsx"
    source.parent.mkdir()
    book.save(source)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "xlsx", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path / "errors_in.xlsx"


def _report(run_dir: Path) -> dict[int, tuple[str, str | None, str | None]]:
    seen: dict[int, tuple[str, str | None, str | None]] = {}
    for name in ("success.csv", "errors.csv", "warnings.csv"):
        path = run_dir / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                number = int(row["_row"])
                if name == "errors.csv":
                    seen[number] = ("rejected", row["_code"], row["_message"])
                elif name == "warnings.csv":  # our own warnings, not the API's (8107, ...)
                    mine = [w for w in json.loads(row["_warnings"]) if not str(w["code"]).isdigit()]
                    if mine:
                        seen[number] = ("created", mine[0]["code"], mine[0]["message"])
                else:
                    seen.setdefault(number, ("created", None, None))
    # a dry run writes no success.csv: a row in no report would be sent
    return {n: seen.get(n, ("created", None, None)) for n in ERROR_EXPECTED} | seen


def _preview(output: str) -> dict[int, tuple[str, str | None, str | None]]:
    seen: dict[int, tuple[str, str | None, str | None]] = {}
    for line in output.splitlines():
        if m := re.fullmatch(r"# row (\d+): (\w+) \((\w+)\): (.*)", line):
            seen[int(m[1])] = (m[2], m[3], m[4])
        elif m := re.fullmatch(r"# row (\d+)", line):
            seen[int(m[1])] = ("created", None, None)
            last = int(m[1])
        elif m := re.fullmatch(r"# warning \((\w+)\): (.*)", line):
            seen[last] = ("created", m[1], m[2])
    return seen


@pytest.mark.parametrize("make", [_errors_csv, _errors_xlsx], ids=["csv", "xlsx"])
def test_error_cells_validate_preview_and_run_agree(tmp_path: Path, start_emulator, make) -> None:
    source = make(tmp_path)
    mapping = tmp_path / "errors.yaml"
    mapping.write_text(ERROR_MAPPING)
    common = [str(source), "--mapping", str(mapping)]
    preview = invoke("preview", *common, "--rows", "10")
    assert preview.exit_code == 0, preview.output
    assert _preview(preview.output) == ERROR_EXPECTED
    validate = invoke("validate", *common, "--out", str(tmp_path / "dry"))
    assert validate.exit_code == 1, validate.output
    assert _report(next((tmp_path / "dry").rglob("summary.json")).parent) == ERROR_EXPECTED
    emu = start_emulator()
    run = invoke("run", *common, "--base-url", emu.url, "--rpm", "0",
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert run.exit_code == 1, run.output
    assert _report(next((tmp_path / "out").rglob("summary.json")).parent) == ERROR_EXPECTED
    stored = {identifiers(c)["externalId"]: identifiers(c) for c in emu.customers()}
    assert stored == {
        "101": {"email": "ann@example.com", "mobile": "919876543210", "externalId": "101"},
        "103": {"email": "cy@example.com", "externalId": "103"},
        "104": {"email": "dee@example.com", "mobile": "919876543213", "externalId": "104"},
    }
    summary = json.loads(next((tmp_path / "out").rglob("summary.json")).read_text())
    assert summary["cells"]["excel_error"] == {
        "E-Mail": 1,
        "Mobile": 1,
        "Note": 1,
        "Customer ID": 1,
    }


# -- legacy encodings, end to end -------------------------------------------------------------

ENCODED_MAPPING = """\
version: 1
profiles:
  - source: INSTORE
    firstName: First Name
    lastName: Last Name
    identifiers:
      - type: externalId
        value: Customer ID
"""


@pytest.mark.parametrize(
    ("encoding", "locale"), [("iso-8859-7", "el_GR"), ("cp1251", "ru_RU"), ("cp932", "ja_JP")]
)
def test_legacy_encodings_reach_the_api_as_written(
    tmp_path: Path, start_emulator, encoding: str, locale: str
) -> None:
    fake = Faker(locale)
    fake.seed_instance(7)
    names = []
    while len(names) < 200:
        first, last = fake.first_name(), fake.last_name()
        try:
            (first + last).encode(encoding)
        except UnicodeEncodeError:
            continue
        names.append((first, last))
    rows = [[str(5000 + i), first, last] for i, (first, last) in enumerate(names)]
    source = write_csv(
        tmp_path / "names.csv", ["Customer ID", "First Name", "Last Name"], rows, encoding
    )
    mapping = tmp_path / "names.yaml"
    mapping.write_text(ENCODED_MAPPING)
    emu = start_emulator()
    result = invoke("run", str(source), "--mapping", str(mapping), "--base-url", emu.url,
                    "--rpm", "0", "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = {
        identifiers(c)["externalId"]: (c.get("firstName"), c.get("lastName"))
        for c in emu.customers()
    }
    assert stored == {cid: (first, last) for cid, first, last in rows}


# -- numbers and durations as Excel shows them -------------------------------------------------

POINTS_MAPPING = """\
version: 1
profiles:
  - source: INSTORE
    firstName: Name
    identifiers:
      - type: externalId
        value: Customer ID
extendedFields:
  visit_hours: Hours
loyaltyProgramEnrollments:
  - programId: 469
    tierNumber: 1
    loyaltyPoints: {column: Points, as: number}
"""


def test_float_noise_and_durations_never_reach_the_api(tmp_path: Path, start_emulator) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Customer ID", "Name", "Points", "Hours"])
    cells = [(68.664999999999992, 255.4237), (274.66, 0.5), (0.1, 1.25)]
    for i, (points, days) in enumerate(cells):
        sheet.append([f"'77{i}", f"N{i}", points, dt.timedelta(days=days)])
        sheet.cell(i + 2, 4).number_format = "[h]:mm:ss"
    source = tmp_path / "points.xlsx"
    book.save(source)
    mapping = tmp_path / "points.yaml"
    mapping.write_text(POINTS_MAPPING)
    common = [str(source), "--mapping", str(mapping)]
    shown = invoke("preview", *common, "--rows", "5").output
    assert re.findall(r'"loyaltyPoints": "?([\d.]+)"?', shown) == ["68.665", "274.66", "0.1"], shown
    assert re.findall(r'"visit_hours": "(.*)"', shown) == ["6130:10:08", "12:00:00", "30:00:00"]
    assert invoke("validate", *common, "--out", str(tmp_path / "dry")).exit_code == 0
    emu = start_emulator()
    # visit_hours is no field of the emulator's org: the check would stop the run before the
    # points this test follows are sent
    run = invoke("run", *common, "--base-url", emu.url, "--rpm", "0", "--no-org-check",
                 "--out", str(tmp_path / "o"))  # fmt: skip
    assert run.exit_code == 0, run.output
    stored = {
        identifiers(c)["externalId"]: c["loyaltyProgramEnrollments"][0]["points"]
        for c in emu.customers()
    }
    assert stored == {"770": "68.665", "771": "274.66", "772": "0.1"}
