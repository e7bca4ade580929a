"""Pure cell transforms: text in, API value out, or RowRejected naming the column and the value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from importer.mapping._fields import EMAIL_CHARS, EMAIL_LIMIT
from importer.mapping._problems import reject

#: A dot-atom address email-validator accepts and normalises by lowercasing its domain only.
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_+\-]{1,64}(?:\.[A-Za-z0-9_+\-]+)*)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
#: email-validator's special-use domains: each is one label, so a domain is special when its
#: last label is one of them.
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})

_TRUE = frozenset({"true", "t", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off"})


# -- text --------------------------------------------------------------------------------------


def trim(value: str) -> str:
    """Strip spaces at both ends and collapse inner runs of white space to one space."""
    value = value.strip()
    return " ".join(value.split()) if "  " in value or "\t" in value or "\n" in value else value


_CASES: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "title": lambda v: " ".join(w[:1].upper() + w[1:].lower() for w in v.split(" ")),
    "capitalize": lambda v: v[:1].upper() + v[1:].lower(),
}


def case(value: str, how: str) -> str:
    """Change the letter case: upper, lower, title or capitalize."""
    return _CASES[how](value)


def map_value(
    value: str, table: Mapping[str, str], *, column: str | None = None, strict: bool = False
) -> str:
    """Look a value up in a value map (case-insensitively); unmapped values pass unless strict."""
    found = table.get(value)
    if found is None:
        found = table.get(value.casefold())
    if found is not None:
        return found
    if strict:
        choices = ", ".join(sorted(table))
        raise reject(
            column, value, f"is not one of the mapped values ({choices})", "unmapped_value"
        )
    return value


def join(values: list[str], sep: str = " ") -> str:
    """Join the non-empty values with a separator."""
    return sep.join(v for v in values if v)


def split(value: str, sep: str | None, index: int) -> str:
    """One part of a split value (empty when there is no such part); None splits on white space."""
    parts = value.split(sep) if sep is not None else value.split()
    try:
        return parts[index].strip()
    except IndexError:
        return ""


# -- booleans, e-mail -----------------------------------------------------------------------


def to_bool(value: str, column: str | None = None) -> bool:
    """true/false, yes/no, y/n, 1/0, on/off in any case."""
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise reject(column, value, "is not true/false (or yes/no, 1/0)", "invalid_bool")


def email(value: str, column: str | None = None) -> str:
    """A syntactically valid address (no DNS), its domain normalised, within the API's charset."""
    text = value.strip()
    plain = _PLAIN_EMAIL.fullmatch(text)
    if plain is not None and len(text) <= 254:
        domain = plain.group(2).lower()
        # "--" may be an IDNA (xn--) label: the library decodes those, so leave them to it
        if domain.rpartition(".")[2] not in _SPECIAL_USE and "--" not in domain:
            # the fast pattern admits only characters the API accepts, within its length
            return f"{plain.group(1)}@{domain}"
    normalized = _library_email(text, value, column)
    if len(normalized) > EMAIL_LIMIT:
        raise reject(column, value, f"is longer than {EMAIL_LIMIT} characters", "invalid_email")
    if not EMAIL_CHARS.fullmatch(normalized):
        raise reject(
            column,
            value,
            "has characters the API does not accept (only a-z A-Z 0-9 - _ + . @)",
            "invalid_email",
        )
    return normalized


def _library_email(text: str, value: str, column: str | None) -> str:
    import email_validator

    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as exc:
        raise reject(column, value, f"is not a valid e-mail: {exc}", "invalid_email") from None
    except Exception as exc:  # the library raises plain errors on some odd unicode
        raise reject(column, value, f"is not a valid e-mail: {exc}", "invalid_email") from None


# -- dates --------------------------------------------------------------------------------

_DIRECTIVES = {
    "%Y": r"(?P<Y>\d{4})",
    "%m": r"(?P<m>\d{1,2})",
    "%d": r"(?P<d>\d{1,2})",
    "%H": r"(?P<H>\d{1,2})",
    "%M": r"(?P<M>\d{1,2})",
    "%S": r"(?P<S>\d{1,2})",
}
ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def compile_format(fmt: str) -> Callable[[str], dt.datetime | None]:
    """A parser for one strptime format: a regex for plain numeric formats, else strptime."""
    parts = re.split(r"(%.)", fmt)
    plain = all(p in _DIRECTIVES or "%" not in p for p in parts) and {"%Y", "%m", "%d"} <= set(
        parts
    )
    if plain:
        pattern = re.compile("".join(_DIRECTIVES.get(p, re.escape(p)) for p in parts))

        def parse(text: str) -> dt.datetime | None:
            m = pattern.fullmatch(text)
            if m is None:
                return None
            g = m.groupdict()
            try:
                return dt.datetime(
                    int(g["Y"]),
                    int(g["m"]),
                    int(g["d"]),
                    int(g.get("H") or 0),
                    int(g.get("M") or 0),
                    int(g.get("S") or 0),
                )
            except ValueError:
                return None

        return parse

    def parse_slow(text: str) -> dt.datetime | None:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            return None

    return parse_slow


def iso_date(text: str) -> str | None:
    """``text`` itself when it is already a valid ``YYYY-MM-DD`` date, else None (a fast path)."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return None
        return text  # ten characters with dashes at 4 and 7 that parse: already canonical
    return None


def parse_date(
    value: str, parsers: list[Callable[[str], dt.datetime | None]], formats: list[str], column: str
) -> dt.datetime:
    """The first format that reads the value; reject naming the formats tried."""
    text = value.strip()
    for parse in parsers:
        found = parse(text)
        if found is not None:
            return found
    raise reject(column, value, f"is not a date in {' or '.join(formats)}", "invalid_date")


def date_text(
    value: str,
    formats: list[str],
    output: str = "%Y-%m-%d",
    column: str | None = None,
) -> str:
    """A date in one of ``formats`` (ISO dates always accepted) rewritten in ``output``."""
    names = [*formats, *(f for f in ISO_FORMATS if f not in formats)]
    found = parse_date(value, [compile_format(f) for f in names], formats, column or "")
    return found.strftime(output)


def datetime_text(
    value: str,
    formats: list[str],
    timezone: str = "UTC",
    column: str | None = None,
    *,
    default_time: dt.time = dt.time(0),
) -> str:
    """A date or datetime as ``YYYY-MM-DDTHH:MM:SS+hh:mm`` in ``timezone``."""
    names = [*formats, *(f for f in ISO_FORMATS if f not in formats)]
    found = parse_date(value, [compile_format(f) for f in names], formats, column or "")
    return format_datetime(found, ZoneInfo(timezone), default_time, has_time=_has_time(found))


def _has_time(value: dt.datetime) -> bool:
    return value.time() != dt.time(0)


def format_datetime(
    value: dt.datetime, zone: dt.tzinfo, default_time: dt.time, *, has_time: bool
) -> str:
    """The API's expiry format: local time in ``zone`` with its UTC offset."""
    if not has_time:
        value = dt.datetime.combine(value.date(), default_time)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.isoformat(timespec="seconds")
