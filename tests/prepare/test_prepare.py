"""prepare() and the dry run: payloads, per-row reasons, in-file duplicates, reports, the CLI."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from prepare_helpers import BASIC_HEADER, BASIC_MAPPING

from importer._exceptions import InputError
from importer._models import IdentityKey, Outcome
from importer.cli._main import main
from importer.mapping._rules import check_payload
from importer.mapping._spec import parse_mapping
from importer.prepare._pipeline import prepare
from importer.read._table import open_table
from importer.run import dry_run


def prepared(write, rows: str, mapping: str = BASIC_MAPPING, header: str = BASIC_HEADER, **kw):
    path = write("in.csv", header + "\n" + rows)
    return list(prepare(open_table(path), parse_mapping(mapping), **kw))


def test_a_row_becomes_the_api_body(write) -> None:
    [item] = prepared(write, "007, Asha ,Rao,+91 99882 21100,Asha@Example.COM,2\n")
    assert item.sendable and item.outcome is None
    assert item.payload == {
        "profiles": [
            {
                "firstName": "Asha",
                "lastName": "Rao",
                "identifiers": [
                    {"type": "mobile", "value": "919988221100"},
                    {"type": "email", "value": "Asha@example.com"},
                    {"type": "externalId", "value": "007"},
                ],
                "source": "INSTORE",
            }
        ],
        "loyaltyProgramEnrollments": [{"programId": 469, "tierNumber": 2}],
    }
    assert item.keys == (
        IdentityKey("INSTORE", "", "mobile", "919988221100"),
        IdentityKey("INSTORE", "", "email", "Asha@example.com"),
        IdentityKey("INSTORE", "", "externalId", "007"),
    )


def test_empty_optional_cells_are_left_out_not_sent_empty(write) -> None:
    [item] = prepared(write, ",,,919988221100,,\n")
    profile = item.payload["profiles"][0]
    assert profile == {
        "identifiers": [{"type": "mobile", "value": "919988221100"}],
        "source": "INSTORE",
    }
    assert item.payload["loyaltyProgramEnrollments"] == [{"programId": 469}]


@pytest.mark.parametrize(
    ("row", "code", "column", "value"),
    [
        ("1,A,B,12345,a@b.com,1", "invalid_mobile", "mobile", "12345"),
        ("1,A,B,9.19988E+11,a@b.com,1", "lost_digits", "mobile", "9.19988E+11"),
        ("1,A,B,919988221100,a@@b.com,1", "invalid_email", "email", "a@@b.com"),
        ("1,A,B,919988221100,a@b.com,7", "out_of_range", "tier", "7"),
        ("1,A,B,919988221100,a@b.com,gold", "invalid_int", "tier", "gold"),
        ("1,A,B,,a@b.com,1", "missing_identifier", "mobile", None),
        ("1,A,B,919988221100,a@b.com,1,surplus", "malformed_row", None, "surplus"),
    ],
)
def test_rejected_rows_name_column_and_value(write, row, code, column, value) -> None:
    [item] = prepared(write, row + "\n")
    assert item.outcome is Outcome.REJECTED and item.payload is None
    assert item.code == code
    if column:
        assert column in item.message
    if value:
        assert value in item.message


def test_a_row_without_any_identifier_is_rejected(write) -> None:
    mapping = BASIC_MAPPING.replace(
        "  required_identifiers: [mobile]", "  required_identifiers: []"
    )
    [item] = prepared(write, "x,A,B,,,1\n".replace("x", ""), mapping)
    assert item.code == "no_identifier"


def test_in_file_duplicates_first_row_wins(write) -> None:
    items = prepared(
        write,
        "1,A,B,919988221100,a@b.com,1\n"
        "2,C,D,+91 99882 21100,c@d.com,1\n"  # the same mobile, written differently
        "3,E,F,919988221101,A@B.COM,1\n"  # the same e-mail in other case
        "4,G,H,919988221102,g@h.com,1\n"
        "4,I,J,919988221103,i@j.com,1\n",  # the same external ID
    )
    assert [i.outcome for i in items] == [
        None,
        Outcome.DUPLICATE,
        Outcome.DUPLICATE,
        None,
        Outcome.DUPLICATE,
    ]
    assert items[1].code == "in_file_duplicate"
    assert items[1].message == (
        'mobile "919988221100" (source INSTORE) is already on row 2: the first row wins'
    )
    assert "row 2" in items[2].message and "email" in items[2].message
    assert "row 5" in items[4].message and "externalId" in items[4].message


def test_a_rejected_row_does_not_claim_its_identifiers(write) -> None:
    items = prepared(write, "1,A,B,919988221100,a@b.com,9\n2,C,D,919988221100,c@d.com,1\n")
    assert [i.outcome for i in items] == [Outcome.REJECTED, None]


def test_the_same_identifier_in_another_source_is_not_a_duplicate(write) -> None:
    mapping = BASIC_MAPPING + (
        "  - source: WEBSITE\n    identifiers:\n      - type: email\n        value: email\n"
    )
    mapping = mapping.replace("loyaltyProgramEnrollments:\n  - programId: 469\n", "").replace(
        "    tierNumber: {column: tier, as: int, min: 1, max: 3}\n", ""
    )
    text = mapping.split("profiles:")[0] + "profiles:" + mapping.split("profiles:")[1]
    items = prepared(write, "1,A,B,919988221100,a@b.com,1\n", text)
    assert items[0].sendable
    assert [k.source for k in items[0].keys] == ["INSTORE"] * 3 + ["WEBSITE"]


def test_workers_give_the_same_answers_in_the_same_order(write) -> None:
    lines = "".join(
        f"{i},A,B,9199882{i % 700:05d},{'bad@@' if i % 97 == 0 else ''}e{i}@x.com,{1 + i % 4}\n"
        for i in range(12_000)
    )
    alone = prepared(write, lines, workers=0)
    pooled = prepared(write, lines, workers=2)
    assert [(p.source.row, p.outcome, p.code, p.message, p.payload) for p in alone] == [
        (p.source.row, p.outcome, p.code, p.message, p.payload) for p in pooled
    ]
    assert {p.outcome for p in alone} == {None, Outcome.REJECTED, Outcome.DUPLICATE}


def test_a_missing_mapped_column_stops_before_the_first_row(write) -> None:
    path = write("in.csv", "id,mobile\n1,919988221100\n")
    with pytest.raises(InputError, match=r"in\.csv: the mapping reads column 'email', 'first'"):
        next(prepare(open_table(path), parse_mapping(BASIC_MAPPING)))


def test_every_sendable_payload_passes_the_request_model(write) -> None:
    items = prepared(write, "".join(f"{i},A,B,91998822{i:04d},e{i}@x.com,2\n" for i in range(50)))
    for item in items:
        check_payload(item.payload)


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"profiles": []}, "profiles"),
        ({"profiles": [{"identifiers": [{"type": "mobile", "value": "91-99"}], "source": "INSTORE"}]}, "profiles.0.identifiers.0"),
        ({"profiles": [{"identifiers": [{"type": "email", "value": "a b@c.com"}], "source": "INSTORE"}]}, "profiles.0.identifiers.0"),
        ({"profiles": [{"identifiers": [{"type": "mobile", "value": "919988221100"}], "source": "SHOP"}]}, "profiles.0.source"),
        ({"profiles": [{"identifiers": [{"type": "cardnumber", "value": "C1"}], "source": "INSTORE"}]}, "profiles.0.identifiers.0"),
        ({"profiles": [{"firstName": "x" * 101, "identifiers": [{"type": "externalId", "value": "1"}], "source": "INSTORE"}]}, "profiles.0.firstName"),
        ({"profiles": [{"identifiers": [{"type": "externalId", "value": "1"}], "source": "INSTORE"}], "loyaltyProgramEnrollments": [{"programId": "469"}]}, "loyaltyProgramEnrollments.0.programId"),
        ({"profiles": [{"identifiers": [{"type": "externalId", "value": "1"}], "source": "INSTORE"}], "loyaltyProgramEnrollments": [{"programId": 469, "pointsExpiryDate": "2024-05-11"}]}, "loyaltyProgramEnrollments.0.pointsExpiryDate"),
    ],
)  # fmt: skip
def test_the_request_model_rejects_what_the_api_refuses(payload, where) -> None:
    from importer._exceptions import RowRejected

    with pytest.raises(RowRejected, match=where) as info:
        check_payload(payload)
    assert info.value.code == "invalid_request"


def read_report(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_dry_run_writes_the_reports_of_a_real_run(write, tmp_path: Path) -> None:
    path = write(
        "in.csv",
        BASIC_HEADER + "\n"
        "1,A,B,919988221100,a@b.com,1\n"
        "2,=cmd,B,12345,c@d.com,1\n"
        "3,C,D,919988221100,e@f.com,1\n"
        "4,E,F,919988221101,g@h.com,2\n",
    )
    mapping = write("map.yaml", BASIC_MAPPING)
    summary = dry_run(path, mapping, out=tmp_path / "reports", job="nightly")
    assert (summary.total_rows, summary.sendable) == (4, 2)
    assert summary.outcomes["rejected"] == 1 and summary.outcomes["duplicate"] == 1
    assert summary.codes == {
        "rejected": {"invalid_mobile": 1},
        "duplicate": {"in_file_duplicate": 1},
    }
    assert summary.dry_run and summary.exit_code == 1
    run = tmp_path / "reports" / "nightly" / summary.run
    errors = read_report(run / "errors.csv")
    assert list(errors[0])[:6] == BASIC_HEADER.split(",")
    assert errors[0]["first"] == "'=cmd"  # neutralised for Excel
    assert (errors[0]["_row"], errors[0]["_outcome"], errors[0]["_code"]) == (
        "3",
        "rejected",
        "invalid_mobile",
    )
    dups = read_report(run / "duplicates.csv")
    assert (dups[0]["_row"], dups[0]["_outcome"]) == ("4", "duplicate")
    assert "already on row 2" in dups[0]["_message"]
    assert read_report(run / "success.csv") == []
    assert json.loads((run / "summary.json").read_text())["sendable"] == 2
    # a rerun of the errors file reads back the original cells and row numbers
    again = list(open_table(run / "errors.csv").rows())
    assert [(r.row, r.cells["first"]) for r in again] == [(3, "=cmd")]


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_exit_codes_and_summary(write, tmp_path: Path) -> None:
    mapping = str(write("map.yaml", BASIC_MAPPING))
    good = str(write("good.csv", BASIC_HEADER + "\n1,A,B,919988221100,a@b.com,1\n"))
    bad = str(write("bad.csv", BASIC_HEADER + "\n1,A,B,12345,a@b.com,1\n"))
    out = str(tmp_path / "reports")
    result = cli("validate", good, "--mapping", mapping, "--out", out)
    assert result.exit_code == 0, result.output
    assert "ready" in result.output and "reports:" in result.output
    result = cli("validate", bad, "--mapping", mapping, "--out", out, "--job", "j")
    assert result.exit_code == 1
    assert "invalid_mobile 1" in result.output
    # duplicates inside the file are fine, as the README says: the first row wins, exit 0
    dup = BASIC_HEADER + "\n1,A,B,919988221100,a@b.com,1\n2,C,D,919988221100,c@d.com,1\n"
    result = cli("validate", str(write("dup.csv", dup)), "--mapping", mapping, "--out", out)
    assert result.exit_code == 0, result.output
    assert "duplicate            1  (in_file_duplicate 1)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.csv", "--mapping", "{map}"], "error: nope.csv: no such file"),
        (["{good}", "--mapping", "nope.yaml"], "error: nope.yaml: no such mapping file"),
        (["{other}", "--mapping", "{map}"], "the mapping reads column"),
        (["{good}", "--mapping", "{map}", "--sheet", "2"], "--sheet applies to Excel files"),
    ],
)
def test_fatal_errors_are_one_line_and_exit_2(write, tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    names = {
        "map": str(write("map.yaml", BASIC_MAPPING)),
        "good": str(write("good.csv", BASIC_HEADER + "\n1,A,B,919988221100,a@b.com,1\n")),
        "other": str(write("other.csv", "x,y\n1,2\n")),
    }
    result = cli("validate", *[a.format(**names) for a in args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_preview_prints_the_first_payloads(write) -> None:
    mapping = str(write("map.yaml", BASIC_MAPPING))
    path = str(
        write(
            "in.csv",
            BASIC_HEADER
            + "\n1,A,B,12345,a@b.com,1\n2,C,D,919988221100,,1\n3,E,F,919988221101,,1\n",
        )
    )
    result = cli("preview", path, "--mapping", mapping, "--rows", "2")
    assert result.exit_code == 0, result.output
    assert "# row 2: rejected (invalid_mobile)" in result.output
    body = result.output.split("# row 3\n")[1]
    assert json.loads(body)["profiles"][0]["identifiers"][0]["value"] == "919988221100"
    assert "# row 4" not in result.output


@pytest.mark.parametrize("workers", [0, 2])
def test_dry_run_agrees_with_prepare_across_chunks(write, tmp_path: Path, workers: int) -> None:
    # duplicates that span chunks (5,000 rows) and duplicate-check groups (20,000 rows)
    lines = "".join(
        f"{i},A,B,9199882{(i * 7919) % 26_000:05d},{'bad@@' if i % 997 == 0 else ''}e{i % 24_000}@x.com,1\n"
        for i in range(30_000)
    )
    path = write("in.csv", BASIC_HEADER + "\n" + lines)
    mapping = write("map.yaml", BASIC_MAPPING)
    items = list(prepare(open_table(path), parse_mapping(BASIC_MAPPING), workers=0))
    summary = dry_run(path, mapping, out=tmp_path / "reports", job="j", workers=workers)
    expected = {
        o: sum(i.outcome is o for i in items) for o in (Outcome.REJECTED, Outcome.DUPLICATE)
    }
    assert summary.outcomes["rejected"] == expected[Outcome.REJECTED] > 0
    assert summary.outcomes["duplicate"] == expected[Outcome.DUPLICATE] > 0
    run = tmp_path / "reports" / "j" / summary.run
    dups = read_report(run / "duplicates.csv")
    assert [(int(d["_row"]), d["_message"]) for d in dups] == [
        (i.source.row, i.message) for i in items if i.outcome is Outcome.DUPLICATE
    ]


def test_two_inputs_prepared_side_by_side_keep_their_own_mappings(write) -> None:
    first = write(
        "a.csv", BASIC_HEADER + "\n" + "".join(f"{i},A,B,9199882{i:05d},,1\n" for i in range(6000))
    )
    other = BASIC_MAPPING.replace("source: INSTORE", "source: WEBSITE")
    second = write(
        "b.csv", BASIC_HEADER + "\n" + "".join(f"{i},A,B,9199883{i:05d},,1\n" for i in range(6000))
    )
    a = prepare(open_table(first), parse_mapping(BASIC_MAPPING))
    b = prepare(open_table(second), parse_mapping(other))
    pairs = list(zip(a, b, strict=True))  # interleaved, as a sender running two inputs would
    assert {x.payload["profiles"][0]["source"] for x, _ in pairs} == {"INSTORE"}
    assert {y.payload["profiles"][0]["source"] for _, y in pairs} == {"WEBSITE"}


FULL_MAPPING = """
settings: {region: IN, timezone: Asia/Kolkata}
registration: {required_identifiers: [mobile, email]}
profiles:
  - source: WECHAT
    accountId: {value: wx-1}
    firstName: {columns: [first, middle], sep: " "}
    lastName: {column: last, case: upper}
    identifiers:
      - {type: mobile, value: mobile}
      - {type: email, value: email}
      - type: cardnumber
        value: card
        seriesId: 12
        statusLabel: {value: ACTIVE}
        extendedFields: {card_kind: {value: gold}}
    commChannels:
      - {type: mobile, value: mobile, primary: true, verified: false, meta: {residence: true}}
    fields: {employee: {column: emp, as: bool}, dateofbirth: {column: dob, as: date, formats: ["%d/%m/%Y"]}}
extendedFields: {gender: {column: g, map: {M: Male}}, zip: {column: zip, required: true}}
loyaltyProgramEnrollments:
  - programId: 469
    tierNumber: tier
    loyaltyPoints: {column: points, as: number}
    tierExpiryDate: {column: expiry, as: datetime, formats: ["%d/%m/%Y"], time: "23:59:59"}
referralCode: ref
statusLabel: {value: Active}
associatedWith: {column: till, default: store-1}
loyaltyInfo: {loyaltyType: {value: loyalty}}
"""
FULL_HEADER = "first,middle,last,mobile,email,card,emp,dob,g,zip,tier,points,expiry,ref,till"


def test_every_request_field_reaches_the_body(write) -> None:
    [item] = prepared(
        write,
        "Asha,K,Rao,09988221100,asha@x.com,C-1,yes,22/10/2000,M,560001,2,12.5,31/12/2026,R1,\n",
        FULL_MAPPING,
        FULL_HEADER,
    )
    assert item.sendable, item.message
    check_payload(item.payload)
    assert item.payload == {
        "profiles": [
            {
                "firstName": "Asha K",
                "lastName": "RAO",
                "identifiers": [
                    {"type": "mobile", "value": "919988221100"},
                    {"type": "email", "value": "asha@x.com"},
                    {"type": "cardnumber", "value": "C-1", "seriesId": 12, "statusLabel": "ACTIVE",
                     "extendedFields": {"card_kind": "gold"}},
                ],
                "commChannels": [
                    {"type": "mobile", "value": "919988221100", "primary": "true", "verified": "false",
                     "meta": {"residence": "true"}},
                ],
                "fields": {"employee": True, "dateofbirth": "2000-10-22"},
                "source": "WECHAT",
                "accountId": "wx-1",
            }
        ],
        "extendedFields": {"gender": "Male", "zip": "560001"},
        "loyaltyProgramEnrollments": [
            {"programId": 469, "tierNumber": 2, "loyaltyPoints": 12.5, "tierExpiryDate": "2026-12-31T23:59:59+05:30"}
        ],
        "referralCode": "R1",
        "statusLabel": "Active",
        "associatedWith": "store-1",
        "loyaltyInfo": {"loyaltyType": "loyalty"},
    }  # fmt: skip
    assert item.keys[0] == IdentityKey("WECHAT", "wx-1", "mobile", "919988221100")


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("Asha,K,Rao,09988221100,,C-1,yes,,M,560001,2,1,,,", "missing_identifier"),
        ("Asha,K,Rao,09988221100,a@x.com,C-1,yes,,M,,2,1,,,", "missing_value"),
        ("Asha,K,Rao,09988221100,a@x.com,C-1,maybe,,M,1,2,1,,,", "invalid_bool"),
        ("Asha,K,Rao,09988221100,a@x.com,C-1,yes,,M,1,2,-4,,,", "out_of_range"),
    ],
)
def test_full_mapping_rejections(write, row: str, code: str) -> None:
    [item] = prepared(write, row + "\n", FULL_MAPPING, FULL_HEADER)
    assert item.code == code, item.message
