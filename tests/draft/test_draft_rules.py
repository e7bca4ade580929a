"""The drafter's rules for exports nobody here shaped: regions only from evidence, country
columns whatever their header, several phone columns in order, consents on their channel in each
platform's words, ids, e-mails as identifiers, continuation rows."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest
from exports_helpers import mobile, write
from init_helpers import bodies, comments, init, validate

from importer.draft._consent import consents
from importer.draft._match import match
from importer.draft._profile import profile
from importer.draft._regions import evidence_region
from importer.draft._rows import continuation
from importer.draft._specs import mobile as mobile_spec
from importer.draft._vocab import header_fields
from importer.mapping._spec import parse_mapping

NATIONAL = phonenumbers.PhoneNumberFormat.NATIONAL


def nationals(region: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [phonenumbers.format_number(mobile(region, rng), NATIONAL) for _ in range(n)]


def bare(region: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [str(mobile(region, rng).national_number) for _ in range(n)]


def e164(number: str, region: str) -> str:
    parsed = phonenumbers.parse(number, region)
    return f"{parsed.country_code}{parsed.national_number}"


def frame_of(columns: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=object)


# -- regions only from evidence -------------------------------------------------------------------


def test_numbers_of_many_countries_get_no_region_for_the_file() -> None:
    # Germany's plan reads most of these digit strings: that is no evidence they are German
    values = [v for k, r in enumerate(["AE", "IN", "ID", "GB", "FR", "US"]) for v in bare(r, 8, k)]
    region, why = evidence_region(dict.fromkeys(values, 1))
    assert region is None and why


def test_a_region_from_its_own_evidence() -> None:
    gb = nationals("GB", 30, 1)  # 07xxx xxxxxx: mobiles of GB and of no other plan read
    assert evidence_region(dict.fromkeys(gb, 1))[0] == "GB"
    ten = dict.fromkeys(bare("IN", 30, 2), 1)  # bare ten digits, mobiles in India
    said = evidence_region({**ten, "+91 98765 43210": 3})
    assert said[0] == "IN" and "IN's own code" in said[1]
    assert evidence_region(dict.fromkeys(bare("DE", 30, 3), 1), hints={"DE": 20})[0] == "DE"


def test_a_merchants_national_numbers_outweigh_its_visitors_codes() -> None:
    # a US merchant: US and Canadian numbers written nationally, visitors' numbers with their +
    us = dict.fromkeys(nationals("US", 40, 20) + nationals("CA", 5, 21), 1)
    visitors = {"+33 6 12 34 56 78": 6, "+44 7400 123456": 6, "+52 1 55 1234 5678": 4}
    region, why = evidence_region({**us, **visitors})
    assert region == "US" and "mobiles of US alone" in why


def test_a_column_of_many_countries_national_numbers_is_still_phones() -> None:
    values = [v for k, r in enumerate(["AE", "IN", "ID", "GB", "FR", "BR"]) for v in bare(r, 8, k)]
    frame = frame_of({"Tel": values, "Email": [f"a{k}@example.com" for k in range(len(values))]})
    found = match(profile(frame), frame)
    assert found["mobile"].column.name == "Tel"
    assert found["mobile"].readings[0].mode == "none"  # and no region for them


def test_split_evidence_gives_no_region() -> None:
    values = {**dict.fromkeys(bare("IN", 10, 4), 1), "+44 7400 123456": 5, "+971 50 123 4567": 5}
    assert evidence_region(values)[0] is None


def test_national_numbers_without_evidence_are_rejected_unknown_region(tmp_path: Path) -> None:
    rng = random.Random(5)
    rows = []
    for k in range(40):
        region = ["AE", "IN", "DE", "ID"][k % 4]
        number = mobile(region, rng)
        cell = (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if k % 3 == 0
            else str(number.national_number)
        )
        rows.append([cell, f"p{k}@example.com" if k % 2 else ""])
    input = write(tmp_path / "mixed.csv", ["Mobile", "Email"], rows)
    out = tmp_path / "draft.yaml"
    init(input, out)
    text = out.read_text(encoding="utf-8")
    assert "region: DE" not in text and "region: null" in text
    unread = sum(1 for cell, _ in rows if not cell.startswith("+"))
    assert f"TODO: {unread} values of Mobile are national numbers" in comments(text)
    summary = validate(input, out, tmp_path / "reports")
    sent = bodies(input, out)
    for number, body in sent.items():
        cell = rows[number - 2][0]
        ids = {i["type"]: i["value"] for i in body["profiles"][0]["identifiers"]}
        # only numbers written with their own code are sent; national ones are never guessed
        assert ids.get("mobile") == (cell[1:] if cell.startswith("+") else None)
    lost = [r for r in rows if not r[0].startswith("+") and not r[1]]
    rejected = summary["codes"]["rejected"]
    assert set(rejected) <= {"unknown_region", "no_identifier"} and rejected
    assert len(sent) == len(rows) - len(lost)


# -- country columns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("CC", ["US", "GB", "DE", "AE"]),
        ("Country/Region", ["United States", "United Kingdom", "Germany", "UAE"]),
        ("Land", ["USA", "GBR", "DEU", "ARE"]),
        ("Pays", ["us", "gb", "de", "ae"]),
        ("Default Address Country Code", ["US", "GB", "DE", "AE"]),
    ],
)
def test_any_column_of_countries_gives_each_row_its_region(
    tmp_path: Path, header: str, cells: list[str]
) -> None:
    rng = random.Random(6)
    regions = ["US", "GB", "DE", "AE"]
    rows, right = [], {}
    for k in range(40):
        number = mobile(regions[k % 4], rng)
        rows.append([f"C{k:04d}", phonenumbers.format_number(number, NATIONAL), cells[k % 4]])
        right[k + 2] = f"{number.country_code}{number.national_number}"
    input = write(tmp_path / "c.csv", ["Customer ID", "Phone", header], rows)
    out = tmp_path / "draft.yaml"
    init(input, out)
    assert f"region: {{column: {header}" in out.read_text(encoding="utf-8").replace('"', "")
    sent = bodies(input, out)
    assert len(sent) == 40
    for number, body in sent.items():
        ids = {i["type"]: i["value"] for i in body["profiles"][0]["identifiers"]}
        assert ids["mobile"] == right[number]


def test_each_phone_reads_in_its_own_addresss_country() -> None:
    frame = frame_of(
        {
            "billing_phone": nationals("GB", 12, 7),
            "billing_country": ["GB"] * 12,
            "shipping_phone": nationals("US", 12, 8),
            "shipping_country": ["US"] * 12,
            "email": [f"a{k}@example.com" for k in range(12)],
        }
    )
    found = match(profile(frame), frame)
    pairs = {r.column.name: r.country.name for r in found["mobile"].readings}
    assert pairs == {"billing_phone": "billing_country", "shipping_phone": "shipping_country"}


# -- several phone columns ------------------------------------------------------------------------


def test_the_accounts_own_phone_comes_before_the_addresss() -> None:
    n = 30
    frame = frame_of(
        {
            "Default Address Phone": nationals("US", n, 9),
            "Default Address Country Code": ["US"] * n,
            "Phone": ["+" + e164(v, "US") for v in nationals("US", n, 10)],
            "HomePhone": nationals("US", n, 11),
            "Email": [f"a{k}@example.com" for k in range(n)],
        }
    )
    found = match(profile(frame), frame)
    order = [r.column.name for r in found["mobile"].readings]
    assert order == ["Phone", "Default Address Phone"]  # a home phone is no mobile
    spec = mobile_spec(found["mobile"], drop=True)
    first, second = spec.value["first_of"]
    assert first["column"] == "Phone" and first["on_invalid"] == "drop"
    assert second["column"] == "Default Address Phone"
    assert second["region"] == {"column": "Default Address Country Code"}


def test_after_the_mobile_a_phone_column_that_may_hold_landlines_is_tried() -> None:
    n = 30
    frame = frame_of(
        {
            "MOBILEPHONE": ["+" + e164(v, "US") for v in nationals("US", n, 13)],
            "PHONE": nationals("US", n, 14),  # an office line as often as not
            "Cell": nationals("US", n, 15),
            "Email": [f"a{k}@example.com" for k in range(n)],
        }
    )
    found = match(profile(frame), frame)
    # a landline in PHONE is left out (not_mobile), so it may follow the mobile columns
    assert [r.column.name for r in found["mobile"].readings] == ["MOBILEPHONE", "Cell", "PHONE"]


def test_a_guests_name_is_the_billing_addresss() -> None:
    frame = frame_of(
        {
            "customer_id": [str(100 + k) if k % 4 else "0" for k in range(40)],
            "first_name": ["" if k % 4 == 0 else "Ann" for k in range(40)],
            "last_name": ["" if k % 4 == 0 else "Lee" for k in range(40)],
            "email": [f"a{k}@example.com" for k in range(40)],
            "billing_first_name": ["Bo"] * 40,
            "billing_last_name": ["Ng"] * 40,
        }
    )
    found = match(profile(frame), frame)
    assert [c.name for c in found["firstName"].alternates] == ["billing_first_name"]
    assert [c.name for c in found["lastName"].alternates] == ["billing_last_name"]
    assert found["externalId"].column.name == "customer_id"  # "0" is a guest: no id


# -- consent --------------------------------------------------------------------------------------


def _consents(columns: dict[str, list[str]]) -> dict[str, tuple[str, dict]]:
    frame = frame_of(columns)
    return {
        c.channel: (c.column.name, c.spec) for c in consents(profile(frame), {"mobile", "email"})
    }


def _meaning(spec: dict, cell: str) -> str | None:
    """What the drafted consent spec makes of a cell, through the real loader."""
    text = (
        "profiles: [{source: INSTORE, identifiers: [{type: email, value: e}], "
        "commChannels: [{type: email, value: e, subscribed: SPEC}]}]"
    )
    from importer.draft._write import flow
    from importer.mapping import Builder

    mapping = parse_mapping(text.replace("SPEC", flow(spec)))
    body, _ = Builder(mapping, ["e", spec["column"]]).build(["a@example.com", cell])
    return body["profiles"][0]["commChannels"][0].get("subscribed")


def test_each_consent_goes_to_the_channel_it_names() -> None:
    found = _consents(
        {
            "Accepts Email Marketing": ["yes", "no"] * 5,
            "Accepts SMS Marketing": ["no", "yes"] * 5,
        }
    )
    assert found["email"][0] == "Accepts Email Marketing"
    assert found["mobile"][0] == "Accepts SMS Marketing"


def test_an_opt_out_column_is_read_the_other_way_round() -> None:
    found = _consents({"HasOptedOutOfEmail": ["true", "false", "false"] * 4})
    column, spec = found["email"]
    assert column == "HasOptedOutOfEmail"
    # opted out: not subscribed; not opted out is no consent: not given
    assert _meaning(spec, "true") == "false" and _meaning(spec, "false") is None


@pytest.mark.parametrize(
    ("header", "channel", "cells", "meant"),
    [
        ("Email Marketing Consent", "email",
         ["SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED"], ["true", "false", "false"]),
        ("SMS Marketing Consent", "mobile", ["SUBSCRIBED", "UNSUBSCRIBED"], ["true", "false"]),
        ("Status", "email", ["subscribed", "unsubscribed", "cleaned", "pending"],
         ["true", "false", None, None]),
        ("Email Opt Out", "email", ["true", "false"], ["false", None]),
        ("DND", "mobile", ["Y", "N"], ["false", None]),
        ("EMAIL_BLACKLISTED", "email", ["true", "false"], ["false", None]),
    ],
)  # fmt: skip
def test_platform_words_for_consent(header, channel, cells, meant) -> None:
    found = _consents({header: cells * 4})
    column, spec = found[channel]
    assert column == header
    assert [_meaning(spec, c) for c in cells] == meant


# -- identifiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Customer ID", "Contact ID", "Record ID", "Id", "Klaviyo ID"])
def test_id_headers(header: str) -> None:
    found = header_fields(header)
    assert max(found, key=found.get) == "externalId"


def test_an_email_column_with_one_bad_address_is_still_the_identifier(tmp_path: Path) -> None:
    n = 400
    phones = nationals("US", n, 12)
    rows = [[f"person{k}@example.com", phones[k] if k % 3 == 0 else ""] for k in range(n)]
    rows[7][0] = "person7@@example"
    input = write(tmp_path / "mail.csv", ["Email", "Phone"], rows)
    out = tmp_path / "draft.yaml"
    init(input, out)
    mapping = parse_mapping(out.read_text(encoding="utf-8"))
    kinds = [i.type for i in mapping.profiles[0].identifiers]
    assert "email" in kinds
    assert mapping.registration.required_identifiers == ["email"]
    sent = bodies(input, out)
    assert len(sent) == n - 1  # the bad address is rejected: its row has no other identifier


# -- continuation rows ----------------------------------------------------------------------------


def test_rows_continuing_the_customer_above_are_recognised() -> None:
    rows = []
    for k in range(30):
        rows.append([f"c{k}@example.com", "Ann", "Lee", "London", "01632 960001"])
        if k % 3 == 0:
            rows.append(["", "", "", "Leeds", "01632 960002"])  # a further address
    frame = pd.DataFrame(
        rows, columns=["email", "firstname", "lastname", "_address_city", "_address_telephone"]
    )
    found = match(profile(frame), frame)
    assert continuation(found, frame) == ["email", "firstname", "lastname"]
    # a file of customers some of whom have no e-mail has no continuation rows
    rows = [[f"c{k}@example.com" if k % 4 else "", "Ann", "Lee", "London"] for k in range(30)]
    frame = pd.DataFrame(rows, columns=["email", "firstname", "lastname", "city"])
    assert continuation(match(profile(frame), frame), frame) == []


def test_a_long_first_of_is_written_as_a_block_that_reads_back() -> None:
    import yaml

    from importer.draft._write import Node, render

    candidates = [
        {"column": "Phone", "as": "phone", "region": {"column": "Default Address Country Code"}},
        {"column": "Default Address Phone", "as": "phone", "on_invalid": "drop"},
    ]
    text = render([Node("value", {"first_of": candidates})])
    assert max(len(line) for line in text.splitlines()) <= 100
    assert yaml.safe_load(text) == {"value": {"first_of": candidates}}


def test_the_draft_says_which_rows_continue_the_customer_above() -> None:
    import yaml

    from importer.draft._document import About, document
    from importer.draft._write import render

    rows = []
    for k in range(30):
        rows.append([f"c{k}@example.com", "Ann", "Lee", "London", f"+44 7400 1234{k:02d}"])
        if k % 3 == 0:
            rows.append(["", "", "", "Leeds", f"+44 7400 9999{k:02d}"])
    frame = pd.DataFrame(
        rows, columns=["email", "firstname", "lastname", "_address_city", "_address_telephone"]
    )
    columns = profile(frame)
    found = match(columns, frame)
    about = About("magento.csv", len(frame), len(frame))
    settings = yaml.safe_load(render(document(about, columns, found, frame)))["settings"]
    assert settings["continuation"] == {"when_empty": ["email", "firstname", "lastname"]}


def test_a_mailing_lists_file_name_says_its_members_consent() -> None:
    from importer.draft._consent import list_status

    frame = frame_of({"Email Address": ["a@example.com", "b@example.com"]})
    (email,) = profile(frame)
    headers = ["Email Address", "MEMBER_RATING", "LEID", "EUID"]
    said = list_status("subscribed_members_export_4f1a.csv", email, headers)
    assert said is not None and said.spec == {"value": True}
    assert list_status("unsubscribed_members_export_4f1a.csv", email, headers).spec == {
        "value": False
    }
    assert list_status("cleaned_members_export_4f1a.csv", email, headers) is None  # bounced
    assert list_status("subscribed_members_export.csv", email, ["Email Address"]) is None
