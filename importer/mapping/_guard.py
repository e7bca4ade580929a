"""A mapping file cannot exhaust the machine: what is refused before any YAML is built.

YAML aliases let a few lines stand for billions of nodes (a "billion laughs": nine references
to nine references, eight levels deep, is 9^8 lists from 15 lines), and PyYAML expands them when
it builds the data. A mapping never needs one, so the first alias is refused, naming its line,
from a stream of parse events that builds nothing. A file larger than any real mapping (a wide
export's draft is a few hundred lines) is refused too, by its size before it is read and by its
node count while it is parsed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from importer._exceptions import ConfigError

#: bytes; a draft of a 500-column export is about 100 KB
MAX_BYTES = 1_000_000
#: scalars, lists and mappings; a draft of a 500-column export has a few thousand
MAX_NODES = 10_000

_NODES = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def check_size(path: Path) -> None:
    """Refuse a mapping file larger than ``MAX_BYTES`` before reading it."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # reading it says why, in the reader's own words
    if size > MAX_BYTES:
        raise ConfigError(_too_large(str(path), size))


def check_yaml(text: str, name: str, loader: type) -> None:
    """Refuse ``text`` if it holds a YAML alias (naming its line) or more than ``MAX_NODES``
    nodes, or is larger than ``MAX_BYTES``; nothing is built. Syntax errors are left to the
    reader that builds the data, which names them."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ConfigError(_too_large(name, size))
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1
                raise ConfigError(
                    f"{name}:{line}: YAML alias *{event.anchor}: a mapping file may not use "
                    "anchors and aliases (&name, *name); write the value out where it is used"
                )
            if isinstance(event, _NODES):
                nodes += 1
                if nodes > MAX_NODES:
                    line = event.start_mark.line + 1
                    raise ConfigError(
                        f"{name}:{line}: more than {MAX_NODES:,} YAML values, more than any "
                        "mapping needs: not read"
                    )
    except yaml.YAMLError:
        return


def _too_large(name: str, size: int) -> str:
    return f"{name}: {size:,} bytes, more than any mapping needs (at most {MAX_BYTES:,}): not read"
