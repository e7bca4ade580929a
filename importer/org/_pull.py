"""Read the org's field configuration with the run's credentials and keep it in one file.

Three read-only GETs through the sender's own client (authentication, OAuth refresh, transport):
``/v2/extendedFields``, ``/v2/organization/customFields`` and ``/v2/entity/extendedFieldConfig``.
Each answer is kept as it came, with the time it was read; an endpoint that fails is named in
the file and the others are still kept, since each check uses only what it needs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from importer._exceptions import AuthError, ConfigError, TransportError, unwritable_is_usage_error
from importer._layout import now_iso, org_file
from importer._owner_only import private_dir, write_private
from importer.mapping import ENDPOINTS, FORMAT, OrgConfig, load_org, parse_org
from importer.send import AiohttpTransport, Client, Credentials, Transport


async def read_org(client: Client) -> dict[str, Any]:
    """The three answers (or why each could not be read), as the org file holds them."""
    endpoints: dict[str, Any] = {}
    for key, path in ENDPOINTS.items():
        entry: dict[str, Any] = {"path": path, "read_at": now_iso()}
        try:
            answer = await client.read(path)
        except TransportError as exc:
            entry["error"] = f"no answer: {exc}"
        except AuthError as exc:  # the OAuth token itself was refused
            entry["status"], entry["error"] = 401, str(exc)
        else:
            entry["status"] = answer.status
            if answer.request_id:
                entry["request_id"] = answer.request_id
            why = _failure(answer.status, answer.body)
            if why is None:
                entry["answer"] = answer.body
            else:
                entry["error"] = why
        endpoints[key] = entry
    return {
        "format": FORMAT,
        "base_url": client.base_url,
        "read_at": now_iso(),
        "endpoints": endpoints,
    }


def _failure(status: int, body: Any) -> str | None:
    """Why an answer is not the configuration, or None when it is."""
    errors = body.get("errors") if isinstance(body, dict) else None
    said = ""
    if isinstance(errors, list) and errors:
        first = errors[0] if isinstance(errors[0], dict) else {}
        said = f": {first.get('code', '')} {first.get('message', '')}".rstrip()
    if status == 401:
        return f"HTTP 401, authentication failed{said}"
    if status == 403:
        return f"HTTP 403, no access to this endpoint{said}"
    if not 200 <= status < 300:
        return f"HTTP {status}{said}"
    if not isinstance(body, dict):
        return f"HTTP {status} without a JSON object"
    if said and body.get("success") is not True and "entity" not in body:
        return f"the API answered an error{said}"
    return None


def pull_org(
    base_url: str,
    credentials: Credentials,
    *,
    transport: Transport | None = None,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Read the org's configuration (blocking): the org file's contents."""

    async def main() -> dict[str, Any]:
        client = Client(
            base_url, transport or AiohttpTransport(connections=2), credentials,
            headers=headers, timeout=timeout,
        )  # fmt: skip
        try:
            return await read_org(client)
        finally:
            await client.close()

    return asyncio.run(main())


def failures(data: dict[str, Any]) -> dict[str, str]:
    """endpoint -> why it could not be read."""
    return {k: v["error"] for k, v in data["endpoints"].items() if "error" in v}


def default_org_path(out: Path, base_url: str) -> Path:
    """``<out>/_org/<host>.json``: one file per org host, beside the reports."""
    return org_file(out, urlsplit(base_url).netloc or "org")


def save_org(data: dict[str, Any], path: Path) -> Path:
    """Write the org file owner-only (it names the org's fields, not customers, but it is the
    org's configuration all the same)."""
    private_dir(Path(path).parent)
    return write_private(Path(path), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class OrgUnread(Exception):  # noqa: N818 - not an error of the run's: a note for summary.json
    """No endpoint answered: the run goes on without the org check, and its summary says why."""


async def org_for_run(
    *,
    org_file: Path | None,
    check: bool,
    client: Client | None,
    out: Path,
) -> tuple[OrgConfig | None, int]:
    """The org configuration a run checks against, and the requests spent reading it.

    ``--org FILE`` is read as it is; otherwise, with the org check on and a client at hand, the
    configuration is read now (and saved to the default path). Answers that are all errors stop
    the run before its first add (exit 2); no answer at all, or refused credentials, raise
    OrgUnread: the run's own first add meets that too and settles it as it always does."""
    if not check:
        return None, 0
    if org_file is not None:
        return load_org(org_file), 0
    if client is None:
        return None, 0
    data = await read_org(client)
    spent = len(ENDPOINTS)
    failed = failures(data)
    if all(data["endpoints"][k].get("status") in (None, 401, 403) for k in ENDPOINTS):
        # credentials refused or no answer at all: the first add meets the same and the run
        # settles it the way it always does (an outage is waited for; a refused password stops
        # with a run folder to rerun), so the org check is not what stops it
        raise OrgUnread("; ".join(f"{k}: {why}" for k, why in failed.items()))
    if len(failed) == len(ENDPOINTS):
        reasons = "; ".join(f"{k}: {why}" for k, why in failed.items())
        raise ConfigError(
            f"cannot read the org's field configuration ({reasons}); "
            "run with --no-org-check to send without it"
        )
    with unwritable_is_usage_error(out):  # nothing sent yet: exit 2
        path = save_org(data, default_org_path(out, client.base_url))
    return parse_org(data, str(path)), spent


class RunSettings(Protocol):
    """What a run's settings (``run.RunConfig``) tell the org check."""

    org: Path | None
    org_check: bool
    transport: Transport | None
    headers: dict[str, str]
    timeout: float
    out: Path


async def org_of_run(
    config: RunSettings, base_url: str, credentials: Credentials
) -> tuple[OrgConfig | None, int, str | None]:
    """What a run checks against (``org_for_run``), the GETs it spent, and which endpoints could
    not be read and why (all of them when none answered: the run goes on without the check)."""
    org_file, check, transport, out = config.org, config.org_check, config.transport, config.out
    headers, timeout = config.headers, config.timeout
    if not check or org_file is not None:
        return (*await org_for_run(org_file=org_file, check=check, client=None, out=out), None)
    own = transport is None  # a transport the caller brought is the caller's to close
    client = Client(base_url, transport or AiohttpTransport(connections=2), credentials,
                    headers=headers, timeout=timeout)  # fmt: skip
    try:
        org, spent = await org_for_run(org_file=None, check=True, client=client, out=out)
        # an endpoint that failed is named; the checks use what the others gave
        partial = "; ".join(f"{k}: {why}" for k, why in org.failures.items()) if org else ""
        return org, spent, partial or None
    except OrgUnread as exc:
        return None, len(ENDPOINTS), str(exc)
    finally:
        if own:
            await client.close()
