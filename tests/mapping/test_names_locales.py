"""Whole names as people write them in many countries: a title, a degree or a suffix never
lands in the first name, and no last name holds one. The oracle is Faker's own lists of each
locale's prefixes and suffixes (the very words it puts around its names), not this project's."""

from __future__ import annotations

import pytest
from faker import Faker

from importer.mapping import _names

#: locales whose Faker person provider has titles (and often degrees) in Latin script
LOCALES = ["en_US", "en_GB", "en_IE", "en_NG", "en_KE", "de_DE", "de_AT", "de_CH", "da_DK",
           "no_NO", "cs_CZ", "sk_SK", "es_MX", "es_CL", "pt_BR", "it_IT", "fi_FI", "et_EE",
           "hu_HU", "id_ID", "tr_TR", "pl_PL", "ha_NG", "zu_ZA", "tw_GH"]  # fmt: skip
SHAPES = ["{p} {f} {l}", "{p} {f} {l}, {s}", "{f} {l}, {s}", "{p} {f} {l} {s}", "{f} {l} {s}"]


def _words(provider: object, names: tuple[str, ...]) -> list[str]:
    found: set[str] = set()
    for name in names:
        found.update(w for w in getattr(provider, name, ()) or () if w)
    return sorted(found)


def _people(locale: str, count: int) -> list[tuple[str, str, str, str, str]]:
    """(whole name, the first name, the last name, the prefix, the suffix) as Faker writes them."""
    fake = Faker(locale)
    fake.seed_instance(17)
    provider = next(p for p in fake.get_providers() if hasattr(p, "first_name"))
    prefixes = _words(provider, ("prefixes", "prefixes_male", "prefixes_female"))
    suffixes = _words(provider, ("suffixes", "suffixes_male", "suffixes_female"))
    people = []
    for n in range(count):
        first, last = fake.first_name(), fake.last_name()
        prefix = prefixes[n % len(prefixes)] if prefixes else ""
        suffix = suffixes[n % len(suffixes)] if suffixes else ""
        shape = SHAPES[n % len(SHAPES)] if suffix else SHAPES[0]
        people.append(
            (shape.format(p=prefix, f=first, l=last, s=suffix), first, last, prefix, suffix)
        )
    return people


def _holds(part: str, affix: str) -> bool:
    """Whether a name part holds the title or degree ``affix`` (as whole words)."""
    if not affix or not part:
        return False
    words, wanted = part.casefold().split(), affix.casefold().split()
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


@pytest.mark.parametrize("locale", LOCALES)
def test_no_title_or_degree_is_a_first_or_last_name(locale: str) -> None:
    wrong = []
    for whole, first, last, prefix, suffix in _people(locale, 60):
        got_first = _names.part(whole, "first") or ""
        got_last = _names.part(whole, "last") or ""
        for affix in (prefix, suffix):
            if affix.casefold() in (first.casefold(), last.casefold()):
                continue  # Faker's name is the affix's word itself: nothing to tell apart
            if _holds(got_first, affix) or _holds(got_last, affix):
                wrong.append((whole, got_first, got_last))
        if not got_first:
            wrong.append((whole, got_first, got_last))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(
    ("whole", "first", "last"),
    [
        ("Tgk. Paulin Anggraini, S.H.", "Paulin", "Anggraini"),
        ("R.A. Lili Dongoran", "Lili", "Dongoran"),
        ("Hans Weber, MBA", "Hans", "Weber"),
        ("John Smith, Jr.", "John", "Smith"),
        ("Anggraini, S.H.", "Anggraini", None),  # one word: the first name, as everywhere
        ("Drs. Budi Santoso, M.M., S.E.", "Budi", "Santoso"),
        ("WEISS, GUNTER", "Gunter", "Weiss"),  # "Last, First" is still understood
        ("Lee, Kim", "Kim", "Lee"),
    ],
)
def test_a_degree_after_a_comma_is_a_suffix_never_last_first(whole, first, last) -> None:
    assert (_names.part(whole, "first"), _names.part(whole, "last")) == (first, last)
