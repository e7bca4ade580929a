"""What the importer sends for an org field, the emulator's own checks (written apart) accept:
no request is spent on a value the org would drop or refuse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from org_helpers import org_data

from importer._exceptions import RowRejected
from importer.emulator._org import ExtendedField
from importer.emulator._orgfields import invalid
from importer.mapping import Builder, parse_mapping, parse_org, with_org

FIELDS = {
    "Age": ExtendedField(name="Age", dataType="INTEGER"),
    "avg_spend": ExtendedField(name="avg_spend", dataType="DOUBLE"),
    "joined_on": ExtendedField(name="joined_on", dataType="DATETIME"),
    "gender": ExtendedField(
        name="gender", dataType="STANDARD_ENUM", values=("Male", "Female", "Other")
    ),
    "nickname": ExtendedField(name="nickname", dataType="STRING", maxLength=8),
}  # fmt: skip
MAPPING = """
profiles:
  - source: INSTORE
    identifiers: [{type: externalId, value: id}]
extendedFields:
  %s: x
"""
#: cells people write: numbers in several shapes, dates, words, case variants
CELLS = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.strftime("%Y-%m-%d")),
    st.sampled_from(["male", "FEMALE", "Other ", "1,200", "12.0", "3O", "1e5", "31/02/2024"]),
)


@pytest.mark.parametrize("name", sorted(FIELDS))
@settings(max_examples=150, deadline=None)
@given(cell=CELLS)
def test_every_value_the_importer_sends_the_org_takes(name: str, cell: str) -> None:
    builder = _builder(name)
    try:
        body, _ = builder.build(["1", cell])
    except RowRejected:
        return  # held back locally, with the reason: nothing sent
    sent = body.get("extendedFields", {}).get(name)
    if sent is not None:
        assert invalid(FIELDS[name], sent) is None, (cell, sent)


_BUILT: dict[str, Builder] = {}


def _builder(name: str) -> Builder:
    if name not in _BUILT:
        org = parse_org(org_data(), "org.json")
        mapping = with_org(parse_mapping(MAPPING % name), org)
        _BUILT[name] = Builder(mapping, ["id", "x"])
    return _BUILT[name]
