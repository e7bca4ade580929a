"""``first_of``: the first candidate that gives a value wins; each candidate is a whole value
spec with its own column, region, conversion and ``on_invalid``."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder, parse_mapping

COLUMNS = ["Phone", "Default Address Phone", "Default Address Country Code", "Email"]


def builder(value: str, required: str = "[]") -> Builder:
    text = f"""
registration: {{required_identifiers: {required}}}
profiles:
  - source: INSTORE
    identifiers:
      - type: mobile
        value: {value}
      - {{type: email, value: Email}}
"""
    return Builder(parse_mapping(text), COLUMNS)


SHOP = """
          first_of:
            - {column: Phone, on_invalid: drop}
            - column: Default Address Phone
              as: phone
              region: {column: Default Address Country Code}
"""


def e164(text: str, region: str | None) -> str:
    """The oracle: phonenumbers itself."""
    number = phonenumbers.parse(text, region)
    assert phonenumbers.is_valid_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def outcome(b: Builder, cells: list[str]) -> tuple[Any, ...]:
    try:
        body, _, _, warns = b.build_raw(cells)
    except RowRejected as exc:
        return ("rejected", exc.code, str(exc))
    ids = {i["type"]: i["value"] for i in body["profiles"][0]["identifiers"]}
    return ("sent", ids.get("mobile"), [w["code"] for w in warns or []])


def test_the_first_candidate_with_a_value_wins_each_read_its_own_way() -> None:
    b = builder(SHOP)
    assert outcome(b, ["+61 412 345 678", "0151 23456789", "DE", ""]) == (
        "sent", e164("+61 412 345 678", None), [])  # fmt: skip
    # the account's phone empty: the address's phone, read in the address's country
    assert outcome(b, ["", "0151 23456789", "DE", ""]) == ("sent", e164("0151 23456789", "DE"), [])
    assert outcome(b, ["", "0412 345 678", "AU", ""]) == ("sent", e164("0412 345 678", "AU"), [])
    assert b.take_usage() == {
        "profiles.0.identifiers.0.value": {"Phone": 1, "Default Address Phone": 2}
    }
    assert b.take_usage() == {}  # the counts restart


def test_an_invalid_candidate_that_drops_falls_through_with_a_warning() -> None:
    b = builder(SHOP)
    found = outcome(b, ["garbage", "0412 345 678", "AU", ""])
    assert found == ("sent", e164("0412 345 678", "AU"), ["dropped_value"])
    _, _, _, warns = b.build_raw(["garbage", "0412 345 678", "AU", ""])
    assert warns[0]["column"] == "Phone" and '"garbage"' in warns[0]["message"]
    # dropped and nothing after it: left out with the warning, the e-mail identifies the row
    assert outcome(b, ["garbage", "", "", "a@b.com"]) == ("sent", None, ["dropped_value"])


def test_an_invalid_candidate_that_rejects_rejects_the_row_without_reading_the_next() -> None:
    b = builder("""
          first_of:
            - {column: Phone, on_invalid: reject}
            - column: Default Address Phone
              as: phone
              region: {column: Default Address Country Code}
""")  # fmt: skip
    code, message = outcome(b, ["garbage", "0412 345 678", "AU", "a@b.com"])[1:]
    assert code == "invalid_mobile" and message.startswith('Phone: "garbage"')
    # a later candidate is not read once an earlier one gave a value: its fault is not the row's
    assert outcome(b, ["+61412345678", "rubbish", "Narnia", ""])[0] == "sent"
    assert b.take_usage() == {"profiles.0.identifiers.0.value": {"Phone": 1}}


def test_the_outer_on_invalid_is_the_candidates_default() -> None:
    b = builder("""
          on_invalid: drop
          first_of: [Phone, {column: Default Address Phone, on_invalid: reject}]
""")
    found = outcome(b, ["nope", "+61412345678", "", ""])
    assert found == ("sent", "61412345678", ["dropped_value"])
    assert outcome(b, ["nope", "nope", "", "a@b.com"])[1] == "invalid_mobile"


def test_a_required_first_of_with_nothing_names_every_candidate() -> None:
    b = builder("{first_of: [Phone, Default Address Phone], required: true}")
    code, message = outcome(b, ["", "", "", "a@b.com"])[1:]
    assert code == "missing_value"
    assert message == (
        "Phone: is empty, and so are the other candidates (Default Address Phone): required"
    )


def test_a_required_identifier_is_never_dropped_its_dropped_candidates_reject_instead() -> None:
    b = builder("{first_of: [Phone, Default Address Phone], on_invalid: drop}", "[mobile]")
    # a later candidate gives the value: the dropped one is a warning
    assert outcome(b, ["nope", "+61412345678", "", ""])[2] == ["dropped_value"]
    # none gives one: the dropped values reject the row, named, not a bare "missing"
    code, message = outcome(b, ["nope", "", "", "a@b.com"])[1:]
    assert code == "invalid_mobile" and message.startswith('Phone: "nope"')


def test_an_unconverted_identifier_candidate_is_checked_and_named_by_its_own_column() -> None:
    b = builder("{first_of: [Phone, {column: Email, as: text}]}")
    code, message = outcome(b, ["", "", "", "not a mobile"])[1:]
    assert code == "invalid_mobile" and message.startswith("Email:")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("{first_of: [Phone], as: phone}", "first_of takes its candidates' keys"),
        ("{first_of: [Phone], column: Phone}", "first_of takes its candidates' keys"),
        ("{first_of: [{first_of: [Phone]}]}", "cannot be a first_of itself"),
        ("{first_of: [{column: Phone, required: true}]}", "required goes beside first_of"),
        ("{first_of: []}", "at least 1"),
    ],
)
def test_a_first_of_that_cannot_work_stops_the_mapping(value: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        builder(value)


def test_the_columns_of_every_candidate_are_read() -> None:
    mapping = parse_mapping(f"""
profiles:
  - source: INSTORE
    identifiers:
      - type: mobile
        value: {SHOP}
""")
    assert mapping.columns_used() == set(COLUMNS[:3])
