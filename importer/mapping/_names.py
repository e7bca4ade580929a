"""``as: name``: one cell holding a whole name, split into the part a field wants, with nameparser.

Titles and honorifics (Mr, Dr, Herr, Frau, Shri, Smt, Bpk, Ibu, Sheikh, ...) and suffixes and
degrees (Jr, III, PhD, MBA, S.Sos, ...) go to their own parts, never to a first or last name;
middle names join the first name; "Last, First" is understood. A name written in one case
(ALL CAPS, all lower case) is cased as a name ("McCoy", "O'Brien", "van der Berg"); one typed
in mixed case is kept as typed. A name in a script written without spaces (Chinese, Japanese,
Korean, Thai, ...) is not cut anywhere: a single such word is the first name, whole; written
with a space, Chinese, Japanese and Korean names put the family name first.

nameparser costs 80-300 us a name; the common plain name ("Asha Rao", "Dr. Mary Ann Smith",
"ASHA RAO": an optional title, then two or three ASCII words cased alike, none of them a
particle, suffix or other word nameparser treats apart) is split here directly, and tests check
that the answer is nameparser's. nameparser's answers are remembered: full names repeat.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: (title, first with middle names, middle, last, suffix)
Parts = tuple[str, str, str, str, str]
PARTS = ("title", "first", "middle", "last", "suffix")

#: honorifics and degrees of the markets this tool serves that nameparser's vocabulary lacks
_TITLES = (
    # India, Indonesia and Malaysia (Raden, Raden Ayu, Raden Mas, Teuku, Tengku, Haji, Hajjah,
    # Kyai Haji, Doktorandus/a, Insinyur, Datuk, ...)
    "shri", "smt", "bpk", "bapak", "ibu", "sheikha", "drs", "dra", "r", "r.a", "r.m", "r.ay",
    "t", "tgk", "teuku", "tengku", "cut", "h", "hj", "kh", "ir", "dt", "drg", "puti", "sutan",
    "raden", "haji", "hajah", "hajjah", "datuk", "dato", "datin", "tun", "encik", "cik", "tuan",
    "puan", "sdr", "sdri",
    # Central Europe and the Nordics
    "pan", "pani", "paní", "pán", "slečna", "bc", "ing", "judr", "mudr", "mvdr", "mgr", "phdr",
    "rndr", "arch", "mag", "dipl.-ing", "univ.prof", "hr", "fru", "herra", "rouva", "tohtori",
    "arkkit", "hra", "rva", "tri", "doktor", "härra", "proua", "pr",
    # Spanish and Portuguese, Turkish
    "don", "doña", "dña", "dra", "sra", "srta", "srita", "lic", "mtro", "mtra",
    "bay", "bayan", "av", "doç", "okt", "uz", "çev", "öğr", "arş", "gör", "yrd",
    # West and East Africa, Southern Africa
    "alhaji", "alhaja", "hajiya", "mallam", "engr", "oloye", "eng", "sis", "pastor", "bishop",
    "bhuti", "dade", "mnumzane", "nkosazana", "nkosikazi", "mama", "agya", "awura", "maame",
    "osofo", "owura", "sista",
)  # fmt: skip
_SUFFIXES = (
    "s.sos", "s.kom", "s.e", "s.h", "s.pd", "s.t", "m.m", "s.i.kom", "m.sc", "b.sc", "ph.d",
    "s.e.i", "s.farm", "s.gz", "s.ip", "s.ked", "s.psi", "s.pt", "s.ag", "s.si", "s.hum", "m.ak",
    "m.farm", "m.kom", "m.pd", "m.ti", "m.si", "m.t", "m.kes", "m.h", "m.hum", "a.md",
    "csc", "dsc", "dis", "th.d", "b.a", "b.eng", "m.a", "m.eng", "msc", "bsc", "di",
)  # fmt: skip
#: a word of a plain name, by how it is cased: O'Neill, Mary-Jane, RAO, rao
_WORDS = {
    "title": re.compile(r"[A-Z][a-z]+(?:['-][A-Z][a-z]+)?"),
    "upper": re.compile(r"[A-Z]{2,}(?:['-][A-Z]{2,})?"),
    "lower": re.compile(r"[a-z]{2,}(?:['-][a-z]{2,})?"),
}
_TITLE = re.compile(r"[A-Z][a-z]+\.?")
_LETTERS = re.compile(r"[A-Za-z]+")
_ROMAN = re.compile(r"(x|ix|iv|v?i{0,3})", re.I)
#: scripts written without spaces between the parts of a name
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af]"
)

_last: tuple[str, Parts] = ("", ("", "", "", "", ""))
_memo: dict[str, Parts] = {}
_words: dict[str, str] = {}
_MEMO_LIMIT = 20_000


def part(text: str, which: str) -> str | None:
    """One part of the name in ``text``; None when the name has no such part."""
    global _last
    last = _last  # read once: another thread may be preparing another file
    if last[0] == text:
        # a row's firstName and lastName read the same cell, one after the other
        found = last[1]
    else:
        found = _plain(text) or _memo.get(text)
        if found is None:
            found = parse(text)
            if len(_memo) < _MEMO_LIMIT:
                _memo[text] = found
        _last = (text, found)
    return found[PARTS.index(which)] or None


def _plain(text: str) -> Parts | None:
    """The parts of a plain name (an optional title, then two or three words all cased alike,
    none of them a word nameparser gives a role of its own); None for any other name."""
    words = text.split(" ")
    title = ""
    vocabulary, titles = _vocabulary()
    if len(words) > 2 and _TITLE.fullmatch(words[0]) and words[0].rstrip(".").lower() in titles:
        title, words = words[0], words[1:]
    if not 2 <= len(words) <= 3:
        return None
    cases = set()
    for word in words:
        case = _words.get(word)
        if case is None:
            case = _word_case(word, vocabulary)
            if len(_words) < _MEMO_LIMIT:
                _words[word] = case  # first and last names repeat: judge each word once
        if not case:
            return None
        cases.add(case)
    if len(cases) != 1 or (title and cases != {"title"}):
        return None
    if cases != {"title"}:
        # written in one case: cased as a name, as nameparser's repair does for such words
        words = [_LETTERS.sub(lambda m: m.group().capitalize(), w) for w in words]
    middle = words[1] if len(words) == 3 else ""
    return (title, " ".join(words[:-1]), middle, words[-1], "")


def _word_case(word: str, vocabulary: frozenset[str]) -> str:
    """How a word of a plain name is cased ("title", "upper", "lower"), or "" when the word is
    not plain: a particle, suffix, title or other word nameparser treats apart, a numeral."""
    case = next((c for c, pattern in _WORDS.items() if pattern.fullmatch(word)), "")
    lower = word.lower()
    if not case or lower in vocabulary:
        return ""
    for piece in _LETTERS.findall(lower):
        if piece in vocabulary or _ROMAN.fullmatch(piece) or piece.startswith("mc"):
            return ""
        if piece.startswith("mac") and case != "title":
            return ""
    return case


def parse(text: str) -> Parts:
    """The parts of a name through nameparser (the reference for the fast path).

    Degrees and suffixes at the end are taken off first, so that one after a comma is never
    read as "Last, First" (``Tgk. Paulin Anggraini, S.H.``) and dotted ones nameparser cuts
    apart (``M.Pd``, ``B.Eng.``) stay whole."""
    text, degrees = _degrees(text)
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
    if title and not given and not middle and _named(title):
        # "Don Smith", "Pan Wei": a word that is a title in some countries and a name in others
        # is the first name when nothing else is
        given, title = title, ""
    first = " ".join(p for p in (given, middle) if p)
    suffix = ", ".join(p for p in (suffix, *degrees) if p)
    return (title, first, middle, family, suffix)


def _degree(word: str, after_comma: bool) -> bool:
    """Whether a word is a degree or suffix: one of the lexicon's, and (outside a comma's
    tail, where names end too) written dotted or in capitals (``MBA``, ``S.Pd``, not ``Di``)."""
    key = word.lower().rstrip(".,")
    if key not in _suffix_words():
        return False
    # nameparser knows JR, MBA, III at the end (and cases them); not DI, nor dotted ones
    return after_comma or "." in word or (word.isupper() and key not in _suffix_words(True))


def _degrees(text: str) -> tuple[str, list[str]]:
    """The name without the degrees and suffixes that end it, and those, in order."""
    found: list[str] = []
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        while len(parts) > 1 and parts[-1] and all(_degree(w, True) for w in parts[-1].split()):
            found.insert(0, parts.pop())
        text = ", ".join(parts)
    words = text.split()
    while len(words) > 2 and "," not in words[-2] and _degree(words[-1], False):
        found.insert(0, words.pop())
    return (" ".join(words) if found else text), found


def _named(title: str) -> bool:
    """A title of this project's own additions (not nameparser's), written without a period."""
    return "." not in title and title.lower() in _TITLES_ADDED


_TITLES_ADDED = frozenset(_TITLES)


@cache
def _suffix_words(its_own: bool = False) -> frozenset[str]:
    """Degrees and suffixes: nameparser's and this project's (``its_own``: nameparser's)."""
    from nameparser import Lexicon

    lexicon = Lexicon.default() if its_own else _parser()[1]
    words = (*lexicon.suffix_acronyms, *lexicon.suffix_words)
    return frozenset(w.lower().rstrip(".") for w in (*words, *(() if its_own else _SUFFIXES)))


@cache
def _parser() -> tuple[Any, Any]:
    from nameparser import Lexicon, Parser, Policy

    lexicon = Lexicon.default().add(titles=_TITLES, suffix_acronyms=_SUFFIXES)
    # no guessing where an unspaced name divides (nameparser would split Korean names)
    policy = Policy(segment_scripts=frozenset())
    return Parser(lexicon=lexicon, policy=policy), lexicon


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Every word nameparser gives a role of its own (a plain name holds none of them), and
    the titles a plain name may start with (those that never join the given name)."""
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
    special = {w.lower() for w in (*lexicon.given_name_titles, *lexicon.after_given_titles)}
    titles = frozenset(w.lower() for w in lexicon.titles if w.isascii()) - special
    return frozenset(words), titles
