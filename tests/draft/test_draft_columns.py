"""Which column is which, by rules that hold for every export of a kind (found on held-out
layouts, tests/corpus/README.md "Held-out layouts"): never a column's position, never a yes/no
answer for a country, never another thing's number for the customer's id."""

from __future__ import annotations

import random

import pandas as pd
import phonenumbers
from exports_helpers import mobile

from importer.draft._match import match
from importer.draft._profile import profile

NATIONAL = phonenumbers.PhoneNumberFormat.NATIONAL


def frame_of(columns: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=object)


def found(frame: pd.DataFrame) -> dict:
    return match(profile(frame), frame)


def test_a_yes_no_column_is_no_country_column() -> None:
    # "No" is Norway's code: Norwegian mobiles read in a column of mostly "No" would be valid
    rng = random.Random(21)
    n = 60
    frame = frame_of(
        {
            "Phone": [phonenumbers.format_number(mobile("NO", rng), NATIONAL) for _ in range(n)],
            "Receive Review/Abandoned Cart Emails?": ["No"] * (n - 6) + ["Yes"] * 6,
            "Email": [f"a{k}@example.com" for k in range(n)],
        }
    )
    matched = found(frame)
    assert all(r.country is None for r in matched["mobile"].readings)
    assert "country" not in matched


def test_an_orders_number_is_never_the_customers_id_however_unique() -> None:
    # a report where every order is of one ticket: Order # is unique too, and comes first
    n = 40
    frame = frame_of(
        {
            "Order #": [str(403_500 + 7 * k) for k in range(n)],
            "Attendee #": [str(610_000 + 13 * k + k * k) for k in range(n)],
            "Email": [f"a{k}@example.com" for k in range(n)],
        }
    )
    assert found(frame)["externalId"].column.name == "Attendee #"
    # and with nothing but the order's number, no id at all
    alone = frame.drop(columns=["Attendee #"])
    assert "externalId" not in found(alone)


def test_an_sms_column_is_the_mobile_and_export_ids_are_ids() -> None:
    # Brevo's SMS attribute (always with its code); Odoo's import-compatible ids
    rng = random.Random(22)
    n = 40
    intl = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    frame = frame_of(
        {
            "id": [f"__export__.res_partner_{17 + 3 * k}_{k:04x}" for k in range(n)],
            "EMAIL": [f"a{k}@example.fr" for k in range(n)],
            "SMS": [phonenumbers.format_number(mobile("FR", rng), intl) for _ in range(n)],
        }
    )
    frame["WHATSAPP"] = [v if k % 4 == 0 else "" for k, v in enumerate(frame["SMS"])]  # a copy
    matched = found(frame)
    assert matched["mobile"].column.name == "SMS"
    assert matched["externalId"].column.name == "id"


def test_a_phone_is_read_in_the_country_column_where_its_numbers_are_valid() -> None:
    # Stripe: the card issuer's country comes first and is not always the customer's
    rng = random.Random(23)
    regions = ["GB", "US", "DE", "FR"]
    n = 80
    home = [regions[k % 4] for k in range(n)]
    frame = frame_of(
        {
            "Phone": [phonenumbers.format_number(mobile(r, rng), NATIONAL) for r in home],
            "Card Country": [regions[(k + 1) % 4] if k % 3 == 0 else r for k, r in enumerate(home)],
            "Address Country": home,
            "Email": [f"a{k}@example.com" for k in range(n)],
        }
    )
    (reading,) = found(frame)["mobile"].readings
    assert reading.country.name == "Address Country"
    assert "Card Country" in reading.evidence  # the draft's comment says what it weighed


def test_a_phone_is_read_in_the_country_column_filled_where_it_is() -> None:
    # Outlook: the country in Home for most contacts, in Business for a few, never both
    rng = random.Random(24)
    regions = ["AT", "DE", "CH", "IT"]
    n = 80
    home = [regions[k % 4] for k in range(n)]
    frame = frame_of(
        {
            "Mobile Phone": [phonenumbers.format_number(mobile(r, rng), NATIONAL) for r in home],
            "Business Country/Region": [r if k % 8 == 0 else "" for k, r in enumerate(home)],
            "Home Country/Region": ["" if k % 8 == 0 else r for k, r in enumerate(home)],
            "E-mail Address": [f"a{k}@example.com" for k in range(n)],
        }
    )
    readings = found(frame)["mobile"].readings
    assert readings[0].country.name == "Home Country/Region"
