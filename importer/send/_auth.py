"""Credentials: Basic (user and the MD5 of the password) or an OAuth token kept fresh.

Secrets live in ``Secret`` objects whose ``repr`` and ``str`` hide them, so a log line or a
traceback that prints one shows ``'***'``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from importer._exceptions import AuthError, ConfigError

TOKEN_HEADER = "X-CAP-API-OAUTH-TOKEN"
TOKEN_PATH = "/v3/oauth/token/generate"


class Secret:
    """A string that never shows itself: ``reveal()`` is the only way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def md5_hex(password: str) -> str:
    """Lowercase hex MD5 of the password: what Basic auth carries instead of it."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def basic_header(user: str, password: str) -> str:
    """``Authorization`` value: ``Basic base64(user:md5hex(password))``."""
    raw = f"{user}:{md5_hex(password)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class Credentials:
    """What the environment gave: a Basic user or an OAuth client (never both in use)."""

    kind: str  # "basic" or "oauth"
    name: str  # the user name or OAuth key: safe to show
    secret: Secret

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Credentials:
        """Read ``CAPILLARY_USERNAME``/``_PASSWORD`` or ``CAPILLARY_OAUTH_KEY``/``_SECRET``."""
        key, secret = environ.get("CAPILLARY_OAUTH_KEY"), environ.get("CAPILLARY_OAUTH_SECRET")
        user, password = environ.get("CAPILLARY_USERNAME"), environ.get("CAPILLARY_PASSWORD")
        if key and secret:
            return cls("oauth", key, Secret(secret))
        if user and password:
            return cls("basic", user, Secret(password))
        if key or secret:
            raise ConfigError("set both CAPILLARY_OAUTH_KEY and CAPILLARY_OAUTH_SECRET")
        if user or password:
            raise ConfigError("set both CAPILLARY_USERNAME and CAPILLARY_PASSWORD")
        raise ConfigError(
            "no credentials: set CAPILLARY_USERNAME and CAPILLARY_PASSWORD (Basic) or"
            " CAPILLARY_OAUTH_KEY and CAPILLARY_OAUTH_SECRET (OAuth), in the environment or .env"
        )


class BasicAuth:
    """Basic credentials: the same header forever, nothing to refresh."""

    def __init__(self, user: str, password: Secret) -> None:
        self._header = basic_header(user, password.reveal())

    async def headers(self) -> dict[str, str]:
        return {"Authorization": self._header}

    async def refresh(self, stale: Mapping[str, str]) -> bool:
        """Nothing to refresh: a 401 is final."""
        return False


#: fetch(key, secret) -> (token, ttl seconds); raises AuthError when the server refuses.
TokenFetcher = Callable[[str, str], Awaitable[tuple[str, float]]]


class OAuthTokens:
    """An OAuth token fetched on demand, renewed before it expires and once after a 401."""

    def __init__(
        self,
        key: str,
        secret: Secret,
        fetch: TokenFetcher,
        *,
        early: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._key = key
        self._secret = secret
        self._fetch = fetch
        self._early = early
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()
        self._refreshed_for: str | None = None
        self.fetches = 0

    async def _renew(self) -> None:
        token, ttl = await self._fetch(self._key, self._secret.reveal())
        self.fetches += 1
        self._token = token
        # renew at 80% of the lifetime (at least a second early) so no request carries a dead one
        self._renew_at = self._clock() + max(0.0, ttl - max(1.0, ttl * self._early))

    async def headers(self) -> dict[str, str]:
        if self._token is None or self._clock() >= self._renew_at:
            async with self._lock:
                if self._token is None or self._clock() >= self._renew_at:
                    await self._renew()
        assert self._token is not None
        return {TOKEN_HEADER: self._token}

    async def refresh(self, stale: Mapping[str, str]) -> bool:
        """After a 401 sent with ``stale`` headers: renew the token once; False if done already."""
        used = stale.get(TOKEN_HEADER)
        async with self._lock:
            if used != self._token:
                return True  # someone else renewed it meanwhile
            if self._refreshed_for == used:
                return False
            self._refreshed_for = used
            await self._renew()
            return True


Auth = BasicAuth | OAuthTokens


def token_from_answer(status: int, body: object) -> tuple[str, float]:
    """``(token, ttlSeconds)`` from a token answer; AuthError when the server refused."""
    data = body.get("data") if isinstance(body, dict) else None
    token = data.get("accessToken") if isinstance(data, dict) else None
    if status >= 400 or not isinstance(token, str) or not token:
        raise AuthError(f"the OAuth token request was refused (HTTP {status}): check the key")
    ttl = data.get("ttlSeconds") if isinstance(data, dict) else None
    try:
        seconds = float(ttl) if ttl is not None else 300.0
    except (TypeError, ValueError):
        seconds = 300.0
    return token, seconds
