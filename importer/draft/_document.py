"""The draft mapping as a commented document: settings, the profile, extended fields, the
enrollment (commented out: its program id cannot be known from the file) and the columns left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from importer._exceptions import InputError
from importer.draft import _specs as s
from importer.draft._match import Match, id_placeholders
from importer.draft._profile import Column
from importer.draft._rows import continuation, presence
from importer.draft._write import Blank, Item, Node

_SOURCE_TODO = (
    "TODO: the source these customers are registered under (INSTORE, the tills, is a working "
    "placeholder; ECOMMERCE, WEBSITE, MOBILE_APP, ... are the others)"
)
_REQUIRED_TODO = (
    "TODO: the identifiers your org's Registration Configuration requires (a row without one "
    "is rejected before sending)"
)


@dataclass(frozen=True)
class About:
    """What the draft was made from, for its first lines."""

    input: str
    total: int
    sampled: int
    #: whether ``total`` was counted (else estimated from the file's line breaks)
    exact: bool = True
    #: the header's row when not the first, and why (title rows above it)
    header_row: int = 1
    header_note: str = ""
    #: the workbook's sheet when not the first, and why (the first has no rows)
    sheet: str | None = None
    sheet_note: str = ""


def document(
    about: About,
    columns: list[Column],
    found: dict[str, Match],
    frame: pd.DataFrame,
) -> list[Node | Blank]:
    """The whole mapping; raise InputError when no column can identify a customer."""
    if not {"mobile", "email", "externalId"} & found.keys():
        raise InputError(
            f"{about.input}: no column looks like a mobile, an e-mail or a customer id, so a "
            "customer could not be identified; name the columns in a header row (Mobile, "
            "E-Mail, Customer No, ...)"
        )
    if about.exact and about.sampled >= about.total:
        sample = f"all {about.total:,} rows"
    else:
        total = f"{about.total:,}" if about.exact else f"about {about.total:,}"
        sample = f"{about.sampled:,} rows sampled evenly from its {total}"
    head = Blank(
        f"Drafted by `importer init` from {about.input} ({sample}). Every guess is explained "
        "beside it; decide each TODO before the first real run (the draft runs as it is: a TODO "
        'carries a working placeholder). Reference: README.md, "The mapping file".'
    )
    doc: list[Node | Blank] = [head, Node("version", 1), Blank()]
    profile, region, region_note = _profile(found)
    ongoing = continuation(found, frame)
    required, required_note = _required(found, frame, ongoing)
    settings = [
        Node("region", region, region_note),
        Node("timezone", "UTC", _zone(found)),
    ]
    if ongoing:
        why = (
            f"rows whose {', '.join(ongoing)} are all empty continue the customer above (a "
            "further address on a row of its own): they are no customers, and are not sent"
        )
        settings.append(Node("continuation", {"when_empty": ongoing}, above=why))
    if about.header_row != 1:  # a nightly run reads the same layout without a flag
        why = f"the column names are on {about.header_note}" if about.header_note else ""
        settings.append(Node("header_row", about.header_row, why))
    if about.sheet is not None:
        settings.append(Node("sheet", about.sheet, about.sheet_note))
    doc += [Node("settings", settings), Blank()]
    doc += [
        Node(
            "registration",
            [Node("required_identifiers", required, above=f"{_REQUIRED_TODO}. {required_note}")],
        ),
        Blank(),
        Node("profiles", [Item(profile)]),
    ]
    extended = _extended(found)
    if extended:
        doc += [Blank(), Node("extendedFields", extended)]
    doc += [Blank(), *_enrollment(found)]
    doc += [Blank(), _unmapped(columns, found)]
    return doc


def _identifiers(found: dict[str, Match]) -> list[str]:
    kinds = ["mobile"] if "mobile" in found else []
    if "email" in found and s.e_mail(found["email"])[1]:
        kinds.append("email")
    return kinds + (["externalId"] if "externalId" in found else [])


def _required(
    found: dict[str, Match], frame: pd.DataFrame, ongoing: list[str]
) -> tuple[list[str], str]:
    """The identifier every customer has (mobile or e-mail), as the draft's placeholder for the
    org's rule; none when requiring either would reject customers the other identifies."""
    kinds = _identifiers(found)
    shares = presence(found, kinds, frame, ongoing)
    said = ", ".join(f"{k} on {s.pct(v)}" for k, v in shares.items())
    contact = {k: v for k, v in shares.items() if k in ("mobile", "email") and _clean(found, k)}
    if not contact:
        return [], f"The customers' rows have: {said or 'no identifier'}."
    best = max(contact, key=lambda k: (contact[k], k == "email"))
    if contact[best] >= 0.99:
        return [best], f"The customers' rows have: {said}; every one has {_named(best)}."
    return [], (
        f"The customers' rows have: {said}; requiring one of them would reject customers the "
        "other identifies, so none is required here"
    )


def _named(kind: str) -> str:
    return {"email": "an e-mail", "mobile": "a mobile"}.get(kind, kind)


def _clean(found: dict[str, Match], kind: str) -> bool:
    """Whether (nearly) every value of an identifier is valid: only such a one is required."""
    if kind == "mobile":
        return all(r.share >= 0.99 and not r.unregioned for r in found["mobile"].readings)
    return s.e_mail(found["email"])[1] and s.email_share(found["email"]) >= 0.99


def _zone(found: dict[str, Match]) -> str:
    if {"tierExpiryDate", "pointsExpiryDate"} & found.keys():
        return "TODO: the org's time zone: the expiry dates are written in it"
    return "the time zone of expiry dates (none in this file)"


def _value(spec: s.Spec) -> Any:
    return s.shorthand(spec.value)


def _note(spec: s.Spec, m: Match) -> str:
    return f"{spec.why} Matched by its {m.why}." + (f" TODO: {spec.todo}." if spec.todo else "")


def _profile(found: dict[str, Match]) -> tuple[list[Node], str | None, str]:
    nodes = [Node("source", "INSTORE", _SOURCE_TODO)]
    nodes += _names(found)
    identifiers: list[Item] = []
    channels: list[Item] = []
    region, region_note = None, "no phone column: nothing to read"
    others = bool({"email", "externalId"} & found.keys())
    if "mobile" in found:
        m = found["mobile"]
        spec = s.mobile(m, drop=others)
        modes = {r.mode for r in m.readings}
        if "row" in modes:
            region_note = "rows whose country is not known: only numbers with + or 00 are read"
        elif "region" in modes:
            region_note = "each phone column says its own region (see the mobile below)"
        else:
            region_note = "numbers carry their country code (see the mobile below)"
        value = _value(spec)
        identifiers.append(
            Item([Node("type", "mobile"), Node("value", value)], above=_note(spec, m))
        )
        channel = [Node("type", "mobile"), Node("value", value), Node("primary", True)]
        channel.append(Node("verified", False, "not confirmed by an OTP"))
        consent = _consent(found, "mobile")
        channels.append(Item(channel + consent))
    if "email" in found:
        m = found["email"]
        spec, identifier = s.e_mail(m)
        value = _value(spec)
        if identifier:
            identifier_item = Item(
                [Node("type", "email"), Node("value", value)], above=_note(spec, m)
            )
            identifiers.append(identifier_item)
        channel = [Node("type", "email"), Node("value", value)]
        channel += [Node("primary", True), Node("verified", False)]
        channel += _consent(found, "email")
        channels.append(Item(channel, above="" if identifier else _note(spec, m)))
    if "externalId" in found:
        m = found["externalId"]
        c = m.column
        none = id_placeholders(c)
        value: Any = c.name
        why = (
            f"{c.name}: {s.pct(c.unique)} of {c.filled:,} values are unique codes: the customer's "
        )
        why += "id in your system"
        if none:
            value = {"column": c.name, "map": dict.fromkeys(none, "")}
            shown = s.examples(none)
            why += f" ({shown}, each on several rows, stand for no id: sent as none)"
        why += f". Matched by its {m.why}."
        identifiers.append(Item([Node("type", "externalId"), Node("value", value)], above=why))
    if "cardnumber" in found:
        m = found["cardnumber"]
        card = [Node("type", "cardnumber"), Node("value", m.column.name)]
        card.append(Node("seriesId", "TODO", "the card series' id (or seriesCode)"))
        identifiers.append(
            Item(
                card,
                above=f"{m.column.name}: card numbers? TODO: give the series and uncomment.",
                off=True,
            )
        )
    nodes.append(Node("identifiers", identifiers))
    if channels:
        nodes.append(Node("commChannels", channels))
    if "dateofbirth" in found:
        m = found["dateofbirth"]
        spec = s.date(m)
        nodes.append(Node("fields", [Node("dateofbirth", _value(spec), above=_note(spec, m))]))
    return nodes, region, region_note


def _consent(found: dict[str, Match], channel: str) -> list[Node]:
    m = found.get(f"consent_{channel}")
    if m is None or m.consent is None:
        return []
    return [Node("subscribed", m.consent.spec, above=f"{m.consent.why}.")]


def _names(found: dict[str, Match]) -> list[Node]:
    nodes = []
    for field in ("firstName", "lastName"):
        if field in found:
            m = found[field]
            if m.alternates:
                columns = [m.column, *m.alternates]
                why = (
                    f"{m.column.name}, else {', '.join(c.name for c in m.alternates)}: rows "
                    "without the customer's own name (a guest's) have the address's"
                )
                value = {"first_of": [{"column": c.name} for c in columns]}
                nodes.append(Node(field, value, above=why))
            else:
                nodes.append(Node(field, m.column.name))
    if nodes or "fullName" not in found:
        return nodes
    column = found["fullName"].column.name
    first = {"column": column, "as": "name", "part": "first"}
    last = {"column": column, "as": "name", "part": "last"}
    why = f"{column}: whole names, parsed into first and last name (titles and degrees left out)."
    return [Node("firstName", first, above=why), Node("lastName", last)]


def _extended(found: dict[str, Match]) -> list[Node]:
    nodes = []
    if "gender" in found:
        spec = s.gender(found["gender"])
        nodes.append(Node("gender", spec.value, above=_note(spec, found["gender"])))
    for field in ("city", "state", "zip"):
        if field in found:
            name = found[field].column.name
            nodes.append(Node(field, name, f"matched by its header ({name})"))
    return nodes


def _enrollment(found: dict[str, Match]) -> list[Node | Blank]:
    item = [Node("programId", "TODO", "the program's id")]
    if "tier" in found:
        spec = s.tier(found["tier"])
        item.append(Node("tierNumber", spec.value, above=_note(spec, found["tier"])))
    if "points" in found:
        spec = s.points(found["points"])
        item.append(Node("loyaltyPoints", spec.value, above=_note(spec, found["points"])))
    for field in ("tierExpiryDate", "pointsExpiryDate"):
        if field in found:
            spec = s.date(found[field], kind="datetime")
            item.append(Node(field, spec.value, above=_note(spec, found[field])))
    why = Blank(
        "TODO: to enrol the customers in a loyalty program, uncomment the lines below and put the "
        "program's id in place of TODO (the file cannot say which program it is)."
    )
    return [why, Node("loyaltyProgramEnrollments", [Item(item)], off=True)]


def _unmapped(columns: list[Column], found: dict[str, Match]) -> Blank:
    used = {m.column.name: field for field, m in found.items()}
    for field, m in found.items():
        used.update(dict.fromkeys((c.name for c in m.alternates), field))
        used.update(dict.fromkeys((r.column.name for r in m.readings), field))
    lines = []
    for c in columns:
        if c.name in used:
            if used[c.name] == "country":
                lines.append(f"- {c.name}: used for the mobiles' region, not sent")
            continue
        example = s.show(c.example(), 30) if c.filled else "(always empty)"
        lines.append(f"- {c.name}: {example}{_kind(c)}")
    if not lines:
        return Blank("Every column is mapped.")
    return Blank("Columns left unmapped (kept in the reports, not sent):\n" + "\n".join(lines))


def _kind(c: Column) -> str:
    if c.dates is not None and c.dates.share >= 0.6:
        formats = " or ".join(s.readable(f) for f in c.dates.formats)
        return f", dates in {formats}{s.readable_order(c.dates)}; the request has no field for them"
    if c.phones is not None and c.phones.anywhere >= 0.6:
        return ", phone numbers too"
    for kind, label in (("email", "e-mails"), ("bool", "yes/no"), ("country", "countries")):
        if c.share(kind) >= 0.7:
            return f", {label}"
    return ""
