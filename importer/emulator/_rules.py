"""The Add Customer rules, pure: read a body, decide errors, warnings and side effects.

Codes come from the vendor's Add Customer reference and API notes; where the vendor documents
no code the emulator's choice is marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from importer.emulator._org import Org
from importer.emulator._reference import EMAIL_LIMIT, SOURCES, email_fault, kept_name

INVALID_SOURCE = 3217
NO_SOURCE = 8004
NO_IDENTIFIER = 8005
ALREADY_EXISTS = 8006
INVALID_CHANNEL = 8010
INVALID_IDENTIFIER = 8013
INVALID_MOBILE = 8014
NOT_FOUND = 8015
EXTERNAL_ID_MISMATCH = 8020
SEEMS_REGISTERED = 8028
COMBINED = 8050
NO_DEFAULT_LABEL = 8107
#: emulator's choice: the vendor documents no code for a bad loyalty enrollment.
INVALID_ENROLLMENT = 8200


@dataclass(frozen=True)
class Problem:
    """One entry of an error or warning list."""

    code: int
    message: str

    def as_json(self) -> dict[str, Any]:
        """The vendor's shape: ``{"status": false, "code": ..., "message": ...}``."""
        return {"status": False, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Identifier:
    """An identifier as stored: ``key`` is what uniqueness compares (emails ignore case)."""

    type: str
    value: str
    series_id: int | None = None
    series_code: str | None = None
    status_label: str | None = None

    @property
    def key(self) -> str:
        return self.value.lower() if self.type == "email" else self.value


@dataclass(frozen=True)
class Channel:
    """A communication channel; each flag is True, False or None (not sent)."""

    type: str
    value: str
    primary: bool | None = None
    verified: bool | None = None
    subscribed: bool | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {**vars(self), "meta": dict(self.meta)}


CHANNEL_FLAGS = ("primary", "verified", "subscribed")


@dataclass(frozen=True)
class Profile:
    """One source account of the registration."""

    source: str
    account_id: str
    first_name: str | None
    last_name: str | None
    identifiers: tuple[Identifier, ...]
    channels: tuple[Channel, ...] = ()


@dataclass(frozen=True)
class Enrollment:
    """A loyalty program enrollment; ``points`` is what the side effect awards."""

    program_id: int
    tier_number: int | None
    points: Decimal


@dataclass(frozen=True)
class Registration:
    """A request body that passed every rule."""

    profiles: tuple[Profile, ...]
    status_label: str | None
    enrollments: tuple[Enrollment, ...]
    referral_code: str | None


@dataclass(frozen=True)
class Plan:
    """What the store must do: create a customer, join an existing one, or refuse."""

    join: int | None = None
    refuse: Problem | None = None
    warnings: tuple[Problem, ...] = field(default=())


def error_body(problems: list[Problem] | tuple[Problem, ...]) -> dict[str, Any]:
    """The vendor's error shape."""
    return {"errors": [p.as_json() for p in problems], "warnings": []}


def check(body: Any, org: Org) -> Registration | list[Problem]:
    """Apply the per-request rules; answer the registration or every problem found."""
    if not isinstance(body, Mapping):
        return [Problem(NO_IDENTIFIER, "Request body must be a JSON object")]
    raw_profiles = body.get("profiles")
    if raw_profiles is None or raw_profiles == []:
        raw_profiles = [{}]
    if not isinstance(raw_profiles, list):
        return [Problem(NO_IDENTIFIER, "profiles must be a list")]
    problems: list[Problem] = []
    profiles = []
    for raw in raw_profiles:
        profile = _profile(raw if isinstance(raw, Mapping) else {}, org, problems)
        if profile is not None:
            profiles.append(profile)
    enrollments = _enrollments(body.get("loyaltyProgramEnrollments"), org, problems)
    if problems:
        return problems
    label = body.get("statusLabel")
    referral = body.get("referralCode")
    return Registration(
        profiles=tuple(profiles),
        status_label=str(label) if label not in (None, "") else None,
        enrollments=enrollments,
        referral_code=str(referral).strip() if referral not in (None, "") else None,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _profile(raw: Mapping[str, Any], org: Org, problems: list[Problem]) -> Profile | None:
    source = _text(raw.get("source"))
    start = len(problems)
    if not source:
        problems.append(Problem(NO_SOURCE, "Source is not passed"))
    elif source not in SOURCES or source not in org.sources:
        problems.append(Problem(INVALID_SOURCE, f"Source is invalid: {source}"))
    identifiers = _identifiers(raw.get("identifiers"), org, problems)
    channels = _channels(raw.get("commChannels"), problems)
    if len(problems) > start:
        return None
    return Profile(
        source=source,
        account_id=_text(raw.get("accountId")),
        first_name=_name(raw.get("firstName")),
        last_name=_name(raw.get("lastName")),
        identifiers=identifiers,
        channels=channels,
    )


def _channels(raw: Any, problems: list[Problem]) -> tuple[Channel, ...]:
    # JSON types (flags included) were checked by _shape before any rule runs
    out = []
    for item in raw if isinstance(raw, list) else []:
        item = item if isinstance(item, Mapping) else {}
        kind, value = _text(item.get("type")), _text(item.get("value"))
        if not kind or not value:
            # types stay open (mobilePush, line, ...): the samples use more than the table lists
            problems.append(
                Problem(INVALID_CHANNEL, "Invalid communication channel: no type or value")
            )
            continue
        flags = {
            k: None if item.get(k) is None else (item[k] is True or item[k] == "true")
            for k in CHANNEL_FLAGS
        }
        meta = item.get("meta")
        out.append(Channel(kind, value, **flags, meta=meta if isinstance(meta, Mapping) else {}))
    return tuple(out)


def _name(value: Any) -> str | None:
    # the vendor ignores characters past the limit instead of refusing the name
    return None if value is None else kept_name(value)


def _identifiers(raw: Any, org: Org, problems: list[Problem]) -> tuple[Identifier, ...]:
    rules = org.registration
    found: dict[tuple[str, str], Identifier] = {}
    bad = False
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        kind, value = _text(item.get("type")), _text(item.get("value"))
        if not kind or not value:
            continue
        problem = _identifier_problem(kind, value, item, org)
        if problem is not None:
            problems.append(problem)
            bad = True
            continue
        ident = Identifier(
            type=kind,
            value=value,
            series_id=_int_or_none(item.get("seriesId")),
            series_code=_text(item.get("seriesCode")) or None,
            status_label=_text(item.get("statusLabel")) or None,
        )
        found.setdefault((ident.type, ident.key), ident)
    if bad:
        return ()
    if not found:
        problems.append(Problem(NO_IDENTIFIER, "No valid identifiers passed"))
        return ()
    kinds = {kind for kind, _ in found}
    for required in rules.required_identifiers:
        if required not in kinds:
            problems.append(Problem(NO_IDENTIFIER, f"Identifier {required} is required by the org"))
    return tuple(found.values())


def _identifier_problem(kind: str, value: str, item: Mapping[str, Any], org: Org) -> Problem | None:
    rules = org.registration
    if kind == "mobile":
        if not value.isascii() or not value.isdigit():
            return Problem(
                INVALID_MOBILE, f"Invalid mobile {value}: digits only, with country code"
            )
        if not rules.mobile_min_digits <= len(value) <= rules.mobile_max_digits:
            return Problem(
                INVALID_MOBILE,
                f"Invalid mobile {value}: {len(value)} digits, expected "
                f"{rules.mobile_min_digits} to {rules.mobile_max_digits}",
            )
    elif kind == "email":
        if len(value) > EMAIL_LIMIT:
            return Problem(INVALID_IDENTIFIER, f"Invalid email: longer than {EMAIL_LIMIT}")
        if email_fault(value) is not None:
            return Problem(INVALID_IDENTIFIER, f"Invalid email {value}")
    elif kind == "externalId":
        prefix, length = rules.external_id_prefix, rules.external_id_length
        if (prefix and not value.startswith(prefix)) or (length and len(value) != length):
            return Problem(
                EXTERNAL_ID_MISMATCH,
                f"External ID {value} does not match the configured prefix or length",
            )
    elif kind == "cardnumber":
        if item.get("seriesId") in (None, "") and not _text(item.get("seriesCode")):
            return Problem(INVALID_IDENTIFIER, f"Card {value} needs a seriesId or seriesCode")
        if item.get("seriesId") not in (None, "") and _int_or_none(item.get("seriesId")) is None:
            return Problem(INVALID_IDENTIFIER, f"Card {value}: seriesId must be a number")
    return None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _enrollments(raw: Any, org: Org, problems: list[Problem]) -> tuple[Enrollment, ...]:
    if raw in (None, []):
        return ()
    if not isinstance(raw, list):
        problems.append(Problem(INVALID_ENROLLMENT, "loyaltyProgramEnrollments must be a list"))
        return ()
    out = []
    for item in raw:
        item = item if isinstance(item, Mapping) else {}
        program_id = _int_or_none(item.get("programId"))
        program = org.program(program_id)
        if program is None:
            problems.append(
                Problem(INVALID_ENROLLMENT, f"Loyalty program {item.get('programId')} not found")
            )
            continue
        tier = _int_or_none(item.get("tierNumber"))
        if item.get("tierNumber") not in (None, "") and tier not in program.tiers:
            problems.append(
                Problem(
                    INVALID_ENROLLMENT,
                    f"Tier {item.get('tierNumber')} not found in program {program.id}",
                )
            )
            continue
        try:
            points = Decimal(str(item.get("loyaltyPoints") or 0))
        except InvalidOperation:
            points = Decimal(-1)
        if not points.is_finite() or points < 0:
            problems.append(
                Problem(INVALID_ENROLLMENT, f"Invalid loyaltyPoints {item.get('loyaltyPoints')}")
            )
            continue
        out.append(Enrollment(program_id=program.id, tier_number=tier, points=points))
    return tuple(out)


def resolve(
    registration: Registration,
    same_source: Mapping[tuple[str, str, str, str], int],
    other_sources: Mapping[tuple[str, str], int],
) -> Plan:
    """Decide create / join / refuse from who already owns each identifier.

    ``same_source`` maps (source, account, type, key) to its owner; ``other_sources`` maps
    (type, key) to an owner registered under some other source or account.
    """
    for profile in registration.profiles:
        for ident in profile.identifiers:
            owner = same_source.get((profile.source, profile.account_id, ident.type, ident.key))
            if owner is not None:
                return Plan(
                    refuse=Problem(
                        ALREADY_EXISTS,
                        f"Add failed, Customer already exists with id {owner} for same source",
                    )
                )
    owners = sorted(
        {
            other_sources[(ident.type, ident.key)]
            for profile in registration.profiles
            for ident in profile.identifiers
            if (ident.type, ident.key) in other_sources
        }
    )
    if len(owners) > 1:
        ids = ", ".join(map(str, owners))
        return Plan(
            refuse=Problem(
                SEEMS_REGISTERED,
                f"Customer seems already registered: identifiers belong to customers {ids}",
            )
        )
    if owners:
        return Plan(
            join=owners[0],
            warnings=(Problem(COMBINED, "Same Customer found in other sources,Combining"),),
        )
    return Plan()


def creation_warnings(registration: Registration, org: Org) -> list[Problem]:
    """Warnings of a new customer: 8107 when neither the body nor the org gives a status label."""
    if registration.status_label is None and org.default_status_label is None:
        return [Problem(NO_DEFAULT_LABEL, "Default customer status label not set")]
    return []
