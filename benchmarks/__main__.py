"""Run every benchmark module in turn: ``python -m benchmarks [--quick] [NAME ...]``.

Each ``benchmarks/bench_<name>.py`` exposes ``run(quick: bool) -> list[str]``: it prints as it goes
and returns its result lines (``PASS``/``FAIL`` with the measured ratio), gathered at the end.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import benchmarks


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. dryrun xlsx)")
    args = parser.parse_args()
    # the benchmarks' ledgers keep their keys beside their data, not in the user's key file
    keys = Path(benchmarks.__file__).parent / ".data" / "ledger.keys"
    os.environ.setdefault("IMPORTER_KEY_FILE", str(keys))
    names = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(benchmarks.__path__)
        if m.name.startswith("bench_")
    )
    chosen = [n for n in names if not args.names or n in args.names]
    results: list[str] = []
    for name in chosen:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.bench_{name}")
        lines = module.run(args.quick)
        results.extend(lines)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    print("\n== results")
    for line in results:
        print(line)
    return 1 if any(line.startswith("FAIL") for line in results) else 0


if __name__ == "__main__":
    sys.exit(main())
