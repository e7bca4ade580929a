"""The README's nightly recipe, three nights running, with the real command and the same file name.

Each night the store drops ``drop/signups.csv`` again: yesterday's rows, some changed, some new,
and a row fixed by hand through ``rerun`` that is still wrong in the store's cumulative file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from runs_helpers import COLUMNS, cli, read_report, summary_of, write_csv

from importer.emulator import EmulatorProcess


def mobile(n: int) -> str:
    return f"91984{n:07d}"


def member(n: int, name: str | None = None, phone: str | None = None) -> list[str]:
    return [f"M{n:07d}", name or f"Name{n}", phone or mobile(n)]


A, B, C, D, E, F = 400001, 400002, 400003, 400004, 400005, 400006


def night(
    tmp: Path, emu: EmulatorProcess, mapping: Path, rows: list[list[str]]
) -> tuple[int, str, Path, int]:
    """Drop the night's file and run the README's command; exit code, log, run folder, adds."""
    write_csv(tmp / "drop" / "signups.csv", rows)
    before = emu.stats()["adds_attempted"]
    proc = cli(
        "run", "drop/*.csv", "--mapping", str(mapping), "--base-url", emu.url, "--rpm", "0",
        "--skip-known", "--move-done", "done/", "--out", "reports", cwd=tmp,
    )  # fmt: skip
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert list((tmp / "drop").iterdir()) == []  # every row settled: the file was moved
    folder = max((tmp / "reports" / "signups").glob("2*"))
    return proc.returncode, err, folder, emu.stats()["adds_attempted"] - before


def by_member(folder: Path, name: str) -> dict[str, dict[str, str]]:
    return {r["member_id"]: r for r in read_report(folder / name)}


def externals(emu: EmulatorProcess) -> dict[str, int]:
    return {
        i["value"]: c["id"]
        for c in emu.customers()
        for a in c["accounts"]
        for i in a["identifiers"]
        if i["type"] == "externalId"
    }


def test_three_nights_of_the_same_file_send_every_new_customer_and_no_known_one(
    start_emulator, mapping: Path, tmp_path: Path
) -> None:
    emu = start_emulator()
    (tmp_path / "drop").mkdir()

    # night 1: two customers and one with a bad mobile
    code, err, first, adds = night(
        tmp_path, emu, mapping, [member(A), member(B), member(C, phone="12")]
    )
    assert (code, adds) == (1, 2)  # the rejected row needs a look: exit 1
    assert "input_changed" not in err  # the job's first run
    assert set(by_member(first, "success.csv")) == {"M0400001", "M0400002"}
    assert by_member(first, "errors.csv")["M0400003"]["_code"] == "invalid_mobile"
    assert (tmp_path / "done" / "signups.csv").exists()

    # the fix loop: the bad mobile fixed by hand in errors.csv, sent with `importer rerun`
    errors = first / "errors.csv"
    with open(errors, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    table[1][COLUMNS.index("mobile")] = mobile(C)
    with open(errors, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table)
    proc = cli("rerun", str(first), cwd=tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(emu.customers()) == 3

    # night 2: the same name; A again, B changed, C still wrong in the store's cumulative file,
    # D new
    rows = [member(A), member(B, name="Bea"), member(C, phone="12"), member(D)]
    code, err, second, adds = night(tmp_path, emu, mapping, rows)
    assert (code, adds) == (0, 1)  # only D is sent; nothing is left to look at
    changed = [json.loads(line) for line in err.splitlines() if "input_changed" in line]
    assert len(changed) == 1 and changed[0]["last_run"] == first.name  # said once, and on
    success = by_member(second, "success.csv")
    assert {k: r["_run"] for k, r in success.items()} == {
        "M0400001": first.name,  # yesterday's row, reported as yesterday's run settled it
        "M0400004": second.name,
    }
    skipped = by_member(second, "skipped.csv")
    assert {k: r["_code"] for k, r in skipped.items()} == {"M0400002": "known", "M0400003": "known"}
    assert f"mobile {mobile(B)}" in skipped["M0400002"]["_message"]
    # a known customer is not judged again by a cell that would be rejected today
    assert "externalId M0400003" in skipped["M0400003"]["_message"]
    assert read_report(second / "errors.csv") == []
    assert (tmp_path / "done" / f"signups.{second.name}.csv").exists()

    # night 3: a new customer on the line A had on night 1, one new row still wrong
    rows = [member(E), *rows, member(F, phone="99")]
    code, err, third, adds = night(tmp_path, emu, mapping, rows)
    assert (code, adds) == (1, 1)  # E is sent, F is rejected
    success = by_member(third, "success.csv")
    assert {k: r["_run"] for k, r in success.items()} == {
        "M0400005": third.name,
        "M0400001": first.name,
        "M0400004": second.name,
    }
    assert [r["_row"] for r in read_report(third / "success.csv")] == ["2", "3", "6"]
    assert set(by_member(third, "skipped.csv")) == {"M0400002", "M0400003"}
    assert set(by_member(third, "errors.csv")) == {"M0400006"}
    summary = summary_of(third)
    assert summary["exit_code"] == 1 and summary["total_rows"] == 6
    assert summary["codes"] == {
        "created": {"created": 3},
        "skipped": {"known": 2},
        "rejected": {"invalid_mobile": 1},
    }

    # every customer of the three nights exists once, with the id the reports name
    ids = externals(emu)
    assert sorted(ids) == [f"M0{n}" for n in (A, B, C, D, E)]
    assert len(emu.customers()) == 5
    for name, row in by_member(third, "success.csv").items():
        assert int(row["_created_id"]) == ids[name]
