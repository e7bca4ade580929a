"""A mapping file cannot exhaust the machine: aliases and floods are refused before anything
is built, in one line naming the file (and the line)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from prepare_helpers import BASIC_MAPPING, MAPPINGS

from importer._exceptions import ConfigError
from importer.cli._main import main
from importer.mapping._spec import load_mapping, parse_mapping

HEAD = BASIC_MAPPING.rstrip("\n").splitlines()


def bomb(levels: int, refs: int = 9) -> str:
    """A "billion laughs": each level a list of ``refs`` aliases of the level below."""
    lines = [*HEAD, "x0: &x0 [" + ", ".join(['"lol"'] * refs) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * refs) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building YAML data is an error: a refusal must come before it."""

    def built(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was built")

    monkeypatch.setattr(yaml, "compose", built)
    monkeypatch.setattr(yaml, "load", built)


@pytest.mark.parametrize("levels", [8, 40])  # 9^40 lists could never be built
def test_a_billion_laughs_is_refused_at_its_first_alias(
    tmp_path: Path, levels: int, nothing_built: None
) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(levels), encoding="utf-8")
    first_alias = len(HEAD) + 2  # the line after the anchor
    with pytest.raises(ConfigError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{first_alias}: YAML alias *x0")
    assert "\n" not in message


def test_a_merge_key_is_an_alias_too(nothing_built: None) -> None:
    text = "base: &base {type: mobile, value: Mobile}\n" + "\n".join(HEAD) + "\nmore: {<<: *base}\n"
    with pytest.raises(ConfigError, match=rf"^m.yaml:{len(HEAD) + 2}: YAML alias \*base"):
        parse_mapping(text, "m.yaml")


def test_the_validate_command_says_it_in_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(8), encoding="utf-8")
    source = tmp_path / "in.csv"
    source.write_text("mobile\n919988221100\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["validate", str(source), "--mapping", str(path), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "YAML alias *x0" in lines[0] and str(path) in lines[0]


def test_a_file_larger_than_any_mapping_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(BASIC_MAPPING + "#" + "x" * 1_000_000 + "\n", encoding="utf-8")

    def read(*args: object, **kwargs: object) -> str:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_text", read)
    with pytest.raises(ConfigError, match=r"bytes, more than any mapping needs"):
        load_mapping(path)


def test_ten_thousand_values_are_more_than_any_mapping(nothing_built: None) -> None:
    entries = "\n".join(f"    k{i}: v{i}" for i in range(5_001))  # 10,002 scalars
    text = BASIC_MAPPING + "codes:\n" + entries + "\n"
    assert len(text) < 1_000_000
    with pytest.raises(ConfigError, match=r"^m.yaml:\d+: more than 10,000 YAML values"):
        parse_mapping(text, "m.yaml")


@pytest.mark.parametrize("name", sorted(p.name for p in MAPPINGS.glob("*.yaml")))
def test_the_shipped_mappings_pass_the_guard(name: str) -> None:
    load_mapping(MAPPINGS / name)
