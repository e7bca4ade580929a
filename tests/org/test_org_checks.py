"""The mapping and each value checked against the org's fields, without a network."""

from __future__ import annotations

import pytest
from faker import Faker
from org_helpers import org_data

from importer._exceptions import ConfigError, RowRejected
from importer.mapping import Builder, parse_mapping, parse_org, with_org

HEAD = """
profiles:
  - source: INSTORE
    identifiers: [{type: externalId, value: id}]
    fields: {employee: emp}
"""


def build(extended: str, org: dict | None = None, columns: tuple[str, ...] = ("id", "emp", "x")):
    mapping = parse_mapping(HEAD + "extendedFields:\n" + extended, "m.yaml")
    mapping = with_org(mapping, parse_org(org or org_data(), "org.json"))
    return Builder(mapping, list(columns))


def test_a_misspelled_field_names_the_closest_ones() -> None:
    with pytest.raises(ConfigError) as err:
        build("  marital_staus: x\n  age: x\n  Marital Status: x\n  zzz: x\n")
    text = str(err.value)
    assert "marital_staus: the org has no such extended field; did you mean marital_status?" in text
    assert "age: the org has no such extended field; did you mean Age?" in text
    # a label written as the name: the field it labels
    assert (
        "Marital Status: the org has no such extended field; did you mean marital_status?" in text
    )
    assert "zzz: the org has no such extended field (the org has: Age, avg_spend," in text
    assert "org.json" in text


def test_a_custom_field_the_org_lacks_and_a_mandatory_one_left_out() -> None:
    config = [{"extendedFieldId": 3, "mandatory": True}]
    mapping = parse_mapping(HEAD.replace("employee", "employe") + "extendedFields: {}\n", "m.yaml")
    with pytest.raises(ConfigError) as err:
        with_org(mapping, parse_org(org_data(config=config), "org.json"))
    text = str(err.value)
    assert "employe: the org has no such custom field; did you mean employee?" in text
    assert "Age: the org marks this extended field mandatory; the mapping does not fill it" in text


def test_a_conversion_the_data_type_cannot_take_is_a_mapping_error() -> None:
    with pytest.raises(
        ConfigError, match=r"Age is INTEGER: it takes as: int or as: text, not as: date"
    ):
        build("  Age: {column: x, as: date}\n")


def test_an_unread_endpoint_checks_nothing_of_its_own() -> None:
    data = org_data()
    data["endpoints"]["extendedFields"] = {"error": "HTTP 500"}
    org = parse_org(data, "org.json")
    assert org.extended is None and org.failures["extendedFields"] == "HTTP 500"
    mapping = with_org(parse_mapping(HEAD + "extendedFields: {anything: x}\n"), org)
    body, _ = Builder(mapping, ["id", "emp", "x"]).build(["1", "y", "whatever"])
    assert body["extendedFields"] == {"anything": "whatever"}


@pytest.mark.parametrize(
    ("spec", "cell", "sent"),
    [
        ("Age: x", "40", 40),
        ("Age: x", "1,200", 1200),
        ("Age: {column: x, as: text}", "40", "40"),
        ("avg_spend: x", "12.50", 12.5),
        ("gender: x", "Female", "Female"),
        ("gender: x", "female", "Female"),  # the same value, in the org's spelling
        ("gender: {column: x, map: {F: Female}}", "F", "Female"),
        ("joined_on: x", "2024-02-29", "2024-02-29T00:00:00+00:00"),
        (
            "joined_on: {column: x, as: text}",
            "2024-02-29T10:00:00+05:30",
            "2024-02-29T10:00:00+05:30",
        ),
        ("nickname: x", "Bob", "Bob"),
    ],
)
def test_good_values_are_converted_by_their_data_type(spec: str, cell: str, sent: object) -> None:
    body, _ = build(f"  {spec}\n").build(["1", "y", cell])
    assert body["extendedFields"] == {spec.split(":")[0]: sent}


@pytest.mark.parametrize(
    ("spec", "cell", "code", "fragment"),
    [
        (
            "Age: x",
            "forty",
            "invalid_int",
            'x: "forty" is not a whole number (the org\'s extended field Age is INTEGER)',
        ),
        ("Age: x", "40.5", "invalid_int", "Age is INTEGER"),
        ("Age: {column: x, as: text}", "4O", "invalid_int", "Age is INTEGER"),
        ("avg_spend: {column: x, as: text}", "1,5", "invalid_number", "avg_spend is DOUBLE"),
        ("avg_spend: x", "abc", "invalid_number", "avg_spend is DOUBLE"),
        (
            "gender: x",
            "hello",
            "not_in_enum",
            'x: "hello" is not one of the org\'s values (Male, Female, Other)',
        ),
        ("marital_status: x", "Maried", "not_in_enum", "marital_status is STANDARD_ENUM"),
        ("joined_on: x", "31/02/2024", "invalid_date", "joined_on is DATETIME"),
        ("joined_on: {column: x, as: text}", "2024-02-29", "invalid_date", "joined_on is DATETIME"),
        ("nickname: x", "Bartholomew", "too_long", "longer than 8 characters"),
    ],
)
def test_bad_values_reject_the_row_naming_column_value_and_field(
    spec: str, cell: str, code: str, fragment: str
) -> None:
    with pytest.raises(RowRejected) as err:
        build(f"  {spec}\n").build(["1", "y", cell])
    assert err.value.code == code
    assert fragment in str(err.value)


def test_with_on_invalid_drop_a_bad_value_is_left_out_with_a_warning() -> None:
    builder = build("  gender: {column: x, on_invalid: drop}\n")
    body, _, _, warns = builder.build_raw(["1", "y", "hello"])
    assert "extendedFields" not in body
    assert warns[0]["code"] == "dropped_value"
    assert '"hello"' in warns[0]["message"] and "gender" in warns[0]["message"]


def test_integers_from_faker_agree_with_python(faker: Faker) -> None:
    """Oracle: Python's own int() on the plain digits, and a rejection for any word."""
    builder = build("  Age: x\n")
    for _ in range(200):
        n = faker.pyint(min_value=-(10**6), max_value=10**12)
        body, _ = builder.build(["1", "y", str(n)])
        assert body["extendedFields"]["Age"] == n
        word = faker.word()
        with pytest.raises(RowRejected):
            builder.build(["1", "y", word])
