"""Bare digits that read two ways (issue 17 item 7): a national number of the row's country
whose trunk 0 was lost, and another country's number whose + was lost. When both readings are
possible the cell is ``ambiguous_mobile`` naming both, never stored as the national one (unless
the digits are the national number's usual form: a plan that writes it without a trunk, as
China's and the US's mobiles, lost nothing); in a mobile identifier or channel only a reading
that can be a mobile counts. Oracle: phonenumbers,
called here (parse, is_valid_number, number_type), not the importer's fast paths."""

from __future__ import annotations

import phonenumbers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from importer._exceptions import RowRejected
from importer.mapping import Builder, _phone, parse_mapping
from importer.mapping._problems import Kept

#: countries with a trunk 0 and without: the lost 0 of one, the lost + of the other
REGIONS = ["DE", "GB", "IN", "BR", "FR", "IT", "AU", "ID", "MX", "NL", "TR", "JP", "AT", "ES"]
T = phonenumbers.PhoneNumberType
MOBILES = (T.MOBILE, T.FIXED_LINE_OR_MOBILE)


def _where(mobile: bool) -> _phone.Where:
    return _phone.Where("Country", regional=True, mobile=mobile)


def outcome(read, cell: str, region: str, mobile: bool) -> tuple[str, str]:
    try:
        return "sent", read(cell, region, "Mobile", _where(mobile))
    except Kept as kept:
        return "sent", kept.value
    except RowRejected as exc:
        return exc.code, str(exc)


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def usual_form(number: phonenumbers.PhoneNumber) -> bool:
    """Its country writes it nationally without a trunk prefix: bare digits lost nothing."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit()) == (
        phonenumbers.national_significant_number(number)
    )


@st.composite
def trunk_lost(draw: st.DrawFn) -> tuple[str, str]:
    """(a mobile's national significant number, a few digits changed; its region)."""
    region = draw(st.sampled_from(REGIONS))
    digits = list(str(phonenumbers.example_number_for_type(region, T.MOBILE).national_number))
    for _ in range(draw(st.integers(0, 4))):
        digits[draw(st.integers(1, len(digits) - 1))] = draw(st.sampled_from("0123456789"))
    return "".join(digits), region


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trunk_lost(), st.booleans())
@example(("17286986455", "DE"), True)  # 0172 … or +1 728 …: both mobiles
@example(("9598300213", "IN"), True)  # India's 95983 … or Myanmar's +95 98 …
@example(("51991677783", "BR"), True)  # Porto Alegre's (51) 99167 …, as Brazil writes it: kept
@example(("13812345678", "CN"), True)  # China's 138 1234 5678, as China writes it: kept
@example(("8223756989", "IN"), True)  # India's mobile, or a landline of Korea: the mobile
@example(("8223756989", "IN"), False)  # ... but any number may be meant outside a mobile
def test_a_national_mobile_that_is_also_another_countrys_number_is_not_guessed(
    case: tuple[str, str], mobile: bool
) -> None:
    cell, region = case
    national = phonenumbers.parse(cell, region)
    try:
        plus = phonenumbers.parse("+" + cell)
    except phonenumbers.NumberParseException:
        plus = None
    if not (
        phonenumbers.is_valid_number(national)
        and phonenumbers.number_type(national) in MOBILES
        and plus is not None
        and phonenumbers.is_valid_number(plus)
        and phonenumbers.region_code_for_number(plus) != region
        and e164(plus) != e164(national)
    ):
        return  # not two readings of this rule: other rules (tests/mapping) judge it
    either = not mobile or phonenumbers.number_type(plus) in MOBILES
    for read in (_phone.read, _phone.read_slow):
        code, said = outcome(read, cell, region, mobile)
        if usual_form(national):  # the national number's usual form: no trunk was lost
            assert (code, said) == ("sent", e164(national)), (read.__name__, cell, region, said)
        elif either:
            assert code == "ambiguous_mobile", (read.__name__, cell, region, said)
            assert f"+{e164(national)}" in said and f"+{e164(plus)}" in said, said
        else:
            assert (code, said) == ("sent", e164(national)), (read.__name__, cell, region)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trunk_lost(), st.booleans())
def test_bare_digits_never_store_a_number_the_other_reading_makes_doubtful(
    case: tuple[str, str], mobile: bool
) -> None:
    # whatever rule answers, a stored number is a valid reading of the cell, and when both the
    # national and the + reading are valid mobiles and differ, neither is stored, unless the
    # digits are the national number's usual form (no trunk lost)
    cell, region = case
    readings = set()
    usual = None
    for text, where in ((cell, region), ("+" + cell, None)):
        try:
            number = phonenumbers.parse(text, where)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in MOBILES:
            readings.add(e164(number))
            if where is not None and usual_form(number):
                usual = e164(number)
    for read in (_phone.read, _phone.read_slow):
        # as a mobile identifier reads it (a landline rejected not_mobile), or as a field does
        code, said = outcome(_phone.mobile_only(read, "Mobile") if mobile else read, *case, mobile)
        if code == "sent" and mobile:
            assert readings == {said} or said == usual, (read.__name__, cell, region, said)
        elif code == "sent" and len(readings) == 2 and said != usual:
            raise AssertionError(("two mobile readings, one stored", cell, region, said))


MAPPING = """
settings: {on_invalid: drop}
profiles:
  - source: INSTORE
    identifiers:
      - {type: mobile, value: {column: Phone, as: phone, region: {column: Country}}}
      - {type: externalId, value: id}
    fields:
      telephone: {column: Phone, as: phone, region: {column: Country}}
"""


def test_the_mapping_tells_the_reading_whether_a_value_is_a_mobile() -> None:
    builder = Builder(parse_mapping(MAPPING), ["Phone", "Country", "id"])
    # India's mobile 82237 56989, or Korea's landline +82 2 … with its + lost: only the first can
    # be a mobile, so the identifier takes it; a field could mean either, so it drops the value
    body, _, _, warns = builder.build_raw(["8223756989", "IN", "1"])
    profile = body["profiles"][0]
    assert profile["identifiers"][0] == {"type": "mobile", "value": "918223756989"}
    assert "fields" not in profile or "telephone" not in profile["fields"]
    assert any("+8223756989 (KR)" in w["message"] for w in warns), warns
    # two mobiles: neither is stored, the row is still sent on its id
    body, _, _, warns = builder.build_raw(["17286986455", "DE", "2"])
    assert body["profiles"][0]["identifiers"] == [{"type": "externalId", "value": "2"}]
    assert any("+4917286986455" in w["message"] and "+17286986455" in w["message"] for w in warns)
