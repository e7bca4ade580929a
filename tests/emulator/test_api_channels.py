"""commChannels over a real socket: kept per source account, flags checked and made booleans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from emulator_helpers import add_body, created, customer, error_codes, fresh_mobile, post_add

from importer.emulator import EmulatorProcess


def test_channels_are_kept_with_their_flags_as_booleans(emulator: EmulatorProcess) -> None:
    mobile, email = fresh_mobile(), f"{fresh_mobile()}@x.co"
    channels = [
        {"type": "mobile", "value": mobile, "primary": "true", "verified": "false"},
        {"type": "email", "value": email, "subscribed": True, "meta": {"residence": "true"}},
        {"type": "mobilePush", "value": "abc1", "primary": False, "subscribed": "false"},
    ]
    body = add_body(("mobile", mobile), profile={"commChannels": channels})
    stored = customer(emulator, created(post_add(emulator, body)))
    assert stored["accounts"][0]["commChannels"] == [
        {
            "type": "mobile",
            "value": mobile,
            "primary": True,
            "verified": False,
            "subscribed": None,
            "meta": {},
        },
        {
            "type": "email",
            "value": email,
            "primary": None,
            "verified": None,
            "subscribed": True,
            "meta": {"residence": "true"},
        },
        {
            "type": "mobilePush",
            "value": "abc1",
            "primary": False,
            "verified": None,
            "subscribed": False,
            "meta": {},
        },
    ]


def test_the_documented_subscribed_channel_is_kept(fresh: EmulatorProcess) -> None:
    sample = Path(__file__).parent / "samples" / "with_card_information.json"
    created(post_add(fresh, json.loads(sample.read_text())))
    (stored,) = fresh.customers()
    (channel,) = stored["accounts"][0]["commChannels"]
    assert (channel["primary"], channel["verified"], channel["subscribed"]) == (True, True, True)


@pytest.mark.parametrize("flag", ["primary", "verified", "subscribed"])
@pytest.mark.parametrize("value", ["yes", "TRUE", "1", "", 1, 0, [], {}])
def test_a_channel_flag_is_a_boolean_or_its_string(
    emulator: EmulatorProcess, flag: str, value: Any
) -> None:
    channel = {"type": "mobile", "value": fresh_mobile(), flag: value}
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile()), profile={"commChannels": [channel]})
    )
    assert (answer.status, error_codes(answer)) == (400, [400])
    assert (
        f"profiles[0].commChannels[0].{flag}: expected true, false"
        in (answer.body["errors"][0]["message"])
    )


@pytest.mark.parametrize(
    "channel", [{"type": "email"}, {"value": "a@b.co"}, {"type": " ", "value": "a@b.co"}]
)
def test_a_channel_without_type_or_value_is_8010(emulator: EmulatorProcess, channel: dict) -> None:
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile()), profile={"commChannels": [channel]})
    )
    assert (answer.status, error_codes(answer)) == (400, [8010])
