"""Consent per channel: what reached the emulator, success.csv as given, report.html's counts."""

from __future__ import annotations

import re
from pathlib import Path

from runs_helpers import read_report, run_dir_of

from importer.mapping._spec import parse_mapping
from importer.report._consent import channel_types, count_consent
from importer.report._page import render_consent

MAPPING = """
profiles:
  - source: INSTORE
    identifiers:
      - {type: mobile, value: mobile}
    commChannels:
      - type: mobile
        value: mobile
        primary: true
        subscribed: {column: Opt-in SMS, as: bool}
      - type: email
        value: email
        subscribed: {column: Opt-in Mail, as: bool}
"""

#: mobile, email, Opt-in SMS, Opt-in Mail -> what the emulator must keep (None: no flag sent)
ROWS = [
    ("919871000001", "a1@example.com", "Y", "yes", True, True),
    ("919871000002", "a2@example.com", "n", "", False, None),
    ("919871000003", "", "", "N", None, None),  # no e-mail: its consent cannot be loaded
    ("919871000004", "a4@example.com", "ON", "0", True, False),
    ("919871000005", "a5@example.com", "no", "off", False, False),
]
REJECTED = ("919871000006", "a6@example.com", "maybe", "Y")


def _page_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-summary="(consent\.[^"]+)">([^<]*)<', html))


def test_consent_reaches_the_emulator_as_given_and_is_counted(
    tmp_path: Path, write, run, start_emulator
) -> None:
    emu = start_emulator()
    lines = [",".join(r[:4]) for r in ROWS]
    lines.insert(2, ",".join(REJECTED))  # row 4 of the sheet
    source = write("optin.csv", "mobile,email,Opt-in SMS,Opt-in Mail\n" + "\n".join(lines) + "\n")
    mapping = write("optin.yaml", MAPPING)
    out = tmp_path / "out"

    summary = run(emu.url, source, mapping=mapping, out=out)

    # what reached the emulator, over its socket: each flag as the sheet said, or none at all
    kept = {
        a["identifiers"][0]["value"]: {c["type"]: c["subscribed"] for c in a["commChannels"]}
        for customer in emu.customers()
        for a in customer["accounts"]
    }
    assert kept == {
        m: {"mobile": sms, **({"email": mail} if email else {})}
        for m, email, _, _, sms, mail in ROWS
    }
    run_dir = run_dir_of(out, summary)
    # the row with a word that is no yes/no was never sent, and says which cell and why
    [error] = read_report(run_dir / "errors.csv")
    assert (error["_row"], error["_code"]) == ("4", "invalid_bool")
    assert error["_message"].startswith('Opt-in SMS: "maybe" ')
    # success.csv keeps the input's own columns: the consent as the sheet gave it
    created = read_report(run_dir / "success.csv")
    assert [list(r)[:4] for r in created] == [["mobile", "email", "Opt-in SMS", "Opt-in Mail"]] * 5
    assert [(r["mobile"], r["Opt-in SMS"], r["Opt-in Mail"]) for r in created] == [
        (m, sms, mail) for m, _, sms, mail, _, _ in ROWS
    ]
    # summary.json and report.html count created customers per channel
    assert summary.consent == {
        "mobile": {"subscribed": 2, "not_subscribed": 2, "not_given": 1},
        "email": {"subscribed": 1, "not_subscribed": 2, "not_given": 2},
    }
    page = _page_values((run_dir / "report.html").read_text("utf-8"))
    assert page == {
        "consent.mobile.subscribed": "2",
        "consent.mobile.not_subscribed": "2",
        "consent.mobile.not_given": "1",
        "consent.email.subscribed": "1",
        "consent.email.not_subscribed": "2",
        "consent.email.not_given": "2",
    }


def test_counting_reads_both_forms_of_the_flag() -> None:
    types = channel_types(parse_mapping(MAPPING))
    assert types == ("mobile", "email")
    counts: dict[str, dict[str, int]] = {}
    for mobile_flag in ("true", True, "false", False, None):
        channel = {"type": "mobile", "value": "919871000001"}
        if mobile_flag is not None:
            channel["subscribed"] = mobile_flag
        count_consent(counts, {"profiles": [{"commChannels": [channel]}]}, types)
    assert counts == {
        "mobile": {"subscribed": 2, "not_subscribed": 2, "not_given": 1},
        "email": {"subscribed": 0, "not_subscribed": 0, "not_given": 5},
    }


def test_no_channels_no_consent_section() -> None:
    assert render_consent({}) == ""
    bare = parse_mapping("profiles: [{source: INSTORE, identifiers: [{type: mobile, value: m}]}]")
    assert channel_types(bare) == ()
