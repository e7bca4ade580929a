"""``as: name``: one cell holding a whole name, split into the part a field wants, with nameparser.

Titles and honorifics (Mr, Dr, Herr, Frau, Shri, Smt, Bpk, Ibu, Sheikh, ...) and suffixes and
degrees (Jr, III, PhD, MBA, S.Sos, ...) go to their own parts, never to a first or last name;
middle names join the first name; "Last, First" is understood. A name written in one case
(ALL CAPS, all lower case) is cased as a name ("McCoy", "O'Brien", "van der Berg"); one typed
in mixed case is kept as typed. A name in a script written without spaces (Chinese, Japanese,
Korean, Thai, ...) is not cut anywhere: a single such word is the first name, whole; written
with a space, Chinese, Japanese and Korean names put the family name first.

nameparser costs 80-300 us a name; the common plain name ("Asha Rao", "Mary Ann Smith": two or
three capitalised ASCII words that are no title, particle or suffix) is split here directly,
and tests check that the answer is nameparser's.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: (title, first with middle names, middle, last, suffix)
Parts = tuple[str, str, str, str, str]
PARTS = ("title", "first", "middle", "last", "suffix")

#: honorifics and degrees of the markets this tool serves that nameparser's vocabulary lacks
_TITLES = ("shri", "smt", "bpk", "bapak", "ibu", "sheikha", "drs")
_SUFFIXES = ("s.sos", "s.kom", "s.e", "s.h", "s.pd", "s.t", "m.m", "s.i.kom", "m.sc", "b.sc",
             "ph.d")  # fmt: skip
_PLAIN_WORD = re.compile(r"[A-Z][a-z]+")
_ROMAN = re.compile(r"(x|ix|iv|v?i{0,3})", re.I)
#: scripts written without spaces between the parts of a name
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af]"
)

_last: tuple[str, Parts] = ("", ("", "", "", "", ""))


def part(text: str, which: str) -> str | None:
    """One part of the name in ``text``; None when the name has no such part."""
    global _last
    if _last[0] == text:
        # a row's firstName and lastName read the same cell, one after the other
        found = _last[1]
    else:
        found = _plain(text) or parse(text)
        _last = (text, found)
    return found[PARTS.index(which)] or None


def _plain(text: str) -> Parts | None:
    words = text.split(" ")
    if not 2 <= len(words) <= 3:
        return None
    vocabulary = _vocabulary()
    for word in words:
        if _PLAIN_WORD.fullmatch(word) is None or _ROMAN.fullmatch(word) is not None:
            return None
        if word.lower() in vocabulary:
            return None
    middle = words[1] if len(words) == 3 else ""
    return ("", " ".join(words[:-1]), middle, words[-1], "")


def parse(text: str) -> Parts:
    """The parts of a name through nameparser (the reference for the fast path)."""
    parser, lexicon = _parser()
    name = parser.parse(text).capitalized(lexicon)
    title, given, middle, family, suffix = (
        str(name.title),
        str(name.given),
        str(name.middle),
        str(name.family),
        str(name.suffix),
    )
    if family and not given and not middle and " " not in family and _UNSPACED.search(family):
        given, family = family, ""  # one unspaced word: the whole name, not cut by guesswork
    first = " ".join(p for p in (given, middle) if p)
    return (title, first, middle, family, suffix)


@cache
def _parser() -> tuple[Any, Any]:
    from nameparser import Lexicon, Parser, Policy

    lexicon = Lexicon.default().add(titles=_TITLES, suffix_acronyms=_SUFFIXES)
    # no guessing where an unspaced name divides (nameparser would split Korean names)
    policy = Policy(segment_scripts=frozenset())
    return Parser(lexicon=lexicon, policy=policy), lexicon


@cache
def _vocabulary() -> frozenset[str]:
    """Every word nameparser gives a role of its own: a plain name holds none of them."""
    _, lexicon = _parser()
    words: set[str] = set()
    for field in (
        "titles", "suffix_acronyms", "suffix_words", "particles", "conjunctions",
        "given_name_titles", "bound_given_names", "honorific_tails", "maiden_markers",
        "particles_ambiguous", "conjunctions_ambiguous", "suffix_acronyms_ambiguous",
        "after_given_titles", "surnames",
    ):  # fmt: skip
        words.update(w.lower() for w in getattr(lexicon, field))
    words.update(k.lower() for k, _ in lexicon.capitalization_exceptions)
    return frozenset(words)
