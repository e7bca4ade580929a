"""Nightly uploads, several inputs under one limit, the job lock, reruns, --move-done."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from runs_helpers import BASIC, COLUMNS, cli, member_rows, read_report, summary_of, write_csv

from importer._exceptions import UsageError
from importer.cli._run import rerun_config
from importer.record._lock import job_lock
from importer.run._batch import expand_inputs, run_batch
from importer.run._config import RunConfig
from importer.send import Policy


def _config(url: str, mapping: Path, out: Path, **kwargs) -> RunConfig:
    options = {
        "base_url": url,
        "rpm": 0,
        "out": out,
        "env": BASIC,
        "progress": False,
        "timeout": 5.0,
        "policy": Policy(backoff_base=0.05, max_failures=kwargs.pop("max_failures", 6)),
    }
    options.update(kwargs)
    return RunConfig(input=Path("unused"), mapping=mapping, **options)


def _run_cli(src: Path, mapping: Path, url: str, out: Path, *extra: str, env=None):
    """Start ``importer run`` on one input against ``url``, unthrottled."""
    args = ["run", str(src), "--mapping", str(mapping), "--base-url", url, "--rpm", "0"]
    return cli(*args, "--out", str(out), *extra, env=env)


@pytest.mark.parametrize("skip_known", [True, False])
def test_second_night_sends_only_the_new_rows(start_emulator, mapping, tmp_path, skip_known):
    emu = start_emulator()
    out = tmp_path / "out"
    known = member_rows(200)
    first = write_csv(tmp_path / "signups-mon.csv", known)
    second = write_csv(tmp_path / "signups-tue.csv", known + member_rows(2, base=5000))
    config = _config(emu.url, mapping, out, skip_known=skip_known)

    run_batch(config, [first])
    before = emu.stats()["adds_attempted"]
    result = run_batch(config, [second])
    sent = emu.stats()["adds_attempted"] - before

    summary = result.summaries[0]
    if skip_known:
        assert sent == 2
        assert summary.outcomes["created"] == 2 and summary.outcomes["skipped"] == 200
        skipped = read_report(out / summary.job / summary.run / "skipped.csv")
        assert {r["_code"] for r in skipped} == {"known"}
        assert all(r["_created_id"] for r in skipped)  # the ledger keeps the customer's id
    else:
        assert sent == 202  # without --skip-known every row is sent, and 200 answer 8006
        assert summary.outcomes["duplicate"] == 200 and summary.outcomes["created"] == 2
    assert len(emu.customers()) == 202


def test_ledger_is_per_base_url(start_emulator, mapping, tmp_path):
    one, two = start_emulator(), start_emulator()
    out = tmp_path / "out"
    rows = write_csv(tmp_path / "a.csv", member_rows(5))
    run_batch(_config(one.url, mapping, out, skip_known=True), [rows])
    again = write_csv(tmp_path / "b.csv", member_rows(5))
    result = run_batch(_config(two.url, mapping, out, skip_known=True), [again])
    assert result.summaries[0].outcomes["created"] == 5  # another org: nothing is known there


def test_several_inputs_share_one_limit(start_emulator, mapping, tmp_path):
    # A 3-second window stands in for the API's minute so the test stays short; with a fresh
    # throttle per file the second file would start at once and the emulator would answer 429.
    emu = start_emulator("--rpm", "10", "--window-seconds", "3")
    files = [write_csv(tmp_path / f"drop-{n}.csv", member_rows(8, base=100 * n)) for n in range(3)]
    config = _config(emu.url, mapping, tmp_path / "out", rpm=10, rate_window=3.0)
    result = run_batch(config, files)
    stats = emu.stats()
    assert stats["rate_limited_429"] == 0
    assert stats["max_adds_in_60s"] <= 10  # the emulator's window is 3 s here
    assert [s.outcomes["created"] for s in result.summaries] == [8, 8, 8]
    assert len({s.job for s in result.summaries}) == 3  # a report folder each
    combined = json.loads(result.summary_path.read_text())
    assert combined["outcomes"]["created"] == 24 and combined["exit_code"] == 0
    assert combined["codes"] == {"created": {"created": 24}}  # adding up, as in each input's
    assert [Path(i["input"]).name for i in combined["inputs"]] == [f.name for f in files]


def test_a_broken_input_does_not_hold_back_the_others(start_emulator, mapping, tmp_path):
    emu = start_emulator()
    good = write_csv(tmp_path / "good.csv", member_rows(3))
    broken = tmp_path / "broken.csv"
    broken.write_text("member_id,first_name\nM1,Ann\n")  # no mobile column
    result = run_batch(_config(emu.url, mapping, tmp_path / "out"), [broken, good])
    assert "mobile" in result.errors[str(broken)]
    assert result.summaries[0].outcomes["created"] == 3
    assert result.exit_code == 2


def test_move_done_moves_only_fully_settled_inputs(start_emulator, mapping, tmp_path):
    emu = start_emulator()
    drop, done = tmp_path / "incoming", tmp_path / "done"
    drop.mkdir()
    write_csv(drop / "a.csv", member_rows(3))
    write_csv(drop / "b.csv", member_rows(3, base=50))
    (done).mkdir()
    (done / "a.csv").write_text("yesterday's a.csv\n")
    result = run_batch(
        _config(emu.url, mapping, tmp_path / "out"),
        expand_inputs([f"{drop}/*.csv"]),
        move_done=done,
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in drop.iterdir()) == []
    assert (done / "a.csv").read_text() == "yesterday's a.csv\n"  # never overwritten
    assert len(list(done.glob("a.*.csv"))) == 1 and (done / "b.csv").exists()


def test_move_done_keeps_an_input_with_failed_rows(start_emulator, mapping, tmp_path):
    emu = start_emulator("--fail-rate", "1")
    drop, done = tmp_path / "incoming", tmp_path / "done"
    drop.mkdir()
    src = write_csv(drop / "a.csv", member_rows(2))
    result = run_batch(
        _config(emu.url, mapping, tmp_path / "out", max_failures=1), [src], move_done=done
    )
    assert result.summaries[0].outcomes["failed"] == 2
    assert src.exists() and not done.exists()


@pytest.mark.parametrize(
    ("patterns", "error"),
    [(["nothing-here/*.csv"], "no file matches"), ([], "no input given")],
)
def test_expand_inputs_refuses_empty_patterns(tmp_path, patterns, error):
    with pytest.raises(UsageError, match=error):
        expand_inputs(patterns)


def test_expand_inputs_keeps_order_and_drops_repeats(tmp_path):
    for name in ("b.csv", "a.csv"):
        (tmp_path / name).write_text("x\n")
    found = expand_inputs([str(tmp_path / "b.csv"), f"{tmp_path}/*.csv"])
    assert [p.name for p in found] == ["b.csv", "a.csv"]


def test_job_option_with_several_inputs_is_a_usage_error(mapping, tmp_path):
    with pytest.raises(UsageError, match="--job"):
        run_batch(
            _config("http://127.0.0.1:9", mapping, tmp_path, job="x"),
            [tmp_path / "a.csv", tmp_path / "b.csv"],
        )


def test_second_run_of_a_job_stops_at_once(emulator, mapping, tmp_path):
    src = write_csv(tmp_path / "members.csv", member_rows(2))
    out = tmp_path / "out"
    with job_lock(out / "members"):
        proc = _run_cli(src, mapping, emulator.url, out)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "already running" in err and "Traceback" not in err
    assert not list((out / "members").glob("2*"))  # no run folder: nothing was started


def test_rerun_sends_the_fixed_rows_with_the_runs_settings(emulator, mapping, tmp_path):
    out = tmp_path / "out"
    rows = member_rows(4, base=7000)
    rows[1][2] = "12"  # an invalid mobile
    src = write_csv(tmp_path / "members.csv", rows)
    proc = _run_cli(src, mapping, emulator.url, out, "--header", "USER-CONTEXT-ENTITY-ID=till-7")
    proc.communicate(timeout=60)
    assert proc.returncode == 1
    (run_dir,) = (out / "members").glob("2*")
    errors = run_dir / "errors.csv"
    with open(errors, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert [r[table[0].index("_row")] for r in table[1:]] == ["3"]
    table[1][COLUMNS.index("mobile")] = "919800007777"  # fixed by hand, as in Excel
    with open(errors, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table)

    proc = cli("rerun", str(run_dir))
    out_text, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    rerun_dir = max((out / "members").glob("2*"))
    assert rerun_dir != run_dir
    success = read_report(rerun_dir / "success.csv")
    sent = [(r["_row"], r["mobile"]) for r in success if r["_run"] == rerun_dir.name]
    assert sent == [("3", "919800007777")]
    # the rows the first run created are carried into the rerun's folder: the job's whole truth
    assert [r["_row"] for r in success] == ["2", "3", "4", "5"]
    assert summary_of(rerun_dir)["outcomes"]["created"] == 4
    assert summary_of(rerun_dir)["carried"] == 3 and summary_of(rerun_dir)["requests"] == 1
    assert (rerun_dir / "report.html").exists()
    created = [
        c
        for c in emulator.customers()
        if any(i["value"] == "919800007777" for a in c["accounts"] for i in a["identifiers"])
    ]
    assert (
        created and created[0]["accounts"][0]["headers"].get("USER-CONTEXT-ENTITY-ID") == "till-7"
    )


def test_rerun_after_a_wrong_password_sends_every_row(emulator, mapping, tmp_path):
    out = tmp_path / "out"
    src = write_csv(tmp_path / "members.csv", member_rows(5, base=8000))
    proc = _run_cli(
        src,
        mapping,
        emulator.url,
        out,
        env={"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "x"},
    )
    proc.communicate(timeout=60)
    assert proc.returncode == 3
    (run_dir,) = (out / "members").glob("2*")
    assert summary_of(run_dir)["outcomes"]["failed"] == 5
    config = rerun_config(run_dir)
    assert config.input == run_dir / "errors.csv" and config.job == "members"
    proc = cli("rerun", str(run_dir))
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    rerun_dir = max((out / "members").glob("2*"))
    assert sorted(int(r["_row"]) for r in read_report(rerun_dir / "success.csv")) == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ({}, "no run.json"),
        ({"run.json": "{not json"}, "unreadable"),
        ({"run.json": "{}"}, "no errors.csv"),
    ],
)
def test_rerun_of_something_else_is_a_clear_error(tmp_path, files, error):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    proc = cli("rerun", str(tmp_path))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and error in err and "Traceback" not in err
