"""POST /v2/customers over a real socket: the documented rules, codes and answer shapes."""

from __future__ import annotations

import pytest
from emulator_helpers import (
    AUTH,
    add_body,
    created,
    customer,
    error_codes,
    fresh_mobile,
    post_add,
)

from importer.emulator import EmulatorProcess
from importer.emulator._org import SOURCES


@pytest.mark.parametrize("source", SOURCES)
def test_each_documented_source_registers(emulator: EmulatorProcess, source: str) -> None:
    created(post_add(emulator, add_body(("mobile", fresh_mobile()), source=source)))


@pytest.mark.parametrize(
    "source", ["STORE", "instore", "Instore", "IN_STORE", "WEB ENGAGE", "SMS", "TWITTER", "0"]
)
def test_unknown_source_is_3217(emulator: EmulatorProcess, source: str) -> None:
    answer = post_add(emulator, add_body(("mobile", fresh_mobile()), source=source))
    assert (answer.status, error_codes(answer)) == (400, [3217])


@pytest.mark.parametrize("source", ["", "  "])
def test_missing_source_is_8004(emulator: EmulatorProcess, source: str) -> None:
    answer = post_add(emulator, add_body(("mobile", fresh_mobile()), source=source))
    assert (answer.status, error_codes(answer)) == (400, [8004])


@pytest.mark.parametrize(
    "identifiers",
    [(), (("mobile", ""),), (("", "919988221100"),)],
    ids=["none", "empty-value", "no-type"],
)
def test_no_valid_identifier_is_8005(emulator: EmulatorProcess, identifiers: tuple) -> None:
    answer = post_add(emulator, add_body(*identifiers))
    assert (answer.status, error_codes(answer)) == (400, [8005])


@pytest.mark.parametrize(
    "mobile", ["+919988221100", "91 99882211", "91-9988221100", "9199882211OO", "123456", "1" * 16]
)
def test_invalid_mobile_is_8014(emulator: EmulatorProcess, mobile: str) -> None:
    answer = post_add(emulator, add_body(("mobile", mobile)))
    assert (answer.status, error_codes(answer)) == (400, [8014])


@pytest.mark.parametrize(
    "email", ["tom sawyer@x.com", "tom!@x.com", "tóm@x.com", "tom", "a" * 250 + "@x.com"]
)
def test_invalid_email_is_8013(emulator: EmulatorProcess, email: str) -> None:
    answer = post_add(emulator, add_body(("email", email)))
    assert (answer.status, error_codes(answer)) == (400, [8013])


def test_names_are_cut_at_100_characters(emulator: EmulatorProcess) -> None:
    body = add_body(
        ("mobile", fresh_mobile()), profile={"firstName": "F" * 130, "lastName": "L" * 100}
    )
    stored = customer(emulator, created(post_add(emulator, body)))
    assert (stored["firstName"], stored["lastName"]) == ("F" * 100, "L" * 100)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("mobile", "MOBILE"), ("mobile", "MOBILE")),
        (("email", "Tom.{n}@Example.com"), ("email", "tom.{n}@example.COM")),
        (("externalId", "EXT{n}"), ("externalId", "EXT{n}")),
    ],
    ids=["mobile", "email-ignoring-case", "externalId"],
)
def test_same_identifier_in_same_source_is_8006_naming_the_customer(
    emulator: EmulatorProcess, first: tuple[str, str], second: tuple[str, str]
) -> None:
    n = fresh_mobile()
    fill = lambda pair: (pair[0], n if pair[1] == "MOBILE" else pair[1].format(n=n))  # noqa: E731
    first_id = created(post_add(emulator, add_body(fill(first))))
    answer = post_add(emulator, add_body(fill(second), ("mobile", fresh_mobile())))
    assert (answer.status, error_codes(answer)) == (400, [8006])
    assert answer.body["errors"][0]["message"] == (
        f"Add failed, Customer already exists with id {first_id} for same source"
    )


def test_same_identifier_in_another_source_joins_with_8050(emulator: EmulatorProcess) -> None:
    mobile, email = fresh_mobile(), f"{fresh_mobile()}@line.example"
    first_id = created(post_add(emulator, add_body(("mobile", mobile))))
    answer = post_add(
        emulator,
        add_body(
            ("mobile", mobile),
            ("email", email),
            source="LINE",
            profile={"accountId": "2001914141242"},
        ),
    )
    assert created(answer) == first_id
    assert [w["code"] for w in answer.body["warnings"]] == [8050]
    assert answer.body["warnings"][0] == {
        "status": False,
        "code": 8050,
        "message": "Same Customer found in other sources,Combining",
    }
    accounts = customer(emulator, first_id)["accounts"]
    assert [(a["source"], a["accountId"]) for a in accounts] == [
        ("INSTORE", ""),
        ("LINE", "2001914141242"),
    ]
    assert {i["value"] for i in accounts[1]["identifiers"]} == {mobile, email}
    assert len([c for c in emulator.customers() if c["id"] == first_id]) == 1


def test_another_account_of_the_same_source_joins(emulator: EmulatorProcess) -> None:
    mobile = fresh_mobile()
    first = created(
        post_add(
            emulator, add_body(("mobile", mobile), source="WECHAT", profile={"accountId": "A"})
        )
    )
    again = post_add(
        emulator, add_body(("mobile", mobile), source="WECHAT", profile={"accountId": "A"})
    )
    other = post_add(
        emulator, add_body(("mobile", mobile), source="WECHAT", profile={"accountId": "B"})
    )
    assert error_codes(again) == [8006]
    assert created(other) == first


def test_identifiers_of_two_customers_elsewhere_are_8028(emulator: EmulatorProcess) -> None:
    a, b = fresh_mobile(), f"{fresh_mobile()}@x.co"
    created(post_add(emulator, add_body(("mobile", a))))
    created(post_add(emulator, add_body(("email", b), source="LINE")))
    answer = post_add(emulator, add_body(("mobile", a), ("email", b), source="WEBSITE"))
    assert error_codes(answer) == [8028]


@pytest.mark.parametrize(
    ("extra", "warned"),
    [({}, True), ({"statusLabel": ""}, True), ({"statusLabel": "Active"}, False)],
    ids=["absent", "empty", "given"],
)
def test_8107_without_a_status_label(emulator: EmulatorProcess, extra: dict, warned: bool) -> None:
    answer = post_add(emulator, add_body(("mobile", fresh_mobile()), **extra))
    created(answer)
    expected = [{"status": False, "code": 8107, "message": "Default customer status label not set"}]
    assert answer.body["warnings"] == (expected if warned else [])


def test_org_default_label_silences_8107(start_emulator, tmp_path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("default_status_label: Active\n")
    emu = start_emulator("--org", str(org))
    assert post_add(emu, add_body(("mobile", fresh_mobile()))).body["warnings"] == []


def test_enrollment_points_are_a_side_effect(emulator: EmulatorProcess) -> None:
    enrollment = {"programId": 469, "tierNumber": 1, "loyaltyPoints": 75}
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile()), loyaltyProgramEnrollments=[enrollment])
    )
    created(answer)
    assert answer.body["sideEffects"] == [
        {"entityType": "USER", "rawAwardedPoints": 75.0, "awardedPoints": 75, "type": "points"}
    ]
    assert customer(emulator, answer.body["createdId"])["points"] == 75


@pytest.mark.parametrize(
    "enrollment",
    [
        {"programId": 1},
        {"programId": 469, "tierNumber": 7},
        {"programId": 469, "loyaltyPoints": -5},
    ],
    ids=["unknown-program", "unknown-tier", "negative-points"],
)
def test_bad_enrollment_is_refused(emulator: EmulatorProcess, enrollment: dict) -> None:
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile()), loyaltyProgramEnrollments=[enrollment])
    )
    assert error_codes(answer) == [8200]


def test_referral_code_rewards_the_referrer(emulator: EmulatorProcess) -> None:
    referrer = created(post_add(emulator, add_body(("mobile", fresh_mobile()))))
    code = customer(emulator, referrer)["referralCode"]
    answer = post_add(emulator, add_body(("mobile", fresh_mobile()), referralCode=code))
    referee = created(answer)
    assert answer.body["sideEffects"] == [
        {
            "entityType": "USER",
            "rawAwardedPoints": 100.0,
            "customerId": referee,
            "awardedPoints": 100,
            "type": "points",
        },
        {
            "entityType": "USER",
            "rawAwardedPoints": 100.0,
            "customerId": referrer,
            "awardedPoints": 100,
            "type": "points",
            "isReferrer": True,
        },
    ]
    assert customer(emulator, referrer)["points"] == 100
    assert customer(emulator, referee)["referredBy"] == referrer


def test_unknown_referral_code_has_no_side_effect(emulator: EmulatorProcess) -> None:
    answer = post_add(emulator, add_body(("mobile", fresh_mobile()), referralCode="NOPE"))
    assert created(answer) and answer.body["sideEffects"] == []


def test_card_keeps_series_and_status_label(emulator: EmulatorProcess) -> None:
    card = {"type": "cardnumber", "value": fresh_mobile(), "seriesId": 73, "statusLabel": "ACTIVE"}
    body = {"profiles": [{"source": "INSTORE", "identifiers": [card]}]}
    stored = customer(emulator, created(post_add(emulator, body)))
    (ident,) = stored["accounts"][0]["identifiers"]
    assert ident == {
        "type": "cardnumber",
        "value": card["value"],
        "seriesId": 73,
        "seriesCode": None,
        "statusLabel": "ACTIVE",
    }


def test_context_and_attribution_headers_are_recorded(emulator: EmulatorProcess) -> None:
    sent = {
        "USER-CONTEXT-ENTITY-TYPE": "TILL",
        "user-context-entity-id": "75155",
        "USER-CONTEXT-ENTITY-SOURCE": "INSTORE",
        "USER-CONTEXT-ENTITY-SOURCE-ID": "migration-7",
        "SKIP-DOWNSTREAM": "true",
        "X-CAP-API-ATTRIBUTION-ENTITY-TYPE": "TILL",
        "X-CAP-API-ATTRIBUTION-ENTITY-CODE": "bukl.till",
        "X-Unrelated": "not kept",
    }
    answer = post_add(emulator, add_body(("mobile", fresh_mobile())), {**AUTH, **sent})
    headers = customer(emulator, created(answer))["accounts"][0]["headers"]
    assert headers == {k.upper(): v for k, v in sent.items() if k != "X-Unrelated"}


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"profiles": []}', "text/plain", 415),
        (b"profiles=1", "application/x-www-form-urlencoded", 415),
    ],
    ids=["malformed", "empty", "text", "form"],
)
def test_unreadable_bodies_are_refused(
    emulator: EmulatorProcess, raw: bytes, content_type: str, status: int
) -> None:
    answer = emulator.request("POST", "/v2/customers", raw, {**AUTH, "Content-Type": content_type})
    assert answer.status == status
    assert error_codes(answer) == [status]
    assert answer.headers["x-cap-requestid"]


def test_error_status_200_keeps_the_error_body(start_emulator) -> None:
    emu = start_emulator("--error-status", "200")
    answer = post_add(emu, add_body(("mobile", "12")))
    assert (answer.status, error_codes(answer)) == (200, [8014])
    # a body that cannot be read is a request-level 400 whatever the option says
    unreadable = post_add(emu, add_body(("mobile", fresh_mobile()), statusLabel=["x"]))
    assert (unreadable.status, error_codes(unreadable)) == (400, [400])


def test_every_answer_has_a_unique_request_id(emulator: EmulatorProcess) -> None:
    answers = [
        post_add(emulator, add_body(("mobile", fresh_mobile()))),
        post_add(emulator, add_body(("mobile", "1"))),
        post_add(emulator, add_body(("mobile", fresh_mobile())), headers={}),
        emulator.request("GET", "/no/such/path"),
        emulator.request("GET", "/v2/customers"),
        emulator.request("GET", "/_emulator/health"),
    ]
    assert [a.status for a in answers] == [200, 400, 401, 404, 405, 200]
    ids = [a.headers["x-cap-requestid"] for a in answers]
    assert len(set(ids)) == len(ids) and all(ids)
    assert error_codes(answers[3]) == [404]


@pytest.fixture(scope="module")
def strict_org(tmp_path_factory: pytest.TempPathFactory):
    """An emulator whose org requires a mobile, patterns external IDs and limits sources."""
    from importer.emulator import running_emulator

    org = tmp_path_factory.mktemp("org") / "org.yaml"
    org.write_text(
        "sources: [INSTORE, LINE]\n"
        "registration:\n"
        "  required_identifiers: [mobile]\n"
        "  mobile_min_digits: 10\n"
        "  mobile_max_digits: 12\n"
        "  external_id_prefix: EX\n"
        "  external_id_length: 8\n"
        "default_status_label: Active\n"
        "loyalty_programs: [{id: 7, tiers: [1]}]\n"
    )
    with running_emulator("--org", str(org)) as emu:
        yield emu


@pytest.mark.parametrize(
    ("identifiers", "extra", "code"),
    [
        ((("email", "a@b.co"),), {}, 8005),
        ((("mobile", "M"), ("externalId", "ZZ123456")), {}, 8020),
        ((("mobile", "M"), ("externalId", "EX1")), {}, 8020),
        ((("mobile", "4567890"),), {}, 8014),
        ((("mobile", "M"),), {"source": "WEBSITE"}, 3217),
        ((("mobile", "M"),), {"loyaltyProgramEnrollments": [{"programId": 469}]}, 8200),
        (
            (("mobile", "M"),),
            {"loyaltyProgramEnrollments": [{"programId": 7, "tierNumber": 2}]},
            8200,
        ),
        ((("mobile", "M"), ("externalId", "EX123456")), {}, None),
    ],
    ids=[
        "mobile-required",
        "external-prefix",
        "external-length",
        "mobile-too-short",
        "source-not-enabled",
        "program-not-configured",
        "tier-not-configured",
        "accepted",
    ],
)
def test_org_registration_rules(strict_org: EmulatorProcess, identifiers, extra, code) -> None:
    filled = tuple((t, fresh_mobile() if v == "M" else v) for t, v in identifiers)
    answer = post_add(strict_org, add_body(*filled, **extra))
    if code is None:
        assert created(answer) and answer.body["warnings"] == []  # the org has a default label
    else:
        assert (answer.status, error_codes(answer)) == (400, [code])
