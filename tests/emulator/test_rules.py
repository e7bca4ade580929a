"""The pure Add Customer rules, without a server."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from importer.emulator import _rules as rules
from importer.emulator._effects import awarded as awarded_points
from importer.emulator._effects import side_effects
from importer.emulator._org import SOURCES, Org, Program, Registration
from importer.emulator._rules import Identifier, Problem

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.json"))
ORG = Org()


def body(*identifiers: tuple[str, str], source: Any = "INSTORE", **extra: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {"identifiers": [{"type": t, "value": v} for t, v in identifiers]}
    if source is not None:
        profile["source"] = source
    return {"profiles": [profile], **extra}


def codes(result: Any) -> list[int]:
    assert isinstance(result, list), f"expected problems, got {result}"
    return [p.code for p in result]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_documented_sample_passes(sample: Path) -> None:
    assert isinstance(rules.check(json.loads(sample.read_text()), ORG), rules.Registration)


@pytest.mark.parametrize("source", SOURCES)
def test_each_documented_source_is_accepted(source: str) -> None:
    result = rules.check(body(("mobile", "919988221100"), source=source), ORG)
    assert result.profiles[0].source == source


@pytest.mark.parametrize(
    "source", ["STORE", "instore", "Instore", "IN_STORE", "WEB ENGAGE", "SMS", "0", "TWITTER"]
)
def test_unknown_source_is_3217(source: str) -> None:
    assert codes(rules.check(body(("mobile", "919988221100"), source=source), ORG)) == [3217]


@pytest.mark.parametrize("source", [None, "", "   "])
def test_missing_source_is_8004(source: Any) -> None:
    assert codes(rules.check(body(("mobile", "919988221100"), source=source), ORG)) == [8004]


def test_source_not_enabled_for_the_org_is_3217() -> None:
    org = Org(sources=("INSTORE",))
    assert codes(rules.check(body(("mobile", "919988221100"), source="LINE"), org)) == [3217]


@pytest.mark.parametrize(
    "payload",
    [
        body(),
        body(("mobile", "")),
        body(("", "919988221100")),
        {"profiles": [{"source": "INSTORE", "identifiers": "919988221100"}]},
        {"profiles": [{"source": "INSTORE"}]},
    ],
    ids=["no-identifiers", "empty-value", "no-type", "not-a-list", "missing"],
)
def test_no_valid_identifier_is_8005(payload: dict[str, Any]) -> None:
    assert codes(rules.check(payload, ORG)) == [8005]


@pytest.mark.parametrize(
    "payload", [[], "text", None, {"profiles": "x"}], ids=["list", "str", "null", "profiles-str"]
)
def test_body_that_is_not_a_registration_is_refused(payload: Any) -> None:
    assert codes(rules.check(payload, ORG)) == [8005]


def test_missing_profiles_lack_both_source_and_identifiers() -> None:
    assert sorted(codes(rules.check({}, ORG))) == [8004, 8005]


@pytest.mark.parametrize(
    "mobile",
    ["+919988221100", "91 9988221100", "91-9988221100", "9199882211OO", "123456", "1" * 16, "٩١٩"],
)
def test_invalid_mobile_is_8014(mobile: str) -> None:
    assert codes(rules.check(body(("mobile", mobile)), ORG)) == [8014]


@pytest.mark.parametrize("mobile", ["4567890", "919988221100", "1" * 15])
def test_mobile_within_bounds_is_accepted(mobile: str) -> None:
    assert rules.check(body(("mobile", mobile)), ORG).profiles[0].identifiers[0].value == mobile


def test_mobile_bounds_come_from_the_org() -> None:
    org = Org(registration=Registration(mobile_min_digits=10, mobile_max_digits=12))
    assert codes(rules.check(body(("mobile", "4567890")), org)) == [8014]


@pytest.mark.parametrize(
    "email",
    [
        "tom sawyer@example.com",
        "tom@exa mple.com",
        "tom!@example.com",
        "tóm@example.com",
        "tom",
        "tom@example",
        "@example.com",
        "a" * 250 + "@x.com",
    ],
)
def test_invalid_email_is_8013(email: str) -> None:
    assert codes(rules.check(body(("email", email)), ORG)) == [8013]


@pytest.mark.parametrize(
    "email", ["tom.sawyer@capillarytech.com", "a-b_c+d@x.co", "a" * 245 + "@x.com"]
)
def test_valid_email_is_accepted(email: str) -> None:
    assert isinstance(rules.check(body(("email", email)), ORG), rules.Registration)


def test_names_are_cut_at_100_characters() -> None:
    payload = body(("mobile", "919988221100"))
    payload["profiles"][0].update(firstName="F" * 150, lastName="L" * 101)
    profile = rules.check(payload, ORG).profiles[0]
    assert (profile.first_name, profile.last_name) == ("F" * 100, "L" * 100)


def test_card_keeps_series_and_status_label() -> None:
    payload = {
        "profiles": [
            {
                "source": "INSTORE",
                "identifiers": [
                    {
                        "type": "cardnumber",
                        "value": "12345678",
                        "seriesId": 73,
                        "statusLabel": "ACTIVE",
                    }
                ],
            }
        ]
    }
    (card,) = rules.check(payload, ORG).profiles[0].identifiers
    assert (card.type, card.value, card.series_id, card.status_label) == (
        "cardnumber",
        "12345678",
        73,
        "ACTIVE",
    )


@pytest.mark.parametrize("series", [{}, {"seriesId": "seventy"}], ids=["missing", "not-a-number"])
def test_card_without_usable_series_is_8013(series: dict[str, Any]) -> None:
    payload = {
        "profiles": [
            {"source": "INSTORE", "identifiers": [{"type": "cardnumber", "value": "1", **series}]}
        ]
    }
    assert codes(rules.check(payload, ORG)) == [8013]


@pytest.mark.parametrize("required", ["mobile", "email", "externalId"])
def test_identifier_required_by_the_org_is_8005_when_missing(required: str) -> None:
    org = Org(registration=Registration(required_identifiers=(required,)))
    others = [("mobile", "919988221100"), ("email", "a@b.co"), ("externalId", "X1")]
    payload = body(*[pair for pair in others if pair[0] != required])
    assert codes(rules.check(payload, org)) == [8005]
    assert isinstance(rules.check(body(*others), org), rules.Registration)


@pytest.mark.parametrize("value", ["ZZ123456", "EX12", "EX1234567"])
def test_external_id_off_the_configured_pattern_is_8020(value: str) -> None:
    org = Org(registration=Registration(external_id_prefix="EX", external_id_length=8))
    assert codes(rules.check(body(("externalId", value)), org)) == [8020]
    assert isinstance(rules.check(body(("externalId", "EX123456")), org), rules.Registration)


@pytest.mark.parametrize(
    "enrollment",
    [
        {"programId": 999, "loyaltyPoints": 5},
        {"programId": 469, "tierNumber": 9},
        {"programId": 469, "loyaltyPoints": -1},
        {"programId": 469, "loyaltyPoints": "lots"},
    ],
    ids=["unknown-program", "unknown-tier", "negative-points", "not-a-number"],
)
def test_bad_enrollment_is_refused(enrollment: dict[str, Any]) -> None:
    payload = body(("mobile", "919988221100"), loyaltyProgramEnrollments=[enrollment])
    assert codes(rules.check(payload, ORG)) == [rules.INVALID_ENROLLMENT]


def test_emails_compare_without_case() -> None:
    assert Identifier("email", "Tom@X.co").key == Identifier("email", "tom@x.co").key
    assert Identifier("externalId", "AB").key != Identifier("externalId", "ab").key


def _registration(**extra: Any) -> rules.Registration:
    return rules.check(body(("mobile", "919988221100"), ("email", "a@b.co"), **extra), ORG)


def test_new_identifiers_create() -> None:
    assert rules.resolve(_registration(), {}, {}) == rules.Plan()


def test_identifier_taken_in_the_same_source_is_8006_naming_the_owner() -> None:
    plan = rules.resolve(_registration(), {("INSTORE", "", "email", "a@b.co"): 42}, {})
    assert plan.refuse == Problem(
        8006, "Add failed, Customer already exists with id 42 for same source"
    )


def test_identifier_in_another_source_joins_with_8050() -> None:
    plan = rules.resolve(_registration(), {}, {("mobile", "919988221100"): 42})
    assert (plan.join, [w.code for w in plan.warnings]) == (42, [8050])


def test_identifiers_of_two_customers_elsewhere_are_8028() -> None:
    other = {("mobile", "919988221100"): 42, ("email", "a@b.co"): 43}
    assert rules.resolve(_registration(), {}, other).refuse.code == 8028


@pytest.mark.parametrize(
    ("label", "default", "warned"),
    [(None, None, True), ("Active", None, False), (None, "Active", False)],
)
def test_8107_only_without_any_status_label(label: Any, default: Any, warned: bool) -> None:
    org = Org(default_status_label=default)
    reg = rules.check(body(("mobile", "919988221100"), statusLabel=label), org)
    assert [w.code for w in rules.creation_warnings(reg, org)] == ([8107] if warned else [])


@pytest.mark.parametrize(("points", "awarded"), [("75", 75), (75.5, 76), (0, None)])
def test_enrollment_points_become_a_points_side_effect(points: Any, awarded: Any) -> None:
    enrollment = {"programId": 469, "tierNumber": 1, "loyaltyPoints": points}
    reg = _registration(loyaltyProgramEnrollments=[enrollment])
    effects = side_effects(reg, 7, None, ORG)
    if awarded is None:
        assert effects == []
    else:
        assert effects == [
            {
                "entityType": "USER",
                "rawAwardedPoints": float(Decimal(str(points))),
                "awardedPoints": awarded,
                "type": "points",
            }
        ]


def test_referral_rewards_both_sides() -> None:
    reg = _registration(referralCode="REF5")
    effects = side_effects(reg, 7, 5, ORG)
    assert [(e["customerId"], e.get("isReferrer", False)) for e in effects] == [
        (7, False),
        (5, True),
    ]
    assert awarded_points(effects, 7) == {7: 100, 5: 100}


def test_program_tiers_come_from_the_org() -> None:
    org = Org(loyalty_programs=(Program(id=1, tiers=(1, 2)),))
    enrollment = {"programId": 1, "tierNumber": 2}
    assert isinstance(
        rules.check(body(("mobile", "919988221100"), loyaltyProgramEnrollments=[enrollment]), org),
        rules.Registration,
    )
