"""Basic (MD5 of the password) and OAuth token authentication, as the vendor's API notes say."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from importer.emulator._org import Org

TOKEN_HEADER = "X-CAP-API-OAUTH-TOKEN"


@dataclass(frozen=True)
class Principal:
    """Who is calling; ``key`` is what the rate limit counts by."""

    key: str


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: 401 (who are you?) or 403 (not allowed)."""

    status: int
    message: str


def md5_hex(password: str) -> str:
    """Lowercase hex MD5, what Basic auth carries instead of the password."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def basic_auth_header(user: str, password: str) -> str:
    """The ``Authorization`` value for a till user: base64 of ``user:md5hex(password)``."""
    raw = f"{user}:{md5_hex(password)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authenticator:
    """Checks request headers against the org's credentials and issues signed tokens."""

    def __init__(self, org: Org, clock: Callable[[], float] = time.time) -> None:
        self._users = {u.username: u for u in org.auth.users}
        self._clients = {c.key: c for c in org.auth.oauth_clients}
        self.ttl = org.auth.token_ttl_seconds
        self._clock = clock
        # Authorization value -> verdict: the org is fixed, so a header always gets the same one
        self._basic: dict[str, Principal | Refusal] = {}
        # tokens die with the process, like a rotated signing key
        self._secret = secrets.token_bytes(32)

    def issue(self, key: object, secret: object) -> str | None:
        """A JWT-shaped token for a known client, or None."""
        client = self._clients.get(key) if isinstance(key, str) else None
        if client is None or not isinstance(secret, str):
            return None
        if not hmac.compare_digest(client.secret.encode(), secret.encode()):
            return None
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {"sub": client.key, "exp": self._clock() + self.ttl, "jti": secrets.token_hex(8)}
        payload = _b64(json.dumps(claims).encode())
        return f"{header}.{payload}.{self._sign(header, payload)}"

    def _sign(self, header: str, payload: str) -> str:
        mac = hmac.new(self._secret, f"{header}.{payload}".encode(), hashlib.sha256)
        return _b64(mac.digest())

    def check(self, headers: Mapping[str, str]) -> Principal | Refusal:
        """Who the headers authenticate, or why not."""
        token = headers.get(TOKEN_HEADER)
        if token is not None:
            return self._check_token(token)
        authorization = headers.get("Authorization")
        if authorization is None:
            return Refusal(401, "Authentication required: Basic or X-CAP-API-OAUTH-TOKEN")
        verdict = self._basic.get(authorization)
        if verdict is None:
            verdict = self._check_basic(authorization)
            if len(self._basic) < 1024:  # bounded: garbage headers must not grow it forever
                self._basic[authorization] = verdict
        return verdict

    def _check_token(self, token: str) -> Principal | Refusal:
        if not token.isascii():  # compare_digest refuses non-ASCII text; no token of ours has any
            return Refusal(401, "Invalid OAuth token")
        try:
            header, payload, signature = token.split(".")
            good = hmac.compare_digest(signature, self._sign(header, payload))
            claims = json.loads(_unb64(payload)) if good else None
        except (ValueError, binascii.Error, UnicodeDecodeError):
            claims = None
        if not isinstance(claims, dict):
            return Refusal(401, "Invalid OAuth token")
        if self._clock() >= claims.get("exp", 0):
            return Refusal(401, "OAuth token expired")
        client = self._clients.get(claims.get("sub"))
        if client is None:
            return Refusal(401, "Invalid OAuth token")
        if not client.access:
            return Refusal(403, f"Client {client.key} has no access to this resource")
        return Principal(key=f"oauth:{client.key}")

    def _check_basic(self, authorization: str) -> Principal | Refusal:
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            return Refusal(401, "Unsupported authorization scheme")
        try:
            user, sep, digest = (
                base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
            )
        except ValueError:  # binascii.Error, UnicodeDecodeError, and non-ASCII input to b64decode
            return Refusal(401, "Malformed Basic credentials")
        known = self._users.get(user)
        if not sep or known is None:
            return Refusal(401, "Invalid username or password")
        if not hmac.compare_digest(digest.encode(), md5_hex(known.password).encode()):
            return Refusal(401, "Invalid username or password")
        if not known.access:
            return Refusal(403, f"User {user} has no access to this resource")
        return Principal(key=f"basic:{user}")
