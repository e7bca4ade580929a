"""Print the held-out layouts' table: ``PYTHONPATH=. python tests/corpus/holdout_table.py [-v]``.

corpus_table's runner, given the held-out layouts instead of the corpus (same draft, emulator and
judge); ``-v`` adds up to three examples per wrong kind.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_table  # noqa: E402
from holdout_layouts_more import HOLDOUT  # noqa: E402

if __name__ == "__main__":
    corpus_table.LAYOUTS = HOLDOUT
    sys.exit(corpus_table.main(sys.argv[1:]))
