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
    return match(profile(frame), frame, region_column=True, first_of=True, not_mobile=True)


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
