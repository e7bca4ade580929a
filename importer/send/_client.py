"""The API client: adds and lookups over a small transport interface (aiohttp in production).

The client knows URLs, headers and authentication; it does not judge answers (``_verdicts``
does) and does not retry (``_attempt`` does), except to resend once after an OAuth token refresh.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp

from importer._exceptions import TransportError
from importer.send._auth import (
    TOKEN_PATH,
    Auth,
    BasicAuth,
    Credentials,
    OAuthTokens,
    token_from_answer,
)
from importer.send._verdicts import parse_body

ADD_PATH = "/v2/customers"
LOOKUP_PATH = "/v2/customers/lookup"
REQUEST_ID_HEADER = "X-Cap-Requestid"
USER_AGENT = "capillary-importer"


@dataclass(frozen=True, slots=True)
class RawResponse:
    """What came back on the wire."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    """Sends one HTTP request; raises TransportError when no answer came."""

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float,
    ) -> RawResponse: ...

    async def close(self) -> None: ...


class AiohttpTransport:
    """The production transport: one pooled aiohttp session."""

    def __init__(self, *, connections: int = 100) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, raise_for_status=False)
        return self._session

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float,
    ) -> RawResponse:
        session = self._get_session()
        try:
            async with session.request(
                method,
                url,
                headers=dict(headers),
                data=body,
                params=params,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                raw = await response.read()
                return RawResponse(response.status, dict(response.headers), raw)
        except aiohttp.ClientConnectorError as exc:
            # the connection was never made: nothing reached the server
            raise TransportError(f"cannot connect: {exc.os_error or exc}", sent=False) from None
        except TimeoutError:
            raise TransportError(f"no answer within {timeout:g} s", sent=True) from None
        except aiohttp.InvalidURL as exc:
            raise TransportError(f"invalid URL {exc}", sent=False) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise TransportError(
                f"connection lost: {type(exc).__name__} {exc}".strip(), sent=True
            ) from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


@dataclass(frozen=True, slots=True)
class ApiAnswer:
    """One answer: status, headers, the parsed JSON body (None if not JSON) and its request id."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def request_id(self) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == REQUEST_ID_HEADER.lower():
                return value
        return None


class Client:
    """Talks to one Capillary host with one set of credentials."""

    def __init__(
        self,
        base_url: str,
        transport: Transport,
        credentials: Credentials,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.timeout = timeout
        self._extra = dict(headers or {})
        self.auth: Auth
        if credentials.kind == "oauth":
            self.auth = OAuthTokens(credentials.name, credentials.secret, self._fetch_token)
        else:
            self.auth = BasicAuth(credentials.name, credentials.secret)

    async def _fetch_token(self, key: str, secret: str) -> tuple[str, float]:
        body = json.dumps({"key": key, "secret": secret}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        raw = await self.transport.send(
            "POST", self.base_url + TOKEN_PATH, headers=headers, body=body, timeout=self.timeout
        )
        return token_from_answer(raw.status, parse_body(raw.body))

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        params: Mapping[str, str] | None = None,
    ) -> ApiAnswer:
        for _ in range(2):
            auth = await self.auth.headers()
            headers = {
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
                **self._extra,
                **auth,
            }
            if body is not None:
                headers["Content-Type"] = "application/json"
            raw = await self.transport.send(
                method,
                self.base_url + path,
                headers=headers,
                body=body,
                params=params,
                timeout=self.timeout,
            )
            # a 401 with a token we can renew is not the row's fault: renew and resend once
            if raw.status != 401 or not await self.auth.refresh(auth):
                break
        return ApiAnswer(raw.status, raw.headers, parse_body(raw.body))

    async def add(self, payload: Mapping[str, Any]) -> ApiAnswer:
        """``POST /v2/customers``; raises TransportError when no answer came."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return await self._call("POST", ADD_PATH, body=body)

    async def lookup(
        self, source: str, identifier_type: str, value: str, account_id: str | None = None
    ) -> ApiAnswer:
        """``GET /v2/customers/lookup`` for one identifier."""
        params = {"source": source, "identifierName": identifier_type, "identifierValue": value}
        if account_id:
            params["accountId"] = account_id
        return await self._call("GET", LOOKUP_PATH, params=params)

    async def read(self, path: str, params: Mapping[str, str] | None = None) -> ApiAnswer:
        """A read-only ``GET`` of another endpoint (the org's field configuration)."""
        return await self._call("GET", path, params=params)

    async def close(self) -> None:
        await self.transport.close()
