"""Every number is bounded to what the API holds (mapping/_fields: LONG_MAX, POINTS_LIMIT)."""

from __future__ import annotations

import pytest

from importer._exceptions import RowRejected
from importer.mapping._fields import LONG_MAX, POINTS_LIMIT, check_bound
from importer.mapping._rules import check_payload


def body(**enrollment: object) -> dict:
    profile = {"source": "INSTORE", "identifiers": [{"type": "mobile", "value": "919988221100"}]}
    return {"profiles": [profile], "loyaltyProgramEnrollments": [{"programId": 469, **enrollment}]}


@pytest.mark.parametrize(
    ("enrollment", "where"),
    [
        ({"loyaltyPoints": 10**30}, "loyaltyPoints"),
        ({"loyaltyPoints": 1e12}, "loyaltyPoints"),
        ({"programId": LONG_MAX + 1}, "programId"),
        ({"tierNumber": 2**64}, "tierNumber"),
    ],
)
def test_the_request_model_rejects_numbers_past_the_bounds(enrollment: dict, where: str) -> None:
    with pytest.raises(RowRejected, match=rf"loyaltyProgramEnrollments\.0\.{where}: ") as info:
        check_payload(body(**enrollment))
    assert info.value.code == "out_of_range"


def test_the_bounds_themselves_are_accepted() -> None:
    check_payload(body(programId=LONG_MAX, loyaltyPoints=float(POINTS_LIMIT)))
    check_payload(body(loyaltyPoints=999_999_999_999))


@pytest.mark.parametrize(
    ("number", "kind", "fits"),
    [
        (LONG_MAX, "int", True),
        (-LONG_MAX - 1, "int", True),
        (LONG_MAX + 1, "int", False),
        (999999999999.999, "number", True),
        (1000000000000, "number", False),
        (-1e13, "number", False),
        (12.5, "number", True),
    ],
)
def test_check_bound(number: float, kind: str, fits: bool) -> None:
    assert (check_bound(number, kind) is None) is fits
