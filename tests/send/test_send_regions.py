"""Region presets and their overrides."""

from __future__ import annotations

import pytest

from importer._exceptions import UsageError
from importer.send._regions import resolve_region


@pytest.mark.parametrize(
    ("region", "base_url", "rpm", "expected"),
    [
        ("emea", None, None, ("https://eu.api.capillarytech.com", 100.0)),
        ("India", None, None, ("https://apac.api.capillarytech.com", 600.0)),
        ("asia2", None, 250, ("https://apac2.api.capillarytech.com", 250.0)),
        ("emea", "http://localhost:9/", None, ("http://localhost:9", 100.0)),
        ("us", None, 300, ("https://us.api.capillarytech.com", 300.0)),
        (None, "http://127.0.0.1:8080", 60, ("http://127.0.0.1:8080", 60.0)),
        (None, "http://127.0.0.1:8080", 0, ("http://127.0.0.1:8080", None)),
    ],
)
def test_resolve(region, base_url, rpm, expected) -> None:
    assert resolve_region(region, base_url, rpm) == expected


@pytest.mark.parametrize(
    ("region", "base_url", "rpm", "message"),
    [
        (None, None, None, "--region NAME or --base-url URL"),
        ("mars", None, None, "unknown region 'mars'"),
        ("us", None, None, "no known rate limit"),
        ("china", None, None, "no known rate limit"),
        (None, "http://x", None, "no known rate limit"),
        (None, "ftp://x", 5, "must start with http"),
        ("emea", None, -1, "positive"),
    ],
)
def test_resolve_refuses(region, base_url, rpm, message) -> None:
    with pytest.raises(UsageError, match=message):
        resolve_region(region, base_url, rpm)
