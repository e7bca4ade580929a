"""Authentication over a real socket: Basic with an MD5 password, OAuth tokens, 401 and 403."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulator_helpers import add_body, basic_auth_header, error_codes, fresh_mobile, post_add

from importer.emulator import (
    DEFAULT_OAUTH_KEY,
    DEFAULT_OAUTH_SECRET,
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    EmulatorProcess,
    running_emulator,
)

TOKEN_PATH = "/v3/oauth/token/generate"


def raw_basic(text: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(text.encode()).decode()}


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def token(emu: EmulatorProcess, key: str = DEFAULT_OAUTH_KEY, secret: str = DEFAULT_OAUTH_SECRET):
    return emu.request("POST", TOKEN_PATH, {"key": key, "secret": secret})


@pytest.fixture(scope="module")
def restricted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """An emulator whose org has users and clients without access, and instant token expiry."""
    org = Path(tmp_path_factory.mktemp("org")) / "org.yaml"
    org.write_text(
        "auth:\n"
        "  users:\n"
        "    - {username: demo, password: demo123}\n"
        "    - {username: noaccess, password: pw, access: false}\n"
        "  oauth_clients:\n"
        "    - {key: demo-key, secret: demo-secret}\n"
        "    - {key: locked, secret: s, access: false}\n"
        "  token_ttl_seconds: 0\n"
    )
    with running_emulator("--org", str(org)) as emu:
        yield emu


def test_basic_header_frames_user_and_md5_like_the_vendor_example() -> None:
    # the vendor's worked example: store123 / Pass123
    example = "Basic c3RvcmUxMjM6MmYyM2ZhMzU3OWYzZjc1MTc1NzkzNjQ5MTE1YzFiMjU="
    assert basic_auth_header("store123", "Pass123") == example
    assert raw_basic(f"store123:{md5('Pass123')}")["Authorization"] == example


def test_basic_with_the_md5_of_the_password_is_served(emulator: EmulatorProcess) -> None:
    headers = raw_basic(f"{DEFAULT_USER}:{md5(DEFAULT_PASSWORD)}")
    assert post_add(emulator, add_body(("mobile", fresh_mobile())), headers).status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        raw_basic(f"{DEFAULT_USER}:{DEFAULT_PASSWORD}"),
        raw_basic(f"{DEFAULT_USER}:{md5('wrong')}"),
        raw_basic(f"{DEFAULT_USER}:{md5(DEFAULT_PASSWORD).upper()}"),
        raw_basic(f"nobody:{md5(DEFAULT_PASSWORD)}"),
        raw_basic(f"{DEFAULT_USER}{md5(DEFAULT_PASSWORD)}"),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": f"Bearer {md5(DEFAULT_PASSWORD)}"},
        {"X-CAP-API-OAUTH-TOKEN": "not.a.token"},
        {"X-CAP-API-OAUTH-TOKEN": ""},
        {"X-CAP-API-OAUTH-TOKEN": "a.b.\u00e9t\u00e9"},
        {"Authorization": "Basic \u00e9t\u00e9"},
    ],
    ids=[
        "missing",
        "plain-password",
        "wrong-md5",
        "uppercase-md5",
        "unknown-user",
        "no-colon",
        "garbage",
        "bearer",
        "bad-token",
        "empty-token",
        "non-ascii-token",
        "non-ascii-basic",
    ],
)
def test_anything_else_is_401_with_an_error_body(emulator: EmulatorProcess, headers: dict) -> None:
    before = emulator.stats()["customers_created"]
    answer = post_add(emulator, add_body(("mobile", fresh_mobile())), headers)
    assert (answer.status, error_codes(answer)) == (401, [401])
    lookup = emulator.request(
        "GET",
        "/v2/customers/lookup?source=INSTORE&identifierName=mobile&identifierValue=1",
        headers=headers,
    )
    assert lookup.status == 401
    assert emulator.stats()["customers_created"] == before


def test_oauth_token_is_generated_and_accepted(emulator: EmulatorProcess) -> None:
    answer = token(emulator)
    assert answer.status == 200
    assert answer.body["errors"] is None
    assert answer.body["data"]["ttlSeconds"] == 300
    access = answer.body["data"]["accessToken"]
    assert access.count(".") == 2  # JWT-shaped
    served = post_add(
        emulator, add_body(("mobile", fresh_mobile())), {"X-CAP-API-OAUTH-TOKEN": access}
    )
    assert served.status == 200


@pytest.mark.parametrize(
    ("key", "secret"),
    [(DEFAULT_OAUTH_KEY, "wrong"), ("unknown", DEFAULT_OAUTH_SECRET), (None, None), (1, 2)],
    ids=["wrong-secret", "unknown-key", "missing", "not-strings"],
)
def test_bad_client_credentials_get_no_token(emulator: EmulatorProcess, key, secret) -> None:
    answer = token(emulator, key, secret)
    assert answer.status == 401
    assert answer.body["data"] is None and answer.body["errors"][0]["code"] == 401


def test_tampered_token_is_401(emulator: EmulatorProcess) -> None:
    header, payload, signature = token(emulator).body["data"]["accessToken"].split(".")
    forged = f"{header}.{payload}.{signature[:-2]}AA"
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile())), {"X-CAP-API-OAUTH-TOKEN": forged}
    )
    assert answer.status == 401


def test_token_from_another_server_is_401(emulator: EmulatorProcess, restricted) -> None:
    foreign = token(restricted).body["data"]["accessToken"]
    answer = post_add(
        emulator, add_body(("mobile", fresh_mobile())), {"X-CAP-API-OAUTH-TOKEN": foreign}
    )
    assert answer.status == 401


def test_expired_token_is_401(restricted: EmulatorProcess) -> None:
    answer = token(restricted)
    assert answer.body["data"]["ttlSeconds"] == 0
    refused = post_add(
        restricted,
        add_body(("mobile", fresh_mobile())),
        {"X-CAP-API-OAUTH-TOKEN": answer.body["data"]["accessToken"]},
    )
    assert refused.status == 401
    assert "expired" in refused.body["errors"][0]["message"]


def test_user_without_access_is_403(restricted: EmulatorProcess) -> None:
    answer = post_add(
        restricted,
        add_body(("mobile", fresh_mobile())),
        {"Authorization": basic_auth_header("noaccess", "pw")},
    )
    assert (answer.status, error_codes(answer)) == (403, [403])
    assert restricted.stats()["auth_refused"] == {"403": 1} | {
        k: v for k, v in restricted.stats()["auth_refused"].items() if k != "403"
    }


def test_oauth_client_without_access_is_403(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("auth:\n  oauth_clients:\n    - {key: locked, secret: s, access: false}\n")
    with running_emulator("--org", str(org)) as emu:
        access = token(emu, "locked", "s").body["data"]["accessToken"]
        answer = post_add(
            emu, add_body(("mobile", fresh_mobile())), {"X-CAP-API-OAUTH-TOKEN": access}
        )
        assert answer.status == 403


def test_malformed_token_request_is_400(emulator: EmulatorProcess) -> None:
    answer = emulator.request("POST", TOKEN_PATH, b"{nope")
    assert answer.status == 400 and answer.body["data"] is None
