"""The drafter's pure parts: header words, date formats, phone regions, and the YAML writer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.draft._dates import guess_dates
from importer.draft._phones import best_region
from importer.draft._vocab import country_code, header_fields
from importer.draft._write import Item, Node, render
from importer.mapping._spec import parse_mapping


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Mobile", "mobile"), ("Phone", "mobile"), ("Cell", "mobile"), ("Handy", "mobile"),
        ("Mobile No.", "mobile"), ("Telefonnummer", "mobile"), ("E-Mail", "email"),
        ("e_mail", "email"), ("DOB", "dateofbirth"), ("Birthday", "dateofbirth"),
        ("Geburtsdatum", "dateofbirth"), ("Date of Birth", "dateofbirth"),
        ("Customer No", "externalId"), ("Member ID", "externalId"), ("Kundennummer", "externalId"),
        ("Vorname", "firstName"), ("Surname", "lastName"), ("Full Name", "fullName"),
        ("Geschlecht", "gender"), ("PLZ", "zip"), ("Land", "country"), ("Opt-in SMS", "consent"),
        ("Points Balance", "points"),
    ],
)  # fmt: skip
def test_headers_name_their_field(header: str, field: str) -> None:
    found = header_fields(header)
    assert max(found, key=found.get) == field


def test_country_cells() -> None:
    assert [country_code(v) for v in ("IN", "ind", "India", " japan ", "UK", "USA", "UAE")] == [
        "IN", "IN", "IN", "JP", "GB", "US", "AE",
    ]  # fmt: skip
    assert [country_code(v) for v in ("Asia", "N/A", "", "356", "Narnia")] == [None] * 5


# -- dates ----------------------------------------------------------------------------------------


def test_a_day_above_12_decides_day_first() -> None:
    guess = guess_dates({"05/03/1988": 3, "13/04/1990": 1, "01/02/2000": 1})
    assert guess.formats == ["%d/%m/%Y"] and guess.day_first and guess.decided
    assert guess.share == 1


def test_a_day_above_12_in_second_place_decides_month_first() -> None:
    guess = guess_dates({"05/03/1988": 3, "04/13/1990": 1})
    assert guess.formats == ["%m/%d/%Y"] and guess.day_first is False and guess.decided


def test_nothing_decides_then_the_convention_does_and_says_so() -> None:
    values = {"05/03/1988": 1, "01/02/2000": 1}
    assert guess_dates(values).formats == ["%d/%m/%Y"]  # the default, day first
    month_first = guess_dates(values, convention=False)
    assert month_first.formats == ["%m/%d/%Y"] and not month_first.decided


def test_the_minority_order_is_counted_not_read() -> None:
    guess = guess_dates({"13/04/1990": 5, "04/14/1990": 1, "01/01/1990": 2})
    assert guess.formats == ["%d/%m/%Y"] and guess.against == 1
    assert guess.unread == ["04/14/1990"] and guess.share == 7 / 8


def test_several_formats_in_one_column_and_placeholders() -> None:
    guess = guess_dates({"12-Oct-1975": 2, "27/02/1992": 3, "01/01/1900": 1, "31/13/1980": 1})
    assert guess.formats == ["%d/%m/%Y", "%d-%b-%Y"]
    assert guess.placeholders == ["01/01/1900"] and guess.unread == ["31/13/1980"]


def test_datetimes() -> None:
    guess = guess_dates({"31/12/2026 23:59": 2, "2026-01-01 10:00:00": 1})
    assert guess.has_time and guess.formats == ["%d/%m/%Y %H:%M"] and guess.share == 1


def test_iso_dates_are_named_when_they_are_all_there_is() -> None:
    assert guess_dates({"1988-03-05": 4}).formats == ["%Y-%m-%d"]
    assert guess_dates({"hello": 1, "12345": 2}) is None


# -- phone regions --------------------------------------------------------------------------------


def test_local_numbers_get_the_region_that_reads_most_of_them() -> None:
    guess = best_region({"09876543210": 3, "98765 43211": 1, "+91 98765 43212": 1, "12345": 1})
    assert guess.region == "IN" and guess.share == 5 / 6 and guess.invalid == ["12345"]


def test_numbers_with_their_country_code_need_no_region() -> None:
    guess = best_region({"919876543210": 1, "447911123456": 1, "+12125550143": 1})
    assert guess.region is None and guess.share == 1


def test_regions_reading_numbers_differently_are_a_guess_unless_evidence_decides() -> None:
    bare = {"9876543210": 1, "9876543211": 1, "9876543212": 1}
    guess = best_region(bare)
    assert guess.tied and not guess.evidence  # India and Brazil: nothing in the file says which
    told = best_region(bare, hints={"BR": 3})
    assert told.region == "BR" and "e-mail" in told.evidence


# -- the writer -----------------------------------------------------------------------------------

texts = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30
) | st.sampled_from(
    ["true", "no", "Yes", "null", "~", "1,000", "0049 1", "a: b", "x # y", "-", "@"]
)


@given(value=texts, key=texts.filter(bool), note=st.text(max_size=40))
def test_scalars_read_back_as_written(value: str, key: str, note: str) -> None:
    doc = [
        Node(
            "profiles",
            [Item([Node("source", "INSTORE"), Node("identifiers", [Item([
                Node("type", "externalId"),
                Node("value", {"column": "id", "map": {key: value}}, note=note, above=note),
            ])])])],
        )
    ]  # fmt: skip
    mapping = parse_mapping(render(doc))
    table = mapping.profiles[0].identifiers[0].value.map
    assert table == {key: value}


def test_long_values_become_blocks_and_lines_stay_short() -> None:
    long_map = {f"spelling number {i}": f"value {i}" for i in range(12)}
    text = render([Node("extendedFields", [Node("gender", {"column": "Sex", "map": long_map})])])
    assert max(len(line) for line in text.splitlines()) <= 100
    base = "profiles: [{source: INSTORE, identifiers: [{type: mobile, value: m}]}]\n"
    assert parse_mapping(base + text).extendedFields["gender"].map == long_map


def test_a_node_written_off_comes_back_when_uncommented() -> None:
    node = Node("loyaltyProgramEnrollments", [Item([Node("programId", 469, "the program")])])
    off = Node(node.key, node.value, off=True)
    text = render([off])
    assert all(line.startswith("#") for line in text.splitlines())
    restored = "\n".join(line[2:] for line in text.splitlines())
    assert restored.strip() == render([node]).strip()
