"""Basic and OAuth credentials: header shapes, refresh timing, and secrets that never show."""

from __future__ import annotations

import base64

import pytest

from importer._exceptions import AuthError, ConfigError
from importer.send._auth import (
    TOKEN_HEADER,
    BasicAuth,
    Credentials,
    OAuthTokens,
    Secret,
    basic_header,
    token_from_answer,
)


def test_basic_header_carries_the_md5_of_the_password() -> None:
    # the vendor's worked example, to the letter
    header = basic_header("store123", "Pass123")
    assert header == "Basic c3RvcmUxMjM6MmYyM2ZhMzU3OWYzZjc1MTc1NzkzNjQ5MTE1YzFiMjU="
    assert header == "Basic " + base64.b64encode(b"store123:" + MD5_PASS123).decode()
    assert "Pass123" not in base64.b64decode(header.split()[1]).decode()


MD5_PASS123 = b"2f23fa3579f3f75175793649115c1b25"


async def test_basic_auth_never_refreshes() -> None:
    auth = BasicAuth("store123", Secret("Pass123"))
    headers = await auth.headers()
    assert headers["Authorization"].startswith("Basic ")
    assert await auth.refresh(headers) is False


def test_secret_never_shows() -> None:
    secret = Secret("hunter2")
    creds = Credentials("basic", "demo", secret)
    assert "hunter2" not in repr(creds) and "hunter2" not in str(secret)
    assert "hunter2" not in f"{secret}"
    assert secret.reveal() == "hunter2"


@pytest.mark.parametrize(
    ("env", "kind"),
    [
        ({"CAPILLARY_USERNAME": "u", "CAPILLARY_PASSWORD": "p"}, "basic"),
        ({"CAPILLARY_OAUTH_KEY": "k", "CAPILLARY_OAUTH_SECRET": "s"}, "oauth"),
        (
            {
                "CAPILLARY_USERNAME": "u",
                "CAPILLARY_PASSWORD": "p",
                "CAPILLARY_OAUTH_KEY": "k",
                "CAPILLARY_OAUTH_SECRET": "s",
            },
            "oauth",
        ),
    ],
)
def test_credentials_from_env(env: dict[str, str], kind: str) -> None:
    assert Credentials.from_env(env).kind == kind


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "CAPILLARY_USERNAME"),
        ({"CAPILLARY_USERNAME": "u"}, "CAPILLARY_PASSWORD"),
        ({"CAPILLARY_OAUTH_SECRET": "s"}, "CAPILLARY_OAUTH_KEY"),
    ],
)
def test_missing_credentials_are_a_config_error(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Credentials.from_env(env)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_oauth_token_is_fetched_once_and_renewed_before_expiry() -> None:
    clock = Clock()
    issued: list[str] = []

    async def fetch(key: str, secret: str) -> tuple[str, float]:
        assert (key, secret) == ("k", "s")
        issued.append(f"t{len(issued)}")
        return issued[-1], 100.0

    tokens = OAuthTokens("k", Secret("s"), fetch, clock=clock)
    assert await tokens.headers() == {TOKEN_HEADER: "t0"}
    clock.now = 50
    assert await tokens.headers() == {TOKEN_HEADER: "t0"}
    clock.now = 81  # inside the last fifth of the lifetime: renewed before it dies
    assert await tokens.headers() == {TOKEN_HEADER: "t1"}
    assert len(issued) == 2


async def test_oauth_refreshes_once_per_token_after_a_401() -> None:
    count = 0

    async def fetch(key: str, secret: str) -> tuple[str, float]:
        nonlocal count
        count += 1
        return f"t{count}", 300.0

    tokens = OAuthTokens("k", Secret("s"), fetch, clock=Clock())
    stale = await tokens.headers()
    assert await tokens.refresh(stale) is True
    fresh = await tokens.headers()
    assert fresh != stale
    # another worker reporting a 401 with the old token: already renewed, just resend
    assert await tokens.refresh(stale) is True
    assert await tokens.refresh(fresh) is True  # the new token's one refresh
    assert await tokens.refresh(await tokens.headers()) is True
    assert count == 4


async def test_oauth_a_second_401_on_the_refreshed_token_is_final() -> None:
    async def fetch(key: str, secret: str) -> tuple[str, float]:
        return "same", 300.0  # the server keeps giving a token it then refuses

    tokens = OAuthTokens("k", Secret("s"), fetch, clock=Clock())
    stale = await tokens.headers()
    assert await tokens.refresh(stale) is True
    assert await tokens.refresh(await tokens.headers()) is False


def test_token_from_answer() -> None:
    body = {"data": {"accessToken": "abc", "ttlSeconds": 300}, "errors": None}
    assert token_from_answer(200, body) == ("abc", 300.0)
    with pytest.raises(AuthError, match="refused"):
        token_from_answer(401, {"data": None, "errors": [{"code": 401}]})
