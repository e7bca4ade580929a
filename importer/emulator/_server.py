"""Run the emulator until SIGTERM or SIGINT, announcing its URL in a ready file."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from aiohttp import web

from importer.emulator._app import Emulator


def base_url(host: str, port: int) -> str:
    """``http://host:port``, with brackets around an IPv6 host."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _announce(ready_file: Path, url: str) -> None:
    # write then rename, so a reader never sees half a URL
    tmp = ready_file.with_name(ready_file.name + ".tmp")
    tmp.write_text(url + "\n", encoding="utf-8")
    os.replace(tmp, ready_file)


async def serve(emulator: Emulator, host: str, port: int, ready_file: Path | None = None) -> None:
    """Serve until a termination signal; port 0 binds a free port."""
    runner = web.AppRunner(emulator.app(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        url = base_url(host, bound)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        print(
            f"Capillary API emulator listening on {url} (db {emulator.store.path})", file=sys.stderr
        )
        if ready_file is not None:
            _announce(ready_file, url)
        await stop.wait()
    finally:
        await runner.cleanup()
