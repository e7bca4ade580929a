"""Properties of the row rules: fast paths answer like the libraries, and the dry run and the
run agree across the whole mapping language (what the compiled mapping sends, the request model
accepts; what it rejects is named by column and value)."""

from __future__ import annotations

import string

import phonenumbers
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from nameparser import Lexicon

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder, _names, _phone, check_payload
from importer.mapping._phonefast import InvalidPhone, international, library, national
from importer.mapping._problems import Kept
from importer.mapping._region import Unresolved
from importer.mapping._spec import Mapping

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
FORMATS = [phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.E164,
           phonenumbers.PhoneNumberFormat.INTERNATIONAL]  # fmt: skip


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(a number as a till may write it, the row's region): example numbers of any region,
    written nationally or internationally, with or without +, a few digits changed."""
    region = draw(st.sampled_from(REGIONS))
    home = region if draw(st.booleans()) else draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from(list(phonenumbers.PhoneNumberType.values())))
    example = phonenumbers.example_number_for_type(home, kind) or phonenumbers.example_number(home)
    if example is None:
        return draw(st.text("0123456789", min_size=3, max_size=15)), region
    text = phonenumbers.format_number(example, draw(st.sampled_from(FORMATS)))
    chars = list(text)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(chars) - 1))
        if chars[at].isdigit():
            chars[at] = draw(st.sampled_from("0123456789"))
    text = "".join(chars)
    shape = draw(st.sampled_from(["as is", "digits", "no plus", "00", "cut", "extension"]))
    if shape == "digits":
        text = "".join(c for c in text if c.isdigit())
    elif shape == "no plus":
        text = text.lstrip("+")
    elif shape == "00" and text.startswith("+"):
        text = "00" + text[1:]
    elif shape == "cut":
        text = text[:-1]
    elif shape == "extension":
        text += draw(st.sampled_from([" x087", " ext. 12", "#5"]))
    return text, region


def outcome(read, text: str, region, where: _phone.Where) -> tuple:
    try:
        return ("ok", read(text, region, "Mobile", where), ())
    except Kept as kept:
        return ("ok", kept.value, tuple(sorted(w["code"] for w in kept.warnings)))
    except RowRejected as exc:
        return ("rejected", exc.code, ())


@SETTINGS
@given(
    written_numbers(),
    st.sampled_from(["row", "constant", "empty row", "unknown row"]),
    st.booleans(),
)
@example(("971567037600", "AE"), "row", False)  # the + Excel lost, the row's own country
@example(("447700900123", "IN"), "row", False)  # valid only as another country's number
@example(("62876155396", "ID"), "row", False)  # valid both ways in Indonesia
@example(("740-904-5923x087", "US"), "row", False)
@example(("+971 54 401 4102", "IN"), "row", False)
@example(("0412 345 678", "AU"), "empty row", False)
@example(("17286986455", "DE"), "row", True)  # 0172 … or +1 728 …: two mobiles
@example(("8223756989", "IN"), "row", True)  # India's mobile, or Korea's landline
@example(("8223756989", "IN"), "row", False)  # (a field could mean either)
def test_phone_fast_path_follows_the_rules_like_the_library(case, how: str, mobile: bool) -> None:
    text, region = case
    # mobile: a mobile identifier or channel, where only mobile readings count
    where = _phone.Where("Country" if how != "constant" else None, regional=True, mobile=mobile)
    row = {"empty row": None, "unknown row": Unresolved("Narnia", "names no country")}
    region = row.get(how, region)
    assert outcome(_phone.read, text, region, where) == outcome(
        _phone.read_slow, text, region, where
    )


@SETTINGS
@given(written_numbers())
def test_national_fast_path_reads_like_parse(case) -> None:
    text, region = case
    digits = "".join(c for c in text if c.isdigit())
    try:
        ours = national(digits, region)
    except InvalidPhone:
        ours = "invalid"
    if ours is None:
        return  # the fast path declined: the library answers
    try:
        expected = library(digits, region)[:2]
    except InvalidPhone:
        expected = "invalid"
    assert ours == expected


@SETTINGS
@given(written_numbers())
def test_international_fast_path_names_the_library_region(case) -> None:
    digits = "".join(c for c in case[0] if c.isdigit()).lstrip("0")
    try:
        ours = international(digits)
    except InvalidPhone:
        ours = "invalid"
    if ours is None:
        return
    try:
        expected = library("+" + digits, None)[:2]
    except InvalidPhone:
        expected = "invalid"
    assert ours == expected


_LEXICON = Lexicon.default()
VOCABULARY = sorted(
    {w for w in [*_LEXICON.titles, *_LEXICON.particles, *_LEXICON.conjunctions,
                 *_LEXICON.suffix_acronyms, *_LEXICON.given_name_titles] if w.isascii()}
)[:400]  # fmt: skip
TITLES = sorted(w for w in _LEXICON.titles if w.isascii() and w.isalpha())[:300]
WORD = (
    st.text(string.ascii_lowercase, min_size=1, max_size=9)
    | st.builds(lambda a, b, sep: a + sep + b, st.text("abcdeilmnorsu", min_size=1, max_size=5),
                st.text("abcdeilmnorsu", min_size=1, max_size=6), st.sampled_from(["'", "-"]))
    | st.sampled_from([*VOCABULARY, "shri", "smt", "bpk", "ibu", "s.sos", "mc", "o'brien",
                       "iii", "vi", "xi", "macdonald", "mackenzie", "mcgregor", "d'souza"])
)  # fmt: skip
CASED = st.tuples(WORD, st.sampled_from([str.title, str.upper, str.lower, str.capitalize])).map(
    lambda t: t[1](t[0])
)
TITLE = st.sampled_from(TITLES).map(str.capitalize) | st.sampled_from(TITLES).map(
    lambda t: t.capitalize() + "."
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CASED, min_size=1, max_size=4), st.none() | TITLE)
@example(["Asha", "Rao"], None)
@example(["Mary", "Ann", "Smith"], "Dr.")
@example(["O'Neill", "Smith"], None)
@example(["ASHA", "O'NEILL"], None)
@example(["van", "berg"], None)
def test_plain_name_fast_path_answers_like_nameparser(words: list[str], title: str | None) -> None:
    text = " ".join([title, *words] if title else words)
    fast = _names._plain(text)
    if fast is not None:
        assert fast == _names.parse(text)


# -- the dry run and the run agree across the mapping language -------------------------------

COLUMNS = ["a", "b", "c", "country", "id"]
CELLS = st.sampled_from(["", " ", "Dr. Asha Rao MBA", "SMITH, JOHN", "-254", "1,234", "1.234,50",
                         "87.5", "0", "2", "7", "true", "maybe", "31/02/1990", "22/10/2000",
                         "2026-12-31", "919988221100", "+44 7700 900123", "0412 345 678",
                         "a@b.com", "a@@b", "x" * 120, "IN", "AU", "Narnia", "gb", "Silver",
                         "9.19988E+11"])  # fmt: skip


@st.composite
def values(draw: st.DrawFn, kinds: list[str], empty: bool = True) -> dict[str, object]:
    """A value spec of one of ``kinds``; ``empty``: it may say ``keep_empty`` (text only)."""
    spec: dict[str, object] = {"column": draw(st.sampled_from(COLUMNS[:3]))}
    if draw(st.booleans()):
        spec["default"] = draw(st.sampled_from(["0", "Silver", "1"]))
    if draw(st.booleans()):
        spec["case"] = draw(st.sampled_from(["lower", "upper"]))
    if draw(st.booleans()):
        spec["map"] = {"silver": "1", "gold": "2"}
        spec["strict"] = draw(st.booleans())
    kind = draw(st.sampled_from(kinds))
    if kind:
        spec["as"] = kind
    if kind in ("int", "number") and draw(st.booleans()):
        spec["decimal"] = draw(st.sampled_from([".", ","]))
    if kind == "int" and draw(st.booleans()):
        spec["min"] = draw(st.sampled_from([-5, 0, 1]))
    if kind in ("date", "datetime"):
        spec["formats"] = ["%d/%m/%Y"]
    if kind == "name":
        spec["part"] = draw(st.sampled_from(["first", "last", "title", "suffix", "middle"]))
    if kind == "phone" and draw(st.booleans()):
        spec["region"] = draw(st.sampled_from([{"column": "country"}, "IN", {"value": "AU"}]))
    if draw(st.integers(0, 3)) == 0:
        spec["on_invalid"] = draw(st.sampled_from(["reject", "drop"]))
    if draw(st.integers(0, 5)) == 0:
        spec["max_length"] = draw(st.sampled_from([3, 150]))
    if empty and kind in ("", "text") and draw(st.integers(0, 5)) == 0:
        spec["keep_empty"] = True
    if kind in ("", "bool") and draw(st.integers(0, 3)) == 0:
        spec["json"] = draw(st.sampled_from(["boolean", "string"]))
    return spec


@st.composite
def firsts(draw: st.DrawFn, kinds: list[str], empty: bool = True) -> dict[str, object]:
    """A value spec, or now and then a ``first_of`` of two or three of them (each with its own
    column, conversion and ``on_invalid``)."""
    if draw(st.integers(0, 2)):
        return draw(values(kinds, empty))
    found: dict[str, object] = {
        "first_of": draw(st.lists(values(kinds, empty=False), min_size=2, max_size=3))
    }
    if draw(st.integers(0, 3)) == 0:
        found["on_invalid"] = draw(st.sampled_from(["reject", "drop"]))
    if draw(st.integers(0, 4)) == 0:
        found["required"] = True
    return found


@st.composite
def flags(draw: st.DrawFn) -> dict[str, object]:
    """A channel's flags: constants, or values read from a column (``as: bool`` by default)."""
    found: dict[str, object] = {}
    for name in ("primary", "verified", "subscribed"):
        how = draw(st.sampled_from(["none", "constant", "column"]))
        if how == "constant":
            found[name] = draw(st.booleans())
        elif how == "column":
            found[name] = draw(values(["", "bool"], empty=False))
    return found


ANY = ["", "text", "int", "number", "bool", "date", "datetime", "email", "phone", "name"]


@st.composite
def mappings(draw: st.DrawFn) -> dict[str, object]:
    profile: dict[str, object] = {
        "source": "INSTORE",
        "firstName": draw(firsts(ANY)),
        "lastName": draw(firsts(ANY)),
        "identifiers": [
            {"type": "mobile", "value": draw(firsts(["", "phone", "text", "int"], empty=False))},
            {"type": "email", "value": draw(firsts(["", "email", "text"], empty=False))},
            {"type": "externalId", "value": "id"},
            {"type": draw(st.sampled_from(["cuid", "unionId", "line"])), "value": "id"},
        ],
        "commChannels": [
            {"type": "mobile", "value": draw(firsts(["", "phone"], empty=False)), **draw(flags())},
            {
                "type": draw(st.sampled_from(["email", "line", "mobilePush"])),
                "value": draw(values(["", "text"], empty=False)),
                "meta": {"m": draw(values(["", "text", "bool"]))},
                **draw(flags()),
            },
        ],
        "fields": {"dob": draw(firsts(ANY))},
    }
    enrollment = {
        "programId": 469,
        "tierNumber": draw(values(["", "int"], empty=False)),
        "loyaltyPoints": draw(firsts(["", "int", "number"], empty=False)),
        "pointsExpiryDate": draw(values(["", "datetime", "text"], empty=False)),
    }
    return {
        "settings": {"on_invalid": draw(st.sampled_from(["reject", "drop", "drop", "drop"]))},
        "registration": {"required_identifiers": draw(st.sampled_from([[], [], ["mobile"]]))},
        "profiles": [profile],
        "extendedFields": {"gender": draw(values(ANY))},
        "loyaltyProgramEnrollments": [enrollment],
        "referralCode": draw(values(ANY)),
    }


#: the issue: validate said ready, the run answered invalid_request naming neither column nor value
NEGATIVE_POINTS = {
    "profiles": [{"source": "INSTORE", "identifiers": [{"type": "externalId", "value": "id"}]}],
    "loyaltyProgramEnrollments": [
        {"programId": 469, "loyaltyPoints": {"column": "b", "as": "int"}}
    ],
}


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mappings(), st.lists(st.lists(CELLS, min_size=4, max_size=4), min_size=1, max_size=4))
@example(NEGATIVE_POINTS, [["", "-254", "", ""]])
def test_what_the_dry_run_sends_the_run_sends(data: dict[str, object], rows) -> None:
    """The dry run (the compiled mapping alone) and the run (which also asks the request model)
    give every row the same verdict; every rejection names a column and quotes a value."""
    try:
        builder = Builder(Mapping.model_validate(data), COLUMNS)
    except (ValueError, ConfigError):
        return  # a mapping the schema refuses before any row
    for row in rows:
        cells = [*row, "M1"]
        try:
            body, _, _, warns = builder.build_raw(cells)
        except RowRejected as exc:
            assert exc.codes[0] == exc.code
            for part in str(exc).split(" | "):
                named = part.split(":")[0] in COLUMNS
                assert named or part.startswith(("identifier ", "no identifier")), part
            event(f"rejected {exc.code}")
            continue
        check_payload(body)  # the run would send it too
        event("sent")
        for channel in body["profiles"][0].get("commChannels", []):
            event(f"flags sent: {sorted(k for k in channel if k not in ('type', 'value'))}")
        for warning in warns or []:
            assert warning["column"] in COLUMNS and warning["message"].startswith(warning["column"])
