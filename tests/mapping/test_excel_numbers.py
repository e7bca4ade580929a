"""Numbers Excel cleaned: a mobile saved as a number loses its + (``4915123456789``) or keeps
the (0) of ``+49 (0) 151…`` (``49015123456789``). Read in the row's own country they are sent as
the number meant, or rejected naming the readings: never with the country code twice. Oracle:
phonenumbers, called here."""

from __future__ import annotations

import phonenumbers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from importer._exceptions import RowRejected
from importer.mapping import _phone
from importer.mapping._problems import Kept

#: countries with a trunk 0 whose plans differ in how many lengths they take (DE, AT: nearly any)
REGIONS = ["DE", "AT", "ID", "IT", "GB", "FR", "IN", "AU", "NL", "CH", "MY", "TR", "BR", "MX"]
MOBILE = phonenumbers.PhoneNumberType.MOBILE
WHERE = _phone.Where("Country", regional=True)


@st.composite
def cleaned(draw: st.DrawFn) -> tuple[str, str, str]:
    """(the cell Excel left, the row's country, the E.164 digits the customer gave)."""
    region = draw(st.sampled_from(REGIONS))
    example_number = phonenumbers.example_number_for_type(region, MOBILE)
    digits = list(str(example_number.national_number))
    for _ in range(draw(st.integers(0, 4))):
        digits[draw(st.integers(1, len(digits) - 1))] = draw(st.sampled_from("0123456789"))
    cut = draw(st.integers(-2, 1))
    nsn = "".join(digits[: len(digits) + cut] if cut < 0 else digits + ["5"] * cut)
    cc = str(example_number.country_code)
    meant = phonenumbers.parse(f"+{cc}{nsn}")
    trunk = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix == "0"
    # "+49 (0) 151 …": only where 0 is a trunk prefix dropped after the country code (not Italy)
    shape = draw(st.sampled_from(["+ lost", "(0) kept"] if trunk else ["+ lost"]))
    cell = cc + nsn if shape == "+ lost" else cc + "0" + nsn
    return cell, region, phonenumbers.format_number(meant, phonenumbers.PhoneNumberFormat.E164)[1:]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cleaned())
@example(("491512345678", "DE", "491512345678"))
@example(("49010123456", "DE", "4910123456"))
@example(("6281234567890", "ID", "6281234567890"))
@example(("490301234567", "DE", "49301234567"))
def test_a_cleaned_number_is_the_number_meant_or_rejected_never_the_code_twice(case) -> None:
    cell, region, meant = case
    cc = str(phonenumbers.country_code_for_region(region))
    valid = phonenumbers.is_valid_number(phonenumbers.parse("+" + meant))
    for read in (_phone.read, _phone.read_slow):
        try:
            sent = read(cell, region, "Mobile", WHERE)
        except Kept as kept:
            sent = kept.value
        except RowRejected as exc:
            assert exc.code in ("ambiguous_mobile", "invalid_mobile"), str(exc)
            if exc.code == "ambiguous_mobile" and valid:
                assert f"+{meant}" in str(exc)  # the reading meant is named
            continue
        if sent != meant:
            # another reading was taken: only a real mobile of the row's country, never the code
            # given twice to digits that were valid with it once
            number = phonenumbers.parse("+" + sent)
            assert not valid, (cell, sent, meant)
            assert phonenumbers.number_type(number) in (
                MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            ) or not sent.startswith(cc + cc), (cell, sent)
