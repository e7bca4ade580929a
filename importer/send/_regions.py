"""Region presets: a base URL and the default per-org limit for ``POST /v2/customers``.

Limits come from the vendor's API notes. The US and China clusters document no default: a run
against them needs ``--rpm`` (``--rpm 0`` runs unthrottled, on purpose only), because guessing a
limit either wastes the quota or spends it on 429s.
"""

from __future__ import annotations

from dataclasses import dataclass

from importer._exceptions import UsageError


@dataclass(frozen=True, slots=True)
class Region:
    """A cluster: where it lives and its default limit in requests per minute (None: unknown)."""

    name: str
    base_url: str
    rpm: int | None


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        Region("emea", "https://eu.api.capillarytech.com", 100),
        Region("asia1", "https://apac.api.capillarytech.com", 600),
        Region("india", "https://apac.api.capillarytech.com", 600),
        Region("asia2", "https://apac2.api.capillarytech.com", 100),
        Region("us", "https://us.api.capillarytech.com", None),
        Region("china", "https://api.capillarytech.cn.com", None),
    )
}


def resolve_region(
    region: str | None, base_url: str | None, rpm: float | None
) -> tuple[str, float | None]:
    """The base URL and limit to use (``None``: no limit); UsageError when they are unknown.

    ``--base-url`` and ``--rpm`` override the region's preset; ``rpm == 0`` means no limit.
    """
    preset = None
    if region is not None:
        preset = REGIONS.get(region.strip().lower())
        if preset is None:
            names = ", ".join(sorted(REGIONS))
            raise UsageError(f"unknown region {region!r}: choose one of {names}")
    url = base_url or (preset.base_url if preset else None)
    if not url:
        raise UsageError("say where to send: --region NAME or --base-url URL")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url {url!r} must start with http:// or https://")
    if rpm is not None:
        if rpm < 0:
            raise UsageError("--rpm must be a positive number (0 for no limit)")
        return url.rstrip("/"), (float(rpm) if rpm > 0 else None)
    if preset is not None and preset.rpm is not None:
        return url.rstrip("/"), float(preset.rpm)
    where = f"region {preset.name!r}" if preset else "a custom --base-url"
    raise UsageError(
        f"{where} has no known rate limit: pass --rpm N (your org's limit per minute),"
        " or --rpm 0 to send without a limit"
    )
