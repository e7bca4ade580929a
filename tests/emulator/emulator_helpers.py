"""Plain helpers for the emulator's own tests: default credentials and fresh identifiers."""

from __future__ import annotations

import itertools
import random
from typing import Any

from importer.emulator import DEFAULT_PASSWORD, DEFAULT_USER, Answer, EmulatorProcess
from importer.emulator import basic_auth_header as basic_auth_header

AUTH = {"Authorization": basic_auth_header(DEFAULT_USER, DEFAULT_PASSWORD)}

_numbers = itertools.count(random.randrange(10**7, 9 * 10**7, 10**4))


def fresh_mobile() -> str:
    """A mobile number no other test used in this session."""
    return f"9190{next(_numbers):08d}"


def add_body(*identifiers: tuple[str, str], source: str = "INSTORE", **extra: Any) -> dict:
    """A one-profile registration body; ``profile={...}`` adds fields to the profile."""
    profile = {"source": source, "identifiers": [{"type": t, "value": v} for t, v in identifiers]}
    profile.update(extra.pop("profile", {}))
    return {"profiles": [profile], **extra}


def post_add(emu: EmulatorProcess, body: Any, headers: dict[str, str] | None = None) -> Answer:
    """POST /v2/customers with the default Basic credentials unless headers replace them."""
    return emu.request("POST", "/v2/customers", body, headers if headers is not None else AUTH)


def error_codes(answer: Answer) -> list[int]:
    """The codes of an error answer, after checking it has the vendor's error shape."""
    assert set(answer.body) == {"errors", "warnings"}, answer.body
    for error in answer.body["errors"]:
        assert set(error) == {"status", "code", "message"} and error["status"] is False
    return [e["code"] for e in answer.body["errors"]]


def created(answer: Answer) -> int:
    """The new customer's id, after checking the answer is a success in the vendor's shape."""
    assert answer.status == 200, answer.body
    assert set(answer.body) == {"createdId", "warnings", "sideEffects"}
    return answer.body["createdId"]


def customer(emu: EmulatorProcess, customer_id: int) -> dict[str, Any]:
    """One stored customer, as /_emulator/customers shows it."""
    return next(c for c in emu.customers() if c["id"] == customer_id)
