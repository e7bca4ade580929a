"""Every sample request of add-customer.md is accepted, and answers look like its samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from emulator_helpers import post_add

from importer.emulator import EmulatorProcess

HERE = Path(__file__).parent / "samples"
REQUESTS = sorted(HERE.glob("*.json"))
RESPONSES = {p.stem: json.loads(p.read_text()) for p in (HERE / "responses").glob("*.json")}
#: keys each side-effect type carries in the documented responses
EFFECT_KEYS: dict[str, set[str]] = {}
for response in RESPONSES.values():
    for effect in response["sideEffects"]:
        EFFECT_KEYS.setdefault(effect["type"], set()).update(effect)


def shape(answer: dict[str, Any]) -> None:
    assert set(answer) == {"createdId", "warnings", "sideEffects"}
    assert isinstance(answer["createdId"], int)
    for warning in answer["warnings"]:
        assert set(warning) == {"status", "code", "message"}
    for effect in answer["sideEffects"]:
        assert set(effect) <= EFFECT_KEYS[effect["type"]]


def test_all_six_documented_requests_are_fixtures() -> None:
    assert [p.stem for p in REQUESTS] == [
        "source_instore",
        "source_line",
        "source_mobile_app",
        "with_card_information",
        "with_customer_status",
        "with_external_id_only",
    ]


@pytest.mark.parametrize("sample", REQUESTS, ids=lambda p: p.stem)
def test_sample_request_is_accepted(fresh: EmulatorProcess, sample: Path) -> None:
    answer = post_add(fresh, json.loads(sample.read_text()))
    assert answer.status == 200, answer.body
    shape(answer.body)
    documented = RESPONSES.get(sample.stem)
    if sample.stem in ("source_instore", "source_mobile_app"):
        # same org defaults as the documented answer: same warnings and side effects
        assert {**answer.body, "createdId": 0} == {**documented, "createdId": 0}
    assert len(fresh.customers()) == 1


def test_samples_together_combine_like_the_vendor_says(fresh: EmulatorProcess) -> None:
    """Sent one after another, the samples share identifiers: same source refuses, others join."""
    outcomes = []
    for sample in REQUESTS:
        answer = post_add(fresh, json.loads(sample.read_text()))
        body = answer.body
        outcomes.append(
            [e["code"] for e in body["errors"]]
            if "errors" in body
            else [w["code"] for w in body["warnings"] if w["code"] == 8050]
        )
    assert outcomes == [[], [8050], [8050], [8006], [8006], []]
