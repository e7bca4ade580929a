"""The corpus itself: the generators write what their docstrings promise, the same bytes every
time, and the oracle's rules hold on cases worked out by hand. Fast: no emulator, no importer."""

from __future__ import annotations

import csv
from pathlib import Path

import corpus_oracle as oracle
import phonenumbers
import pytest
from corpus_layouts import LAYOUTS
from corpus_layouts_more import google_contacts, prestashop
from corpus_layouts_pos import legacy_pos, legacy_pos_xlsx
from corpus_layouts_shop import MAGENTO_CUSTOMER, magento, shopify
from corpus_people import MOBILE_TYPES


def number(text: str, region: str | None = None) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse(text, region)


@pytest.mark.parametrize(
    ("text", "style", "region", "right"),
    [
        ("+49 1511 2345678", "national", "DE", "4915112345678"),
        ("+49 30 12345678", "national", "DE", None),  # a Berlin landline is never a mobile
        ("+1 212 555 0182", "dashes", None, "12125550182"),  # US: fixed line or mobile
        # the + lost: 4915112345678 is also a valid German landline (0491...), but only one
        # reading is a mobile, and it is the true one
        ("+49 1511 2345678", "plus_lost", "DE", "4915112345678"),
        # the trunk 0 lost: 15755055318 is German 0157... and also +1 575-505-5318 (New Mexico)
        ("+49 157 55055318", "nsn", "DE", None),
        ("+91 98765 43210", "nsn", "IN", "919876543210"),
        # Brazil has no trunk 0 in its national format: 51974223722 is also a Peruvian mobile
        # with its + lost, but as Brazil writes it nothing was lost: the national number
        ("+55 51 97422-3722", "national_digits", "BR", "5551974223722"),
        ("+55 51 97422-3722", "national", "BR", "5551974223722"),  # (51) 97422-3722: national
        ("+971 50 123 4567", "e164", None, "971501234567"),
    ],
)
def test_the_oracle_reads_numbers_as_worked_out_by_hand(text, style, region, right) -> None:
    assert oracle.mobile(number(text), style, region) == right


def test_consents_judge_yes_no_and_opt_outs() -> None:
    assert oracle.said(True).judge(True) == oracle.OK
    assert oracle.said(True).judge(None) == oracle.LOST
    assert oracle.said(False).judge(True) == oracle.WRONG
    not_opted_out = oracle.opted_out(False)
    assert {not_opted_out.judge(v) for v in (None, True)} == {oracle.OK}
    assert not_opted_out.judge(False) == oracle.WRONG  # "not opted out" is no "no"
    assert oracle.opted_out(True).judge(True) == oracle.WRONG
    assert oracle.NONE.judge(False) == oracle.WRONG  # no consent column: send none


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_is_deterministic_varied_and_has_gaps(name: str) -> None:
    layout, again = LAYOUTS[name](), LAYOUTS[name]()
    assert layout.rows == again.rows and layout.header == again.header
    assert len(set(layout.header)) == len(layout.header)
    assert all(len(row) == len(layout.header) for row in layout.rows)
    expected = layout.expected
    assert 300 <= len(layout.rows) <= 3000
    with_mobile = [e for e in expected if e.mobile]
    with_email = [e for e in expected if e.email]
    assert with_email and (with_mobile or name == "prestashop")  # PrestaShop has no phone
    countries = {phonenumbers.region_code_for_number(number("+" + e.mobile)) for e in with_mobile}
    assert len(countries) >= 3 or name in ("square", "prestashop"), countries
    # the oracle's mobiles are mobiles, whatever the cell looked like
    for e in with_mobile:
        parsed = number("+" + e.mobile)
        assert phonenumbers.number_type(parsed) in MOBILE_TYPES, e
    # realistic gaps, except where the platform requires the value
    no_email = sum(e.email is None for e in expected)
    neither = sum(not e.identifiable for e in expected)
    if name not in ("magento", "mailchimp", "woocommerce", "prestashop"):
        assert no_email and neither, (no_email, neither)
    assert sum(e.mobile is None for e in expected) > 0


def test_the_pos_names_carry_locale_titles_and_degrees_that_are_never_names() -> None:
    layout = legacy_pos()
    names = {row[0]: row[1] for row in layout.rows}
    by_id = {e.external_id: e for e in layout.expected}
    paulin = next(i for i, full in names.items() if full.lower() == "tgk. paulin anggraini, s.h.")
    lili = next(i for i, full in names.items() if full.lower() == "r.a. lili dongoran")
    assert (by_id[paulin].first, by_id[paulin].last) == ("Paulin", "Anggraini")
    assert (by_id[lili].first, by_id[lili].last) == ("Lili", "Dongoran")
    titled = [full for full in names.values() if "," in full or "." in full.split()[0]]
    assert len(titled) > 100
    for e in layout.expected:
        full = names[e.external_id].casefold().replace(",", " ").split()
        assert e.first.casefold() in full and e.last.casefold() in full


def test_the_excel_saved_pos_holds_numbers_as_excel_cleaned_them(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    layout = legacy_pos_xlsx()
    path = layout.write(tmp_path)
    sheet = load_workbook(path, read_only=True).active
    mobiles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    numeric = [m for m in mobiles if isinstance(m, int)]
    assert len(numeric) > len(mobiles) / 2
    # "+49 (0)151..." typed without its +: the number starts 490
    assert any(str(m).startswith(("490", "440")) for m in numeric)


def test_magento_writes_further_addresses_on_continuation_rows(tmp_path: Path) -> None:
    layout = magento()
    path = layout.write(tmp_path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    continuation = [r for r in rows if not any(r[c] for c in MAGENTO_CUSTOMER)]
    assert len(continuation) == layout.notes["continuation rows"] > 100
    assert all(r["_address_telephone"] and r["_address_country_id"] for r in continuation)
    assert len(rows) - len(continuation) == len(layout.expected)


def test_shopify_guards_ids_phones_and_zips_with_an_apostrophe() -> None:
    layout = shopify()
    column = {name: i for i, name in enumerate(layout.header)}
    ids = [row[column["Customer ID"]] for row in layout.rows]
    phones = [row[column["Phone"]] for row in layout.rows if row[column["Phone"]]]
    assert all(i.startswith("'") for i in ids) and all(p.startswith("'+") for p in phones)
    assert {row[column["Accepts SMS Marketing"]] for row in layout.rows} == {"yes", "no"}
    assert [e.external_id for e in layout.expected] == [i[1:] for i in ids]


def test_prestashop_ends_lines_with_a_semicolon_and_tells_partner_offers_apart(tmp_path) -> None:
    layout = prestashop()
    text = layout.write(tmp_path).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("ID;Title;Last name;First Name;Email address;")
    assert all(line.endswith(";") for line in text.splitlines())
    news, partners = layout.header.index("News."), layout.header.index("Opt.")
    assert any(row[news] != row[partners] for row in layout.rows)
    assert [e.mail.right for e in layout.expected] == [row[news] == "1" for row in layout.rows]


def test_google_contacts_label_each_phone_and_sometimes_join_two_values() -> None:
    layout = google_contacts()
    column = {name: i for i, name in enumerate(layout.header)}
    labels = {row[column["Phone 1 - Label"]] for row in layout.rows}
    assert {"* Mobile", "* Home"} <= labels
    assert any(" ::: " in row[column["Phone 1 - Value"]] for row in layout.rows)
    mobiles_second = [
        e for e, row in zip(layout.expected, layout.rows, strict=True)
        if e.mobile and row[column["Phone 2 - Label"]] == "Mobile"
    ]  # fmt: skip
    assert mobiles_second  # the mobile is not always the first phone
