"""The emulator's routes: the vendor's endpoints plus ``/_emulator/`` endpoints for tests."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from importer.emulator import _effects
from importer.emulator import _http as http
from importer.emulator import _orgfields as orgfields
from importer.emulator import _rules as rules
from importer.emulator import _shape as shape
from importer.emulator._auth import Authenticator, Refusal
from importer.emulator._faults import AMBIGUOUS_DROP, TRANSIENT_MESSAGES, Faults
from importer.emulator._http import TOKEN_PATH
from importer.emulator._org import SOURCES, Org
from importer.emulator._rules import Problem
from importer.emulator._store import Store
from importer.emulator._window import PeakCounter, SlidingWindow, retry_after_header

ADD_PATH = "/v2/customers"
LOOKUP_PATH = "/v2/customers/lookup"

#: the org's field configuration, by path (``None``: the org does not answer it)
ORG_ANSWERS: dict[str, Callable[[Org], dict[str, Any] | None]] = {
    "/v2/extendedFields": orgfields.extended_fields_answer,
    "/v2/organization/customFields": orgfields.custom_fields_answer,
    "/v2/entity/extendedFieldConfig": orgfields.field_config_answer,
}

#: request headers recorded with the customer (matched by prefix, case-insensitively).
RECORDED_HEADERS = ("USER-CONTEXT-", "SKIP-DOWNSTREAM", "X-CAP-API-ATTRIBUTION-")


@dataclass
class Stats:
    """Counters for ``GET /_emulator/stats``; in memory, cleared by a reset."""

    requests_by_path: Counter[str] = field(default_factory=Counter)
    adds_attempted: int = 0
    adds_counted: int = 0
    customers_created: int = 0
    adds_combined_8050: int = 0
    adds_rejected_by_code: Counter[str] = field(default_factory=Counter)
    rate_limited_429: int = 0
    faults_injected: Counter[str] = field(default_factory=Counter)
    ambiguous_answers: Counter[str] = field(default_factory=Counter)
    auth_refused: Counter[str] = field(default_factory=Counter)
    lookups: Counter[str] = field(default_factory=Counter)
    tokens_issued: int = 0
    #: extended or custom values left out of created customers with a warning (8071, 8072)
    field_values_dropped: int = 0
    #: exceptions the handlers did not foresee (answered as JSON 500s): a bug when not 0
    internal_errors: int = 0

    def as_json(self, peak: PeakCounter, store: Store) -> dict[str, Any]:
        out = {k: dict(v) if isinstance(v, Counter) else v for k, v in vars(self).items()}
        out["adds_by_identifier_conflict"] = {
            "same_source_8006": self.adds_rejected_by_code.get(str(rules.ALREADY_EXISTS), 0),
            "other_source_8050": self.adds_combined_8050,
            "several_customers_8028": self.adds_rejected_by_code.get(
                str(rules.SEEMS_REGISTERED), 0
            ),
        }
        out["faults_injected_total"] = sum(self.faults_injected.values())
        out["max_adds_in_60s"] = peak.peak
        out["window_seconds"] = peak.length
        out["customers_stored"] = store.count()
        return out


class Emulator:
    """The emulator's state and handlers; ``app()`` wires them into an aiohttp application."""

    def __init__(
        self,
        org: Org,
        store: Store,
        *,
        faults: Faults | None = None,
        rpm: int | None = None,
        window_seconds: float = 60.0,
        error_status: int = 400,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.org = org
        self.store = store
        self.faults = faults or Faults()
        self.window = SlidingWindow(rpm, window_seconds)
        self.peak = PeakCounter(window_seconds)
        self.error_status = error_status
        self.auth = Authenticator(org)
        self.stats = Stats()
        # the loop's clock by default, so tests can patch it instead of sleeping
        self._clock = clock
        self._waiters: list[asyncio.Future[None]] = []

    def app(self) -> web.Application:
        """The aiohttp application serving every route."""
        app = web.Application(
            middlewares=[http.json_errors(self._crashed)], client_max_size=4 * 1024 * 1024
        )
        app.on_response_prepare.append(http.request_id)
        app.router.add_post(ADD_PATH, self.add)
        app.router.add_get(LOOKUP_PATH, self.lookup)
        for path in ORG_ANSWERS:
            app.router.add_get(path, self.org_config)
        app.router.add_post(TOKEN_PATH, self.token)
        app.router.add_get("/_emulator/customers", self.admin_customers)
        app.router.add_get("/_emulator/stats", self.admin_stats)
        app.router.add_post("/_emulator/reset", self.admin_reset)
        app.router.add_get("/_emulator/health", self.admin_health)
        return app

    def _committed(self) -> asyncio.Future[None]:
        """Wait for one COMMIT shared by every add stored in this loop iteration.

        Answers wait for it, so no add is acknowledged before it is durable, yet a busy server
        does not pay one commit per add.
        """
        loop = asyncio.get_running_loop()
        if not self._waiters:
            loop.call_soon(self._flush)
        # one future per add: a cancelled handler cancels only its own
        waiter = loop.create_future()
        self._waiters.append(waiter)
        return waiter

    def _flush(self) -> None:
        waiters, self._waiters = self._waiters, []
        try:
            self.store.commit()
        except sqlite3.Error as exc:
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_exception(exc)
        else:
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def _crashed(self) -> None:
        self.stats.internal_errors += 1

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    def _errors(self, *problems: Problem, status: int | None = None) -> web.Response:
        return web.json_response(
            rules.error_body(problems), status=status or self.error_status, dumps=http.dumps
        )

    def _refused(self, refusal: Refusal) -> web.Response:
        self.stats.auth_refused[str(refusal.status)] += 1
        return self._errors(Problem(refusal.status, refusal.message), status=refusal.status)

    def _transient(self, status: int) -> web.Response:
        self.stats.faults_injected[str(status)] += 1
        return self._errors(Problem(status, TRANSIENT_MESSAGES[status]), status=status)

    async def _delay(self) -> None:
        delay = self.faults.delay()
        if delay > 0:
            await asyncio.sleep(delay)

    # -- vendor endpoints ------------------------------------------------------------------------

    async def add(self, request: web.Request) -> web.StreamResponse:
        """``POST /v2/customers``: auth, rate limit, faults, then the rules and the store."""
        self.stats.requests_by_path[ADD_PATH] += 1
        self.stats.adds_attempted += 1
        who = self.auth.check(request.headers)
        if isinstance(who, Refusal):
            return self._refused(who)
        now = self._now()
        wait = self.window.acquire(who.key, now)
        if wait is not None:
            self.stats.rate_limited_429 += 1
            response = self._errors(
                Problem(429, "Rate limit exceeded, try again later"), status=429
            )
            response.headers["Retry-After"] = retry_after_header(wait)
            return response
        # counted on arrival: the latency below delays the answer, not the add
        self.peak.record(now)
        self.stats.adds_counted += 1
        status = self.faults.transient()
        if status is not None:
            await self._delay()
            return self._transient(status)
        response = await self._register(request)
        lost = self.faults.ambiguous()
        await self._delay()
        if lost is None:
            return response
        self.stats.ambiguous_answers[lost] += 1
        if lost == AMBIGUOUS_DROP:
            return http.drop(request)
        return self._errors(Problem(504, TRANSIENT_MESSAGES[504]), status=504)

    async def _register(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            self.stats.adds_rejected_by_code["415"] += 1
            return self._errors(
                Problem(415, f"Unsupported content type {request.content_type!r}: send JSON"),
                status=415,
            )
        try:
            body = shape.parse(await request.read())
        except shape.Unreadable as exc:
            return self._rejected([exc.problem], status=shape.UNREADABLE)
        # types first: the rules and the store then only meet values they can handle
        unreadable = shape.add_problems(body)
        if unreadable:
            return self._rejected(unreadable, status=shape.UNREADABLE)
        checked = rules.check(body, self.org)
        if isinstance(checked, list):
            return self._rejected(checked)
        field_errors, field_warnings, dropped = orgfields.apply_fields(body, self.org)
        if field_errors:
            return self._rejected(field_errors)
        headers = {
            name: v
            for k, v in request.headers.items()
            if (name := k.upper()).startswith(RECORDED_HEADERS)
        }
        for _ in range(2):
            plan = self.store.plan(checked)
            if plan.refuse is not None:
                return self._rejected([plan.refuse])
            if plan.join is not None:
                warnings, effects, referrer = list(plan.warnings), [], None
            else:
                warnings = rules.creation_warnings(checked, self.org)
                referrer = self.store.referrer(checked.referral_code)
            try:
                if plan.join is None:
                    next_id = self.store.next_id
                    effects = _effects.side_effects(checked, next_id, referrer, self.org)
                    awarded = _effects.awarded(effects, next_id)
                else:
                    awarded = {}
                customer_id = self.store.add(
                    checked, plan, headers, referrer, awarded, commit=False
                )
            except sqlite3.IntegrityError:
                continue  # taken meanwhile: plan again, which now refuses or joins
            try:
                await self._committed()
            except sqlite3.Error as exc:
                return self._errors(
                    Problem(500, f"Could not store the customer: {exc}"), status=500
                )
            if plan.join is None:
                self.stats.customers_created += 1
            else:
                self.stats.adds_combined_8050 += 1
            warnings += field_warnings
            self.stats.field_values_dropped += dropped
            return web.json_response(
                {
                    "createdId": customer_id,
                    "warnings": [w.as_json() for w in warnings],
                    "sideEffects": effects,
                },
                dumps=http.dumps,
            )
        return self._errors(Problem(500, "Could not store the customer"), status=500)

    def _rejected(self, problems: list[Problem], status: int | None = None) -> web.Response:
        for problem in problems:
            self.stats.adds_rejected_by_code[str(problem.code)] += 1
        return self._errors(*problems, status=status)

    async def lookup(self, request: web.Request) -> web.StreamResponse:
        """``GET /v2/customers/lookup``: the customer id registered with one identifier."""
        self.stats.requests_by_path[LOOKUP_PATH] += 1
        who = self.auth.check(request.headers)
        if isinstance(who, Refusal):
            return self._refused(who)
        status = self.faults.transient()
        await self._delay()
        if status is not None:
            return self._transient(status)
        query = request.query
        source = query.get("source", "").strip()
        kind = query.get("identifierName", "").strip()
        value = query.get("identifierValue", "").strip()
        if not source:
            return self._errors(Problem(rules.NO_SOURCE, "Source is not passed"))
        if source not in SOURCES:
            return self._errors(Problem(rules.INVALID_SOURCE, f"Source is invalid: {source}"))
        if not kind or not value:
            return self._errors(
                Problem(rules.NO_IDENTIFIER, "identifierName and identifierValue are required")
            )
        account = query.get("accountId")
        found = self.store.lookup(source, kind, value, account.strip() if account else None)
        if found is None:
            self.stats.lookups["not_found"] += 1
            return self._errors(Problem(rules.NOT_FOUND, "Customer not found"))
        self.stats.lookups["found"] += 1
        # the customer's creation time, named as the vendor names it on its other entities
        # (``createdOnISO``): a client may tell a customer it created from one it found
        body = {"entity": found, "createdOnISO": self.store.created_at(found), "warnings": []}
        return web.json_response(body, dumps=http.dumps)

    async def org_config(self, request: web.Request) -> web.Response:
        """The org's field configuration: extended fields, custom fields, their settings."""
        self.stats.requests_by_path[request.path] += 1
        who = self.auth.check(request.headers)
        if isinstance(who, Refusal):
            return self._refused(who)
        answer = ORG_ANSWERS[request.path](self.org)
        if answer is None:
            return self._errors(
                Problem(404, f"{request.path} is not enabled for the org"), status=404
            )
        return web.json_response(answer, dumps=http.dumps)

    async def token(self, request: web.Request) -> web.Response:
        """``POST /v3/oauth/token/generate``: a token for a known key and secret."""
        self.stats.requests_by_path[TOKEN_PATH] += 1
        try:
            body = shape.parse(await request.read())
        except shape.Unreadable as exc:
            return http.token_error(400, str(exc))
        if not isinstance(body, dict):
            return http.token_error(400, "Request body must be a JSON object with key and secret")
        token = self.auth.issue(body.get("key"), body.get("secret"))
        if token is None:
            self.stats.auth_refused["401"] += 1
            return http.token_error(401, "Invalid key or secret")
        self.stats.tokens_issued += 1
        ttl = self.auth.ttl
        return web.json_response(
            {
                "data": {"accessToken": token, "ttlSeconds": int(ttl) if ttl == int(ttl) else ttl},
                "errors": None,
            },
            dumps=http.dumps,
        )

    # -- emulator endpoints ------------------------------------------------------------------------

    async def admin_customers(self, request: web.Request) -> web.Response:
        """Every customer with source accounts, identifiers and recorded headers."""
        try:
            limit = _whole(request.query.get("limit"))
            offset = _whole(request.query.get("offset")) or 0
        except ValueError:
            return self._errors(
                Problem(400, "limit and offset must be whole numbers from 0 to 2^63-1"), status=400
            )
        customers = self.store.customers(limit, offset)
        return web.json_response(
            {"customers": customers, "total": self.store.count(), "offset": offset},
            dumps=http.dumps,
        )

    async def admin_stats(self, request: web.Request) -> web.Response:
        """Counters since start or the last reset."""
        return web.json_response(self.stats.as_json(self.peak, self.store), dumps=http.dumps)

    async def admin_reset(self, request: web.Request) -> web.Response:
        """Forget customers, counters and the rate-limit window (tokens stay valid)."""
        self.store.reset()
        self.stats = Stats()
        self.window.reset()
        self.peak.reset()
        return web.json_response({"reset": True})

    async def admin_health(self, request: web.Request) -> web.Response:
        """Liveness."""
        return web.json_response({"status": "ok"})


def _whole(text: str | None) -> int | None:
    """A paging number: plain digits (not "1_0" or " 5") that SQLite's 64-bit LIMIT takes."""
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > shape.LONG_MAX:
        raise ValueError(text)
    return int(text)
