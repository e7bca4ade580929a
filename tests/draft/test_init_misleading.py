"""``importer init`` on tables made to mislead it: each draft must still be right, say why in its
comments, and pass ``importer validate`` (the real command)."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import phonenumbers
from click.testing import CliRunner
from init_helpers import bodies, comments, init, mobile_of, uncomment, validate
from test_init_samples import matched

from importer.cli._main import main
from importer.mapping._spec import load_mapping, parse_mapping


def numbers(region: str, count: int, seed: int, national: bool = True) -> list[str]:
    """``count`` distinct valid mobile numbers of ``region``, written nationally or as +CC."""
    rng = random.Random(seed)
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(example.national_number)
    found: dict[str, None] = {}
    while len(found) < count:
        candidate = digits[:3] + "".join(rng.choice("0123456789") for _ in digits[3:])
        number = phonenumbers.parse(candidate, region)
        mobile = (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in mobile:
            style = phonenumbers.PhoneNumberFormat
            found[
                phonenumbers.format_number(number, style.NATIONAL if national else style.E164)
            ] = None
    return list(found)


def write(path: Path, header: list[str], rows: list[list[str]], **options: str) -> Path:
    encoding = options.pop("encoding", "utf-8")
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, **options)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def draft_of(tmp_path: Path, input: Path, *options: str) -> tuple[str, dict[str, str], dict]:
    """Run init and validate; the draft's text, what it matched and validate's summary."""
    out = tmp_path / "draft.yaml"
    result = init(input, out, *options)
    summary = validate(input, out, tmp_path / "reports", *options)
    return out.read_text(encoding="utf-8"), matched(result.output), summary


def dates(n: int, seed: int, low: int = 1950, high: int = 2005) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    return [
        (rng.randrange(low, high), rng.randrange(1, 13), rng.randrange(1, 29)) for _ in range(n)
    ]


# -- dd/mm against mm/dd -------------------------------------------------------------------------


def test_month_first_dates_are_read_month_first(tmp_path: Path) -> None:
    mobiles = numbers("US", 60, 1)
    days = dates(60, 2)
    rows = [[m, f"{mo:02d}/{d:02d}/{y}"] for m, (y, mo, d) in zip(mobiles, days, strict=True)]
    rows[0][1] = "12/25/1990"  # a day above 12 decides: month first
    text, fields, summary = draft_of(
        tmp_path, write(tmp_path / "us.csv", ["Phone", "Birthday"], rows)
    )
    assert fields == {"mobile": "Phone", "dateofbirth": "Birthday"}
    assert 'formats: ["%m/%d/%Y"]' in text
    assert summary["sendable"] == 60
    body = bodies(tmp_path / "us.csv", tmp_path / "draft.yaml")[2]
    assert body["profiles"][0]["fields"]["dateofbirth"] == "25-12-1990"


def test_undecided_dates_follow_the_files_other_date_column(tmp_path: Path) -> None:
    mobiles = numbers("GB", 40, 3)
    # every birthday has its day and month at 12 or less: no value decides them
    births = [(y, mo, d % 12 + 1) for y, mo, d in dates(40, 4)]
    joined = dates(40, 5, 2010, 2024)
    joined[7] = (2019, 3, 28)  # ... but the other date column's day 28 says: day first
    rows = [
        [m, f"{bd:02d}/{bm:02d}/{by}", f"{jd:02d}/{jm:02d}/{jy}"]
        for m, (by, bm, bd), (jy, jm, jd) in zip(mobiles, births, joined, strict=True)
    ]
    rows[0][1] = "03/04/1985"
    input = write(tmp_path / "gb.csv", ["Mobile", "DOB", "Joined"], rows)
    text, fields, summary = draft_of(tmp_path, input)
    assert fields == {"mobile": "Mobile", "dateofbirth": "DOB"}
    assert 'formats: ["%d/%m/%Y"]' in text
    assert "TODO: no value decides between dd/mm and mm/dd" in comments(text)
    body = bodies(input, tmp_path / "draft.yaml")[2]
    assert body["profiles"][0]["fields"]["dateofbirth"] == "03-04-1985"  # 3 April
    assert summary["sendable"] == 40
    # the other way round: the other column is month first, so is the birthday
    flipped = [
        [m, b, f"{jm:02d}/{jd:02d}/{jy}"]
        for (m, b, _), (jy, jm, jd) in zip(rows, joined, strict=True)
    ]
    other = tmp_path / "flipped"
    other.mkdir()
    text, _, _ = draft_of(other, write(other / "us.csv", ["Mobile", "DOB", "Joined"], flipped))
    assert 'formats: ["%m/%d/%Y"]' in text


def test_datetimes_keep_their_time(tmp_path: Path) -> None:
    mobiles = numbers("IN", 30, 6, national=False)
    rows = [
        [m, f"{d:02d}/{mo:02d}/{y} 23:59"]
        for m, (y, mo, d) in zip(mobiles, dates(30, 7, 2026, 2028), strict=True)
    ]
    rows[0][1] = "31/12/2026 23:59"
    text, fields, _ = draft_of(
        tmp_path, write(tmp_path / "x.csv", ["Mobile", "Points Expiry"], rows)
    )
    assert fields == {"mobile": "Mobile", "pointsExpiryDate": "Points Expiry"}
    enrolled = parse_mapping(uncomment(text).replace("programId: TODO", "programId: 469"))
    expiry = enrolled.loyaltyProgramEnrollments[0].pointsExpiryDate
    assert expiry.column == "Points Expiry" and expiry.as_ == "datetime"
    assert expiry.formats == ["%d/%m/%Y %H:%M"]


# -- ids that look like phone numbers -----------------------------------------------------------


def test_a_numeric_id_column_is_not_taken_for_the_mobile(tmp_path: Path) -> None:
    ids = numbers("IN", 80, 8)  # unique and every one a valid Indian mobile
    ids = [re.sub(r"\D", "", i).lstrip("0") for i in ids]
    mobiles = numbers("IN", 80, 9)
    rows = [[i, f"Name {k}", m] for k, (i, m) in enumerate(zip(ids, mobiles, strict=True))]
    input = write(tmp_path / "ids.csv", ["Customer ID", "Name", "Contact"], rows)
    text, fields, summary = draft_of(tmp_path, input)
    assert fields["externalId"] == "Customer ID" and fields["mobile"] == "Contact"
    assert "region: IN" in text
    sent = bodies(input, tmp_path / "draft.yaml")
    assert {mobile_of(b) for b in sent.values()} == {
        "91" + re.sub(r"\D", "", m).lstrip("0") for m in mobiles
    }
    assert summary["sendable"] == 80


def test_a_running_number_is_not_taken_for_the_mobile_without_headers_to_help(
    tmp_path: Path,
) -> None:
    mobiles = numbers("IN", 50, 10)
    rows = [[str(9876500001 + k), m] for k, m in enumerate(mobiles)]  # valid mobiles, counting up
    input = write(tmp_path / "run.csv", ["Ref", "Col B"], rows)
    _, fields, _ = draft_of(tmp_path, input)
    assert fields == {"mobile": "Col B", "externalId": "Ref"}


# -- blanks -------------------------------------------------------------------------------------


def test_an_email_column_with_40_percent_blanks_is_still_the_email(tmp_path: Path) -> None:
    mobiles = numbers("AE", 50, 11, national=False)
    rows = [[m, "" if k % 5 < 2 else f"person{k}@example.com"] for k, m in enumerate(mobiles)]
    input = write(tmp_path / "mail.csv", ["Mobile", "Mail"], rows)
    text, fields, summary = draft_of(tmp_path, input)
    assert fields == {"mobile": "Mobile", "email": "Mail"}
    assert "100% of 30 values are valid e-mails" in comments(text)
    assert "40% of the rows are empty" in comments(text)
    assert summary["sendable"] == 50
    sent = bodies(input, tmp_path / "draft.yaml")
    with_mail = [
        b
        for b in sent.values()
        if any(i["type"] == "email" for i in b["profiles"][0]["identifiers"])
    ]
    assert len(with_mail) == 30


# -- German -------------------------------------------------------------------------------------


def test_german_headers_and_values(tmp_path: Path) -> None:
    mobiles = numbers("DE", 40, 12)
    rows = []
    for k, (m, (y, mo, d)) in enumerate(zip(mobiles, dates(40, 13), strict=True)):
        born = f"{d:02d}.{mo:02d}.{y}"
        mail = f"j.mueller{k}@example.de"
        rows.append([f"K{k:05d}", "Jürgen", "Müller", m, mail, born, "mwd"[k % 3], "München",
                     f"8{k:04d}", str(k * 10)])  # fmt: skip
    rows[0][5] = "24.12.1980"
    header = ["Kundennummer", "Vorname", "Nachname", "Handy", "E-Mail", "Geburtsdatum",
              "Geschlecht", "Stadt", "PLZ", "Punkte"]  # fmt: skip
    input = write(tmp_path / "de.csv", header, rows, delimiter=";", encoding="cp1252")
    text, fields, summary = draft_of(tmp_path, input)
    assert fields == {
        "mobile": "Handy", "email": "E-Mail", "dateofbirth": "Geburtsdatum", "gender": "Geschlecht",
        "firstName": "Vorname", "lastName": "Nachname", "externalId": "Kundennummer",
        "points": "Punkte", "city": "Stadt", "zip": "PLZ",
    }  # fmt: skip
    assert "region: DE" in text and 'formats: ["%d.%m.%Y"]' in text
    mapping = load_mapping(tmp_path / "draft.yaml")
    assert mapping.extendedFields["gender"].map == {"m": "Male", "w": "Female", "d": "Other"}
    assert summary["sendable"] == 40
    body = bodies(input, tmp_path / "draft.yaml")[2]
    assert body["profiles"][0]["fields"]["dateofbirth"] == "24-12-1980"
    assert (
        body["extendedFields"]["gender"] == "Male" and body["profiles"][0]["lastName"] == "Müller"
    )


# -- no header ----------------------------------------------------------------------------------


def test_a_file_without_a_header_row_is_a_clear_error(tmp_path: Path) -> None:
    mobiles = numbers("IN", 5, 14, national=False)
    rows = [[f"{5000 + k}", m, f"p{k}@example.com", "12/03/1988"] for k, m in enumerate(mobiles)]
    input = tmp_path / "bare.csv"
    with open(input, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["init", str(input), "--out", str(out)])
    assert result.exit_code == 2
    assert "the first row holds values" in result.output and "add a header row" in result.output
    assert not out.exists()


def test_words_unique_in_a_small_file_are_no_customer_id(tmp_path: Path) -> None:
    input = write(tmp_path / "names.csv", ["name", "city"], [["Anna", "Paris"], ["Bob", "Rome"]])
    result = CliRunner().invoke(main, ["init", str(input), "--out", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2
    assert "no column looks like a mobile, an e-mail or a customer id" in result.output
