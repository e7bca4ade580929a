"""A "billion laughs" mapping is refused in under a second, at the line of its first alias.

Eight levels of nine aliases stand for 9^8 (43 million) lists in 15 lines; PyYAML expands them
when it builds the data (6 GB and still growing after 60 s before the guard). The guard reads
parse events and stops at the first alias, so the refusal should cost what reading the shipped
mapping costs (the baseline, measured in the same run), and ``importer validate`` should answer
exit 2 in one line.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data" / "alias"
TARGET_SECONDS = 1.0
HEAD = """\
version: 1
profiles:
  - source: INSTORE
    identifiers:
      - {type: mobile, value: mobile}
"""


def bomb(levels: int = 8, refs: int = 9) -> str:
    lines = [HEAD.rstrip("\n"), "x0: &x0 [" + ", ".join(['"lol"'] * refs) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * refs) + "]")
    return "\n".join(lines) + "\n"


def timed_load(path: Path) -> tuple[float, str]:
    from importer._exceptions import ConfigError
    from importer.mapping import load_mapping

    started = time.perf_counter()
    try:
        load_mapping(path)
        said = "loaded"
    except ConfigError as exc:
        said = str(exc)
    return time.perf_counter() - started, said


def run(quick: bool) -> list[str]:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "bomb.yaml"
    path.write_text(bomb(), encoding="utf-8")
    source = DATA / "in.csv"
    source.write_text("mobile\n919988221100\n", encoding="utf-8")
    seconds, said = timed_load(path)
    base, _ = timed_load(ROOT / "mappings" / "legacy_pos.yaml")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "importer", "validate", str(source), "--mapping", str(path),
         "--out", str(DATA / "reports")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    command = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    print(f"   {said}")
    first_alias = len(HEAD.splitlines()) + 2
    ok = (
        seconds < TARGET_SECONDS
        and said.startswith(f"{path}:{first_alias}: YAML alias")
        and done.returncode == 2
        and len(lines) == 1
    )
    return [
        f"{'PASS' if ok else 'FAIL'} alias: a billion laughs (8 levels of 9) refused in "
        f"{seconds * 1000:.0f} ms at line {first_alias} (target < {TARGET_SECONDS:g} s; reading "
        f"the shipped legacy_pos.yaml: {base * 1000:.0f} ms); importer validate: exit "
        f"{done.returncode} in {command:.1f} s, {len(lines)} line"
    ]
