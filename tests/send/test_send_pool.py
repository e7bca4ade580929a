"""The pool on its own, with hand-made rows, against the real emulator over a real socket."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from importer._exceptions import TransportError
from importer._models import IdentityKey, Outcome, Prepared, Settlement, SourceRow, Work
from importer.emulator import EmulatorProcess
from importer.record._journal import Journal, content_digest
from importer.record._ledger import Ledger
from importer.record._recorder import Recorder
from importer.send._auth import Credentials, Secret
from importer.send._client import AiohttpTransport, Client, RawResponse
from importer.send._policy import Policy, backoff, default_concurrency
from importer.send._sender import Sender
from importer.send._stats import Stats
from importer.send._throttle import Throttle


class LosingTransport(AiohttpTransport):
    """The real transport, except that the first add's answer is lost after the server stored it."""

    def __init__(self) -> None:
        super().__init__(connections=4)
        self.lost = 0

    async def send(self, method: str, url: str, **kwargs: object) -> RawResponse:
        raw = await super().send(method, url, **kwargs)  # type: ignore[arg-type]
        if method == "POST" and url.endswith("/v2/customers") and not self.lost:
            self.lost += 1
            raise TransportError("connection lost: ServerDisconnectedError", sent=True)
        return raw


def row(n: int, keys: bool) -> Prepared:
    mobile = f"9196{n:08d}"
    payload = {
        "profiles": [{"source": "INSTORE", "identifiers": [{"type": "mobile", "value": mobile}]}]
    }
    ids = (IdentityKey("INSTORE", "", "mobile", mobile),) if keys else ()
    return Prepared(SourceRow(n, {"mobile": mobile}), payload, keys=ids)


class Rows:
    """A report writer that keeps the rows in a list."""

    def __init__(self) -> None:
        self.settled: list[Settlement] = []

    def write(self, cells: dict[str, str], settlement: Settlement, run: str) -> None:
        self.settled.append(settlement)


async def send(url: str, journal: Journal, rows: list[Prepared], transport) -> list[Settlement]:  # noqa: ANN001
    report = Rows()
    client = Client(url, transport, Credentials("basic", "demo", Secret("demo123")))
    with Ledger(journal.path.with_name("ledger.sqlite")) as ledger:
        recorder = Recorder(journal, ledger, report, run="run1", job="job", base_url=url)
        sender = Sender(
            client,
            Throttle(None),
            recorder,
            policy=Policy(concurrency=2, backoff_base=0.01),
        )

        async def works():  # noqa: ANN202
            for p in rows:
                yield Work(p, content_digest(p.source.cells))

        await sender.run(works())
    await client.close()
    return report.settled


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    with Journal(tmp_path / "journal.sqlite") as j:
        yield j


async def test_a_lost_answer_is_settled_by_lookup_without_a_second_add(
    emulator: EmulatorProcess, journal: Journal
) -> None:
    emulator.reset()
    (settlement,) = await send(emulator.url, journal, [row(1, keys=True)], LosingTransport())
    (customer,) = emulator.customers()
    # the lookup dates the customer after the row's first request: proof this run created it
    assert settlement.outcome is Outcome.CREATED
    assert settlement.created_id == customer["id"]
    assert settlement.message.startswith("created by this job: a request lost its answer")
    assert emulator.stats()["adds_attempted"] == 1


async def test_8006_after_a_lost_answer_is_reconciled_when_nothing_proves_who_created_it(
    emulator: EmulatorProcess, journal: Journal
) -> None:
    emulator.reset()
    # nothing to look up: the repost answers 8006, and nothing says whose request created it
    (settlement,) = await send(emulator.url, journal, [row(2, keys=False)], LosingTransport())
    (customer,) = emulator.customers()
    assert settlement.outcome is Outcome.RECONCILED
    assert settlement.code == "reconciled"
    assert settlement.created_id == customer["id"]
    assert settlement.message.startswith(
        "the API holds this customer; a request of this run lost its answer and may have "
        "created it (8006: "
    )
    assert emulator.stats()["adds_attempted"] == 2


async def test_8006_after_a_lost_answer_is_dated_by_a_lookup(
    emulator: EmulatorProcess, journal: Journal
) -> None:
    emulator.reset()
    # the repost answers 8006; the lookup that follows carries the customer's creation time
    (settlement,) = await send(emulator.url, journal, [row(6, keys=True)], _LosingAll504())
    (customer,) = emulator.customers()
    assert settlement.outcome is Outcome.CREATED
    assert settlement.created_id == customer["id"]
    assert emulator.stats()["adds_attempted"] == 2 and emulator.stats()["lookups"]["found"] == 1


class _LosingAll504(AiohttpTransport):
    """The first add is stored but answered 504 (a gateway timeout): resent, it answers 8006."""

    def __init__(self) -> None:
        super().__init__(connections=4)
        self.lost = 0

    async def send(self, method: str, url: str, **kwargs: object) -> RawResponse:
        raw = await super().send(method, url, **kwargs)  # type: ignore[arg-type]
        if method == "POST" and url.endswith("/v2/customers") and not self.lost:
            self.lost += 1
            return RawResponse(504, {}, b"")
        return raw


async def test_8006_without_a_lost_answer_is_a_duplicate(
    emulator: EmulatorProcess, journal: Journal
) -> None:
    emulator.reset()
    first = await send(emulator.url, journal, [row(3, keys=True)], AiohttpTransport())
    again = await send(emulator.url, journal, [row(3, keys=True)], AiohttpTransport())
    assert again[0].outcome is Outcome.DUPLICATE
    assert again[0].created_id == first[0].created_id
    assert len(emulator.customers()) == 1


def test_journal_keeps_in_flight_rows_ambiguous(tmp_path: Path) -> None:
    # written before the request leaves: a crash here leaves the row to be looked up
    with Journal(tmp_path / "j.sqlite") as j:
        j.in_flight("d", 4, "p", "run1", 1)
        assert j.get("d").state == "in_flight"


@pytest.mark.parametrize("failures", [1, 2, 5, 12])
def test_backoff_grows_with_jitter_and_a_cap(failures: int) -> None:
    rng = random.Random(failures)
    ceiling = min(30.0, 0.5 * 2 ** (failures - 1))
    waits = [backoff(failures, rng) for _ in range(50)]
    assert all(ceiling / 2 <= w <= ceiling for w in waits)
    assert len(set(waits)) > 1


@pytest.mark.parametrize(
    ("rpm", "expected"), [(None, 32), (100, 8), (600, 20), (1200, 40), (100_000, 256)]
)
def test_default_concurrency_keeps_the_pipe_full(rpm: float | None, expected: int) -> None:
    assert default_concurrency(rpm) == expected


def test_stats_buckets_and_achieved_rate() -> None:
    now = [0.0]
    stats = Stats(clock=lambda: now[0])
    for _ in range(11):
        stats.request()
        now[0] += 1.0
    stats.retry(rate_limited=True)
    stats.request(lookup=True)
    assert stats.requests == 12 and stats.adds == 11
    assert stats.achieved_rpm() == pytest.approx(60.0)  # one add a second
    assert [b.t for b in stats.timeline] == [0.0, 5.0, 10.0]
    assert [b.requests for b in stats.timeline] == [5, 5, 2]
    assert stats.timeline[2].rate_limited == 1


def test_8006_alone_is_a_duplicate_and_a_lost_answer_is_settled_by_the_creation_time() -> None:
    from datetime import UTC, datetime

    from importer.send._verdicts import Duplicate, Retry, after_lost_answer, final_settlement

    work = Work(row(5, keys=True), "d", ambiguous=True)
    duplicate = Duplicate(42, "exists with id 42")
    settlement = final_settlement(work, duplicate, attempts=2, request_id="r")
    assert (settlement.outcome, settlement.created_id, settlement.code) == (
        Outcome.DUPLICATE,
        42,
        "8006",
    )
    assert settlement.attempts == 2 and settlement.request_id == "r"
    assert final_settlement(work, Retry(503, "busy"), attempts=1, request_id=None) is None

    first = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC).timestamp()

    def judged(created: str | None, sent: float | None = first) -> tuple[Outcome, str | None]:
        when = datetime.fromisoformat(created) if created else None
        s = after_lost_answer(
            5,
            42,
            created_at=when,
            first_sent=sent,
            duplicate=duplicate,
            attempts=2,
            request_id=None,
        )
        return s.outcome, s.code

    assert judged("2026-01-01T12:00:00.500+00:00") == (Outcome.CREATED, None)
    assert judged("2026-01-01T11:00:00+00:00") == (Outcome.DUPLICATE, "8006")
    assert judged("2026-01-01T11:59:59.500+00:00") == (Outcome.RECONCILED, "reconciled")
    assert judged(None) == (Outcome.RECONCILED, "reconciled")
    assert judged("2026-01-01T12:00:01+00:00", sent=None) == (Outcome.RECONCILED, "reconciled")


async def test_an_expired_token_is_renewed_once_after_a_401(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path
) -> None:
    import asyncio

    from importer.send._auth import OAuthTokens

    org = tmp_path / "org.yaml"
    org.write_text("auth:\n  token_ttl_seconds: 2\n", encoding="utf-8")
    emu = start_emulator("--org", str(org))
    client = Client(emu.url, AiohttpTransport(), Credentials("oauth", "demo-key", Secret("x")))
    # a clock that never moves: the token is never renewed early, so the server's 401 renews it
    client.auth = OAuthTokens(
        "demo-key", Secret("demo-secret"), client._fetch_token, clock=lambda: 0.0
    )
    first = await client.add(row(7, keys=False).payload)
    await asyncio.sleep(2.1)
    second = await client.add(row(8, keys=False).payload)
    await client.close()
    assert (first.status, second.status) == (200, 200)
    stats = emu.stats()
    assert stats["tokens_issued"] == 2
    assert stats["adds_attempted"] == 3  # the refused one, then its resend
