"""Quotes that swallow rows are findings; a record that cannot be read is named where it began."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer._exceptions import InputError
from importer.read._records import SUSPECT_QUOTE
from importer.read._table import open_table


def chunks(path: Path) -> list[tuple[list[int], list[list[str]], dict]]:
    return list(open_table(path).raw_chunks(1000))


def test_a_quote_that_swallows_rows_is_a_suspect_quote_naming_lines_and_column(write) -> None:
    path = write(
        "in.csv",
        'id,name,mobile\n1,Ann,911\n2,"Ben,912\n3,Cat,913\n4,Dan,914"x,\n5,Eve,915\n',
    )
    ((numbers, values, findings),) = chunks(path)
    assert numbers == [2, 3, 4]  # rows 3 and 4 were swallowed into row 3
    assert values[1][0] == "2" and "3,Cat,913" in values[1][1]
    code, message = findings[1]
    assert code == SUSPECT_QUOTE
    assert message.startswith("name: a quote opened on line 3 runs to line 5")
    assert "lines 4-5 look like rows of their own" in message


def test_a_quoted_cell_with_line_breaks_is_not_suspect(write) -> None:
    path = write("in.csv", 'id,address,mobile\n1,"12 High St\nFlat 2, Leeds",911\n2,B,912\n')
    ((numbers, values, findings),) = chunks(path)
    assert numbers == [2, 3] and findings == {}
    assert values[0][1] == "12 High St\nFlat 2, Leeds"  # one comma: fewer than a row has


def test_line_numbers_count_the_line_breaks_of_earlier_records(write) -> None:
    # row 2 spans lines 2-3 legitimately; the suspect quote of row 3 opens on line 4
    text = 'a,b,c\n1,"x\ny",z\n2,"open,2\n3,b,c\n4,b,c"q,\n'
    ((_, _, findings),) = chunks(write("in.csv", text))
    assert findings[1][1].startswith("b: a quote opened on line 4 runs to line 6")


def test_findings_stay_with_their_rows_across_chunks(write) -> None:
    lines = [f"{i},n{i},9{i:06d}" for i in range(1, 2500)]
    lines[1800] = '1801,"open,91801'
    lines[1801] = "1802,n,91802"
    lines[1802] = '1803,n,91803"x,'
    path = write("in.csv", "id,name,mobile\n" + "\n".join(lines) + "\n")
    found = {}
    for numbers, _, findings in open_table(path).raw_chunks(1000):
        found.update({numbers[i]: f for i, f in findings.items()})
    assert list(found) == [1802]
    assert found[1802][1].startswith("name: a quote opened on line 1802 runs to line 1804")


def test_an_unclosed_quote_deep_in_the_file_is_named_where_it_opened(write) -> None:
    rows = "".join(f"{i},n{i},9{i:06d}\n" for i in range(1, 3001))
    tail = "".join("x" * 60 + "\n" for _ in range(20_000))  # more than 1 MB after the quote
    path = write("in.csv", "id,name,mobile\n" + rows + '3001,"unclosed,93001\n' + tail)
    seen: list[int] = []
    with pytest.raises(InputError) as info:
        for numbers, _, _ in open_table(path).raw_chunks(1000):
            seen.extend(numbers)
    assert "line 3002" in str(info.value) and "unclosed quote" in str(info.value)
    assert seen == list(range(2, 3002))  # every row before the broken one was handed out


def test_a_suspect_quote_below_a_title_is_found_and_numbered_as_the_sheet_shows(write) -> None:
    path = write(
        "in.csv",
        'Members exported 2026-12-01\n\nid,name,mobile\n1,Ann,911\n2,"Ben,912\n3,Cat,913\n'
        '4,Dan,914"x,\n5,Eve,915\n',
    )
    ((numbers, values, findings),) = chunks(path)
    assert numbers == [4, 5, 6]  # the title and the blank line are rows 1 and 2
    code, message = findings[1]
    assert code == SUSPECT_QUOTE and message.startswith("name: a quote opened on line 5")
