"""Org files: defaults, and clear messages for mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer._exceptions import ConfigError
from importer.emulator._org import SOURCES, load_org

EXAMPLE = Path(__file__).parents[2] / "docs" / "emulator-org.example.yaml"


def test_defaults_serve_the_demo() -> None:
    org = load_org(None)
    assert org.sources == SOURCES
    assert org.default_status_label is None
    assert [(u.username, u.password) for u in org.auth.users] == [("demo", "demo123")]
    assert [(c.key, c.secret) for c in org.auth.oauth_clients] == [("demo-key", "demo-secret")]
    assert org.auth.token_ttl_seconds == 300
    assert org.program(469) is not None


def test_the_shipped_example_loads() -> None:
    org = load_org(EXAMPLE)
    assert org.auth.users and org.loyalty_programs


def test_an_empty_file_means_defaults(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("")
    assert load_org(path) == load_org(None)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sources: [INSTORE, SHOP]\n", "sources.1"),
        ("auth: {token_ttl_seconds: -1}\n", "auth.token_ttl_seconds"),
        ("registration: {mobile_min_digits: 12, mobile_max_digits: 10}\n", "registration"),
        ("colour: blue\n", "colour"),
        ("- just\n- a list\n", "must be a mapping"),
        ("auth: [\n", "not valid YAML"),
    ],
)
def test_mistakes_name_the_file_and_the_setting(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_org(path)
    assert str(path) in str(caught.value)
    assert fragment in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_org(tmp_path / "absent.yaml")
