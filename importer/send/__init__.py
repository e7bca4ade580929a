"""Send: post payloads within the org's limit, retry what is transient, and settle every row.

The client talks to a small transport interface (aiohttp in production), so the pool and its
decisions are testable without sockets; the verdict on an answer is a pure function."""
