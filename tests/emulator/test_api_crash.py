"""An exception nobody foresaw still leaves as a JSON error (in process, to plant the bug)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from emulator_helpers import AUTH, add_body, fresh_mobile

from importer.emulator import _rules
from importer.emulator._app import Emulator
from importer.emulator._auth import Authenticator
from importer.emulator._org import DEFAULT_OAUTH_KEY, DEFAULT_OAUTH_SECRET, Org
from importer.emulator._store import Store


@contextlib.asynccontextmanager
async def serving(tmp_path: Path) -> AsyncIterator[TestClient]:
    # in the test's own loop, like test_the_window_slides_with_the_clock
    store = Store(tmp_path / "crash.sqlite3")
    try:
        async with TestClient(TestServer(Emulator(Org(), store).app())) as client:
            yield client
    finally:
        store.close()


def boom(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("planted bug")


async def test_a_bug_in_an_add_is_a_json_500_in_the_vendor_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_rules, "check", boom)
    body = add_body(("mobile", fresh_mobile()))
    async with serving(tmp_path) as client:
        response = await client.post("/v2/customers", json=body, headers=AUTH)
        assert (response.status, response.content_type) == (500, "application/json")
        assert response.headers["X-Cap-Requestid"]
        answer = await response.json()
        stats = await (await client.get("/_emulator/stats")).json()
    assert answer == {
        "errors": [
            {
                "status": False,
                "code": 500,
                "message": "Emulator bug: ZeroDivisionError: planted bug",
            }
        ],
        "warnings": [],
    }
    assert "planted bug" in capsys.readouterr().err  # the traceback, for whoever fixes it
    assert stats["internal_errors"] == 1


async def test_a_bug_in_the_token_call_is_a_json_500_in_the_token_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Authenticator, "issue", boom)
    credentials = {"key": DEFAULT_OAUTH_KEY, "secret": DEFAULT_OAUTH_SECRET}
    async with serving(tmp_path) as client:
        response = await client.post("/v3/oauth/token/generate", json=credentials)
        assert response.status == 500
        body = await response.json()
    assert body["data"] is None and body["errors"][0]["code"] == 500


async def test_without_a_bug_nothing_is_counted(tmp_path: Path) -> None:
    async with serving(tmp_path) as client:
        body = add_body(("mobile", fresh_mobile()))
        assert (await client.post("/v2/customers", json=body, headers=AUTH)).status == 200
        too_big = await client.post("/v3/oauth/token/generate", data=b"x" * (5 * 1024 * 1024))
        assert too_big.status == 413
        assert (await too_big.json())["data"] is None  # aiohttp's own errors keep the token shape
        stats = await (await client.get("/_emulator/stats")).json()
    assert stats["internal_errors"] == 0
