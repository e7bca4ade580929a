"""Print the per-layout table: ``PYTHONPATH=. python tests/corpus/corpus_table.py [LAYOUT ...]``.

Each layout is drafted by ``importer init``, run unedited against a fresh emulator and judged by
its oracle, as tests/corpus/test_corpus.py does; ``-v`` adds up to three examples per wrong kind.
The generated files and drafts are kept in a temporary folder whose path is printed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_harness import check  # noqa: E402
from corpus_layouts import LAYOUTS  # noqa: E402

from importer.emulator import running_emulator  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if a != "-v"] or list(LAYOUTS)
    folder = Path(tempfile.mkdtemp(prefix="corpus-"))
    print(f"files and drafts in {folder}")
    # the runs' ledger keys stay with the throw-away runs, not in the user's key file
    os.environ.setdefault("IMPORTER_KEY_FILE", str(folder / "ledger.keys"))
    failing = 0
    with running_emulator() as emulator:
        for name in names:
            work = folder / name
            work.mkdir()
            verdict = check(LAYOUTS[name](), work, emulator)
            failing += not verdict.passes
            print(("PASS " if verdict.passes else "FAIL ") + verdict.line(), flush=True)
            if verbose:
                print("     outcomes", verdict.outcomes)
                for example in verdict.examples:
                    print("     " + example)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
