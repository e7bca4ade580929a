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


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ('mobile: "284.290.9390x5763" is not valid', 'mobile: "28**********63" is not valid'),
        ("call +1 (284) 290-9390 ext. 5763", "call 12***********63"),
        ("(284) 290-9390", "28******90"),
        ("0091-99882-21100", "00**********00"),
        ("919988221100.0 (from Excel)", "91*********00 (from Excel)"),
        ("mobile:919988221100", "mobile:91********00"),
        ("+91\u00a099882\u00a021100", "91********00"),
        ("Tom.Sawyer+promo@Capillary.COM", "T***@C***.COM"),
    ],
)
def test_odd_formats_are_masked_the_same_way(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "reports/legacy/20261126T175014Z/errors.csv",
        "C:\\imports\\919988221100\\signups.csv",
        "run 20261126T175014Z-2 of job legacy",
        "started 2024-05-11T16:36:17+05:30, finished 2024-05-11 17:00:00Z",
        "born 22/10/2000, joined 11.05.2024, expires 05-11-2031",
        "row 1234567 is a duplicate of row 12",
        "12,345,678 rows read",
        "http://127.0.0.1:8080/v2/customers",
    ],
)
def test_paths_run_ids_dates_and_counts_are_left_alone(text):
    assert mask_text(text) == text
