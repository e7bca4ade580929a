"""Run a layout the way a new user would, and judge what the emulator stored against the oracle.

``check`` writes the layout's file, runs ``importer init`` (the draft left unedited), runs
``importer run`` with it against a real emulator, reads every stored customer back and judges it
with the layout's ``Expected`` list (see corpus_oracle for the rules). Stored customers are tied
to the person they are by external id, e-mail, or any of the person's numbers; a customer tied
to nobody is a ``phantom``, a second customer of the same person a ``duplicate``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from corpus_oracle import LOST, OK, WRONG, Expected, same_text
from corpus_write import Layout

from importer.cli._main import main

CREDENTIALS = {"CAPILLARY_USERNAME": "demo", "CAPILLARY_PASSWORD": "demo123"}
#: what the issue asks of every layout's unedited draft
MIN_CREATED = 0.97
#: every verdict of this session, for the table tests/corpus/conftest.py prints at the end
VERDICTS: list[Verdict] = []
KINDS = ("mobile", "email", "first", "last", "sms", "mail", "id", "phantom", "duplicate")


@dataclass
class Verdict:
    """A layout's numbers: customers, how many the oracle calls identifiable, how many of those
    were created, and the wrong and lost values by kind."""

    layout: str
    rows: int
    customers: int
    identifiable: int
    created: int = 0  # identifiable customers that exist in the emulator
    stored: int = 0  # customers in the emulator
    wrong: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    draft: str = "draft"  # or "hand-written"

    @property
    def share(self) -> float:
        return self.created / self.identifiable if self.identifiable else 1.0

    @property
    def wrong_total(self) -> int:
        return sum(self.wrong.values())

    @property
    def passes(self) -> bool:
        return self.wrong_total == 0 and self.share >= MIN_CREATED

    def line(self) -> str:
        wrong = " ".join(f"{k}={self.wrong[k]}" for k in KINDS if self.wrong[k]) or "-"
        lost = " ".join(f"{k}={self.lost[k]}" for k in KINDS if self.lost[k]) or "-"
        return (
            f"{self.layout:<22} rows {self.rows:>5}  identifiable {self.identifiable:>5}  "
            f"created {self.created:>5} ({self.share:6.1%})  stored {self.stored:>5}  "
            f"wrong {self.wrong_total:>5} [{wrong}]  lost [{lost}]"
        )


def check(layout: Layout, folder: Path, emulator: Any, mapping: str | None = None) -> Verdict:
    """Write, draft (or take the hand-written ``mapping``), run against ``emulator`` (reset
    first), judge."""
    path = layout.write(folder)
    draft = folder / "draft.yaml"
    runner = CliRunner()
    if mapping is None:
        drafted = runner.invoke(main, ["init", str(path), "--out", str(draft)])
        assert draft.exists(), drafted.output + repr(drafted.exception)
    else:
        draft.write_text(mapping, encoding="utf-8")
    emulator.reset()
    out = folder / "out"
    args = ["run", str(path), "--mapping", str(draft), "--base-url", emulator.url]
    ran = runner.invoke(main, [*args, "--rpm", "0", "--out", str(out)], env=CREDENTIALS)
    assert ran.exit_code in (0, 1, 2), ran.output + repr(ran.exception)
    verdict = judge(layout, emulator.customers())
    verdict.draft = "hand-written" if mapping is not None else "draft"
    VERDICTS.append(verdict)
    summaries = sorted(out.glob("*/*/summary.json"))
    if summaries:
        summary = json.loads(summaries[-1].read_text(encoding="utf-8"))
        verdict.outcomes = dict(summary.get("outcomes") or {})
    elif ran.exit_code == 2:
        verdict.outcomes = {"not run (exit 2)": 1}
        verdict.examples.append(ran.output.strip().splitlines()[-1] if ran.output else "")
    return verdict


def stored_values(customer: dict[str, Any]) -> dict[str, Any]:
    """A stored customer's identifiers (type -> set of values) and channels (type -> list)."""
    idents: dict[str, set[str]] = {}
    channels: dict[str, list[dict[str, Any]]] = {}
    for account in customer.get("accounts", []):
        for ident in account.get("identifiers", []):
            idents.setdefault(ident["type"], set()).add(str(ident["value"]))
        for channel in account.get("commChannels", []):
            channels.setdefault(channel.get("type", ""), []).append(channel)
    return {"idents": idents, "channels": channels}


def judge(layout: Layout, customers: list[dict[str, Any]]) -> Verdict:
    expected = layout.expected
    verdict = Verdict(
        layout.name,
        len(layout.rows),
        len(expected),
        sum(e.identifiable for e in expected),
        stored=len(customers),
    )
    by_id = {i: e for e in expected for i in e.ids}
    by_email = {e.email.casefold(): e for e in expected if e.email}
    by_number = {n: e for e in expected for n in e.numbers}
    seen: set[int] = set()
    for customer in customers:
        values = stored_values(customer)
        idents, channels = values["idents"], values["channels"]
        mobiles = idents.get("mobile", set()) | {
            str(c["value"]) for c in channels.get("mobile", [])
        }
        emails = idents.get("email", set()) | {str(c["value"]) for c in channels.get("email", [])}
        person = next(
            (
                found
                for found in (
                    *(by_id.get(v) for v in idents.get("externalId", ())),
                    *(by_email.get(v.casefold()) for v in emails),
                    *(by_number.get(v) for v in mobiles),
                )
                if found is not None
            ),
            None,
        )
        if person is None:
            verdict.wrong["phantom"] += 1
            _example(verdict, "phantom", customer, None)
            continue
        if person.person in seen:
            verdict.wrong["duplicate"] += 1
            continue
        seen.add(person.person)
        if person.identifiable:
            verdict.created += 1
        _judge_customer(verdict, person, customer, mobiles, emails, idents, channels)
    return verdict


def _judge_customer(verdict, person: Expected, customer, mobiles, emails, idents, channels) -> None:
    results = {
        "mobile": _judge_set(mobiles, person.mobile),
        "email": _judge_set(
            {e.casefold() for e in emails}, (person.email or "").casefold() or None
        ),
        "first": same_text(customer.get("firstName"), person.first),
        "last": same_text(customer.get("lastName"), person.last),
        "sms": _judge_consent(channels.get("mobile"), person.sms),
        "mail": _judge_consent(channels.get("email"), person.mail),
    }
    ids = idents.get("externalId", set())
    if ids and person.ids:
        results["id"] = OK if ids <= person.ids else WRONG
    for kind, result in results.items():
        if result == WRONG:
            verdict.wrong[kind] += 1
            _example(verdict, kind, customer, person)
        elif result == LOST:
            verdict.lost[kind] += 1


def _judge_set(stored: set[str], right: str | None) -> str:
    if not stored:
        return LOST if right is not None else OK
    return OK if stored == {right} else WRONG


def _judge_consent(channels: list[dict[str, Any]] | None, consent) -> str:
    if not channels:  # no channel, no consent to judge (a lost channel is counted as lost value)
        return OK
    values = {c.get("subscribed") for c in channels}
    results = {consent.judge(v) for v in values}
    return WRONG if WRONG in results else LOST if LOST in results else OK


def _example(
    verdict: Verdict, kind: str, customer: dict[str, Any], person: Expected | None
) -> None:
    if sum(1 for e in verdict.examples if e.startswith(kind + ":")) >= 3:
        return
    values = stored_values(customer)
    stored = {
        "first": customer.get("firstName"),
        "last": customer.get("lastName"),
        "idents": {k: sorted(v) for k, v in values["idents"].items()},
        "subscribed": {k: [c.get("subscribed") for c in v] for k, v in values["channels"].items()},
    }
    want = None
    if person is not None:
        want = {
            "mobile": person.mobile, "email": person.email, "first": person.first,
            "last": person.last, "sms": person.sms.right, "mail": person.mail.right,
        }  # fmt: skip
    verdict.examples.append(f"{kind}: stored {stored} expected {want}")
