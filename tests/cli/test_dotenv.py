"""Credentials from a .env file in the working directory, the environment winning over it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from runs_helpers import member_rows, write_csv


def _run(cwd, env_extra, src, mapping, url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAPILLARY_")}
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "importer",
            "run",
            str(src),
            "--mapping",
            str(mapping),
            "--base-url",
            url,
            "--rpm",
            "0",
            "--out",
            str(cwd / "out"),
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("dotenv", "environ", "code", "base"),
    [
        ("CAPILLARY_USERNAME=demo\nCAPILLARY_PASSWORD=demo123\n", {}, 0, 91_000),
        (
            "CAPILLARY_USERNAME=demo\nCAPILLARY_PASSWORD=Wr0ngPa55\n",
            {"CAPILLARY_PASSWORD": "demo123"},
            0,
            91_100,
        ),
        (
            "CAPILLARY_USERNAME=demo\nCAPILLARY_PASSWORD=demo123\n",
            {"CAPILLARY_PASSWORD": "Wr0ngPa55"},
            3,
            91_200,
        ),
        ("CAPILLARY_OAUTH_KEY=demo-key\nCAPILLARY_OAUTH_SECRET=demo-secret\n", {}, 0, 91_300),
    ],
)
def test_credentials_come_from_dotenv_under_the_environment(
    emulator, mapping, tmp_path, dotenv, environ, code, base
):
    (tmp_path / ".env").write_text(dotenv)
    src = write_csv(
        tmp_path / "in.csv",
        member_rows(2, base=base),
    )
    done = _run(tmp_path, environ, src, mapping, emulator.url)
    assert done.returncode == code, done.stderr
    everything = (
        done.stdout
        + done.stderr
        + "".join(
            p.read_text(errors="replace")
            for p in (tmp_path / "out").rglob("*")
            if p.is_file() and p.suffix in {".log", ".json", ".csv", ".html"}
        )
    )
    for secret in ("demo123", "demo-secret", "Wr0ngPa55"):
        assert secret not in everything


def test_no_credentials_is_a_clear_usage_error(mapping, tmp_path):
    src = write_csv(tmp_path / "in.csv", member_rows(1))
    done = _run(tmp_path, {}, src, mapping, "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "CAPILLARY_USERNAME" in done.stderr and "Traceback" not in done.stderr
