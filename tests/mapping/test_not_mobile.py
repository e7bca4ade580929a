"""Landlines are not mobiles: a mobile identifier or channel rejects (or drops) a number whose
type, as phonenumbers says, no mobile has; a field reading the same number takes it."""

from __future__ import annotations

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer._exceptions import RowRejected
from importer.mapping import Builder, parse_mapping
from importer.mapping._phonetype import not_mobile_type, number_type

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
KINDS = list(phonenumbers.PhoneNumberType.values())
T = phonenumbers.PhoneNumberType


@st.composite
def valid_numbers(draw: st.DrawFn) -> phonenumbers.PhoneNumber:
    """Example numbers of every region and type with a few digits changed, kept when valid."""
    region, kind = draw(st.sampled_from(REGIONS)), draw(st.sampled_from(KINDS))
    example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(
        region
    )
    if example is None:
        return phonenumbers.parse("+14155550123")
    digits = list(str(example.national_number))
    for _ in range(draw(st.integers(0, 3))):
        digits[draw(st.integers(0, len(digits) - 1))] = draw(st.sampled_from("0123456789"))
    number = phonenumbers.parse(f"+{example.country_code}{''.join(digits)}")
    return number if phonenumbers.is_valid_number(number) else example


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_numbers())
def test_the_fast_number_type_is_the_librarys(number: phonenumbers.PhoneNumber) -> None:
    digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    kind = phonenumbers.number_type(number)
    assert number_type(digits) == kind
    # an allow-list: every type but these two is refused, whatever the library adds later
    mobile = {T.MOBILE, T.FIXED_LINE_OR_MOBILE}
    assert not_mobile_type(digits) == (None if kind in mobile else kind)


MAPPING = """
settings: {{on_invalid: {on_invalid}}}
profiles:
  - source: INSTORE
    identifiers:
      - {{type: mobile, value: {{column: Phone, as: phone, region: {{column: Country}}}}}}
      - {{type: externalId, value: id}}
    commChannels:
      - {{type: mobile, value: {{column: Phone, as: phone, region: {{column: Country}}}}}}
    fields:
      telephone: {{column: Phone, as: phone, region: {{column: Country}}}}
"""


def build(cells: list[str], on_invalid: str = "reject"):
    builder = Builder(
        parse_mapping(MAPPING.format(on_invalid=on_invalid)), ["Phone", "Country", "id"]
    )
    return builder.build_raw([*cells, "1"])


def test_a_landline_is_rejected_naming_the_number_and_its_type() -> None:
    try:
        build(["030 1234567", "DE"])
    except RowRejected as exc:
        assert exc.code == "not_mobile"
        assert str(exc) == (
            'Phone: "030 1234567" reads as +49301234567, a fixed line (landline): not a mobile'
        )
    else:
        raise AssertionError("a landline was taken as a mobile")


def test_a_dropped_landline_is_left_out_of_the_mobile_places_and_kept_in_the_field() -> None:
    body, _, _, warns = build(["030 1234567", "DE"], on_invalid="drop")
    profile = body["profiles"][0]
    assert profile["identifiers"] == [{"type": "externalId", "value": "1"}]
    assert "commChannels" not in profile
    assert profile["fields"] == {"telephone": "49301234567"}  # a field takes any number
    assert {w["code"] for w in warns} == {"dropped_value"}


def test_mobiles_and_either_kind_pass() -> None:
    for cells, digits in [
        (["0151 23456789", "DE"], "4915123456789"),
        (["(202) 555-0143", "US"], "12025550143"),  # FIXED_LINE_OR_MOBILE: can be a mobile
        (["+1 613 555 0143", "IN"], "16135550143"),
    ]:
        body, *_ = build(cells)
        assert body["profiles"][0]["identifiers"][0] == {"type": "mobile", "value": digits}


def test_only_mobiles_pass_a_personal_number_a_pager_or_voip_is_no_mobile() -> None:
    # each the library's own example of its type (so the test follows its metadata), read in
    # its region: a deny-list of landline-like types let these through as mobiles
    for region, kind in [("GB", T.PERSONAL_NUMBER), ("GB", T.PAGER), ("GB", T.VOIP),
                         ("GB", T.UAN), ("FR", T.VOIP), ("NL", T.PAGER)]:  # fmt: skip
        example = phonenumbers.example_number_for_type(region, kind)
        assert example is not None and phonenumbers.number_type(example) == kind
        text = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        try:
            build([text, region])
        except RowRejected as exc:
            assert exc.code == "not_mobile" and "not a mobile" in str(exc), str(exc)
        else:
            raise AssertionError(f"{text} ({kind}) was taken as a mobile")
    body, _, _, warns = build(["+44 70 2740 5929", "GB"], on_invalid="drop")
    assert "commChannels" not in body["profiles"][0]  # a UK personal number is left out
    assert {w["code"] for w in warns} == {"dropped_value"}
