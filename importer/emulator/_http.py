"""HTTP plumbing shared by the routes: JSON encoding, the error shapes and the middleware."""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web

from importer.emulator._rules import Problem, error_body

TOKEN_PATH = "/v3/oauth/token/generate"

# one encoder: json.dumps with any option builds a new encoder per call
dumps = json.JSONEncoder(separators=(",", ":")).encode


def token_error(status: int, message: str) -> web.Response:
    """The token endpoint's error shape: ``{"data": null, "errors": [...]}``."""
    body = {"data": None, "errors": [Problem(status, message).as_json()]}
    return web.json_response(body, status=status, dumps=dumps)


def error(
    path: str, status: int, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """A request-level error in the shape of the endpoint that was asked."""
    if path == TOKEN_PATH:
        response = token_error(status, message)
        response.headers.update(headers or {})
        return response
    body = error_body([Problem(status, message)])
    return web.json_response(body, status=status, headers=headers, dumps=dumps)


def drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering, like a timeout between the API and the client."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise asyncio.CancelledError


async def request_id(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer carries a unique ``X-Cap-Requestid``, as the vendor's do."""
    response.headers["X-Cap-Requestid"] = uuid.uuid4().hex


def json_errors(on_crash: Callable[[], None]) -> Any:
    """Middleware: every error leaves as JSON in the vendor's shape, even an emulator bug.

    Unknown paths and methods (404, 405) and oversized bodies (413) come from aiohttp as
    exceptions. Any other exception is a bug in the emulator: its traceback goes to stderr,
    ``on_crash`` counts it, and the client still gets a JSON 500 rather than a text page.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            allow = exc.headers.get("Allow")
            return error(request.path, exc.status, exc.reason, {"Allow": allow} if allow else {})
        except Exception as exc:  # CancelledError is a BaseException: dropped answers pass
            on_crash()
            traceback.print_exc(file=sys.stderr)
            text = f"{type(exc).__name__}: {exc}"
            return error(request.path, 500, f"Emulator bug: {text[:200]}")

    return middleware
