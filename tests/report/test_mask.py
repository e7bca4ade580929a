import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer._mask import mask_digits, mask_email, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("tom.sawyer@capillarytech.com", "t***@c***.com"),
        ("919988221100", "91********00"),
        ("+91 99882 21100", "91********00"),
        ("mobile '919988221100' is invalid", "mobile '91********00' is invalid"),
        (
            "Add failed, Customer already exists with id 556844761 for same source",
            "Add failed, Customer already exists with id 55*****61 for same source",
        ),
        ("code 8006 on row 12", "code 8006 on row 12"),
        ("x@localhost", "x***@l***"),
        ("", ""),
    ],
)
def test_mask_text(text, masked):
    assert mask_text(text) == masked


@given(st.from_regex(r"[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True))
def test_no_email_survives(email):
    masked = mask_text(f"bad email {email} here")
    assert email not in masked


@given(st.from_regex(r"[1-9][0-9]{9,14}", fullmatch=True))
def test_no_phone_survives(number):
    masked = mask_text(f"mobile {number}")
    assert number not in masked and masked.startswith(f"mobile {number[:2]}")


def test_short_values_are_left_alone():
    assert mask_digits("12345") == "12345"
    assert mask_email("a@b") == "a***@b***"
