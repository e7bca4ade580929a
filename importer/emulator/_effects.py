"""The side effects of a new customer: points for its enrollments and for a referral."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from importer.emulator._org import Org
from importer.emulator._rules import Registration


def _points(amount: Decimal, customer_id: int | None, referrer: bool = False) -> dict[str, Any]:
    effect: dict[str, Any] = {
        "entityType": "USER",
        "rawAwardedPoints": float(amount),
        "awardedPoints": int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        "type": "points",
    }
    if customer_id is not None:
        effect = {**effect, "customerId": customer_id}
    if referrer:
        effect["isReferrer"] = True
    return effect


def side_effects(
    registration: Registration, customer_id: int, referrer_id: int | None, org: Org
) -> list[dict[str, Any]]:
    """Points for the enrollments, and for both sides of a referral."""
    earned = sum((e.points for e in registration.enrollments), Decimal(0))
    if referrer_id is None:
        return [_points(earned, None)] if earned > 0 else []
    own = earned + Decimal(str(org.referral.referee_points))
    effects = [_points(own, customer_id)] if own > 0 else []
    return [
        *effects,
        _points(Decimal(str(org.referral.referrer_points)), referrer_id, referrer=True),
    ]


def awarded(effects: list[dict[str, Any]], customer_id: int) -> dict[int, int]:
    """Points each customer receives from these side effects."""
    out: dict[int, int] = {}
    for effect in effects:
        who = effect.get("customerId", customer_id)
        out[who] = out.get(who, 0) + effect["awardedPoints"]
    return out
