"""A TCP proxy on 127.0.0.1 in front of the emulator that can play an outage that cuts connections.

``cut()`` stops listening (new connections are refused) and aborts every open connection, the
kept-alive ones included, as a gateway going down does; ``restore()`` listens again on the same
port. The proxy notes when each connection was accepted, and sets ``lookup_seen`` once the
``lookup_after``-th lookup request has passed (optionally cutting right then, before the emulator
answers it), so tests are paced by what reached the wire.
"""

from __future__ import annotations

import asyncio
import threading
import time
from urllib.parse import urlparse

LOOKUP = b"GET /v2/customers/lookup"


class TcpProxy:
    def __init__(
        self, target_url: str, *, lookup_after: int = 0, cut_on_lookup: bool = False
    ) -> None:
        target = urlparse(target_url)
        self.target = (target.hostname or "127.0.0.1", target.port or 80)
        self.lookup_after = lookup_after
        self.cut_on_lookup = cut_on_lookup
        self.lookups = 0
        self.lookup_seen = threading.Event()
        self.accepted: list[float] = []  # time.monotonic() of each accepted connection
        self.cut_at: float | None = None
        self.restored_at: float | None = None
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._open: set[asyncio.Transport] = set()
        self._down = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def __exit__(self, *exc: object) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def cut(self) -> None:
        """Refuse new connections and abort the open ones."""
        self._call(self._cut())

    def restore(self) -> None:
        """Listen again on the same port."""
        self._call(self._listen())
        self.restored_at = time.monotonic()

    def accepted_since(self, when: float) -> list[float]:
        return [t for t in self.accepted if t >= when]

    # -- on the proxy's loop ---------------------------------------------------------------

    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        self._down = False
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self._down:
            return
        self._down = True
        self.cut_at = time.monotonic()
        if self._server is not None:
            self._server.close()
            self._server = None
        for transport in list(self._open):
            transport.abort()
        self._open.clear()

    async def _close(self) -> None:
        await self._cut()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.transport.abort()
            return
        self.accepted.append(time.monotonic())
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer.transport, up_writer.transport)
        self._open.update(pair)  # type: ignore[arg-type]
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, watch=True), self._pipe(up_reader, writer)
            )
        finally:
            for transport in pair:
                self._open.discard(transport)  # type: ignore[arg-type]
                transport.abort()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, watch: bool = False
    ) -> None:
        try:
            while data := await reader.read(65536):
                if watch and LOOKUP in data:
                    self.lookups += data.count(LOOKUP)
                    if self.lookups >= self.lookup_after > 0 and not self.lookup_seen.is_set():
                        self.lookup_seen.set()
                        if self.cut_on_lookup:
                            await self._cut()  # the lookup never reaches the emulator
                            return
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()
