"""Send: post payloads within the org's limit, retry what is transient, and settle every row.

The client talks to a small transport interface (aiohttp in production), so the pool and its
decisions are testable without sockets; the verdict on an answer is a pure function."""

from importer._models import Work
from importer.send._auth import Credentials
from importer.send._claims import Claims
from importer.send._client import AiohttpTransport, Client, Transport
from importer.send._policy import Policy, default_concurrency
from importer.send._regions import resolve_region
from importer.send._sender import Sender
from importer.send._stats import Stats
from importer.send._throttle import Throttle

__all__ = [
    "AiohttpTransport",
    "Claims",
    "Client",
    "Credentials",
    "Policy",
    "Sender",
    "Stats",
    "Throttle",
    "Transport",
    "Work",
    "default_concurrency",
    "resolve_region",
]
