"""Numbers written by people and spreadsheets: thousands separators, decimal marks, Excel floats.

A number is read with one decimal mark (``.`` or ``,``, from the mapping); the other mark, a
space or an apostrophe may group the thousands, and the groups must fit (``1,234,567`` or the
Indian ``12,34,567``). A value that does not fit is rejected, never guessed: ``1.234,50`` read
with ``.`` could be 1234.5 or 1.2345.
"""

from __future__ import annotations

import re

from importer.mapping._fields import bounded
from importer.mapping._problems import reject

#: ``919988221100.0`` is what a float column exported as text looks like: the digits are intact.
_WHOLE_FLOAT = re.compile(r"(-?\d+)\.0+")
#: ``9.19988E+11``: scientific notation, as Excel shows (and saves) a long number.
_SCIENTIFIC = re.compile(r"[+-]?(\d)(?:[.,](\d*))?[eE]\+?(\d{1,3})")
_NUMBER = {
    ".": re.compile(r"([+-]?)([0-9,'_ \u00a0\u202f]*)(?:\.([0-9]+))?"),
    ",": re.compile(r"([+-]?)([0-9.'_ \u00a0\u202f]*)(?:,([0-9]+))?"),
}


def _grouped(sep: str) -> re.Pattern[str]:
    s = re.escape(sep)
    # thousands (1,234,567) or the Indian lakh and crore grouping (12,34,567)
    return re.compile(rf"\d{{1,3}}(?:{s}\d{{3}})+|\d{{1,2}}(?:{s}\d{{2}})*{s}\d{{3}}")


_GROUPED = {sep: _grouped(sep) for sep in [".", ",", "'", "_", " ", "\u00a0", "\u202f"]}


def exact_digits(value: str, column: str | None = None, decimal: str = ".") -> str:
    """Undo a float's ``.0`` or a lossless exponent; reject a number whose digits are lost."""
    if decimal == ".":
        whole = _WHOLE_FLOAT.fullmatch(value)
        if whole is not None:
            return whole.group(1)
    sci = _SCIENTIFIC.fullmatch(value)
    if sci is not None:
        head, tail, exponent = sci.group(1), sci.group(2) or "", int(sci.group(3))
        if len(tail) > exponent:
            return value  # a fraction, not a lost integer: the caller judges it
        if len(tail) == exponent:
            return head + tail
        raise reject(
            column,
            value,
            "lost its digits (Excel wrote it in scientific notation); "
            "format the column as text and export again",
            "lost_digits",
        )
    return value


def _parts(value: str, column: str | None, decimal: str, code: str) -> tuple[str, str, str]:
    """(sign, whole digits, fraction digits) of a number written with this decimal mark."""
    text = exact_digits(value.strip(), column, decimal)
    match = _NUMBER[decimal].fullmatch(text)
    sign, whole, fraction = match.groups("") if match is not None else ("", "", "")
    whole = whole or ("0" if fraction else "")
    misfit = match is None and re.fullmatch(r"[+-]?[0-9.,'_ \u00a0\u202f]+", text) is not None
    if not misfit and not any(c.isdigit() for c in whole):
        what = "a whole number" if code == "invalid_int" else "a number"
        raise reject(column, value, f"is not {what}", code)
    if misfit or not whole.isdigit():
        seps = {c for c in whole if not c.isdigit()}
        if misfit or len(seps) != 1 or not _GROUPED[seps.pop()].fullmatch(whole):
            other = "," if decimal == "." else "."
            raise reject(
                column,
                value,
                f"does not fit the decimal mark {decimal!r} (thousands grouped with {other!r}, "
                "a space or an apostrophe): set decimal in the mapping",
                code,
            )
        whole = "".join(c for c in whole if c.isdigit())
    return sign, whole, fraction


def to_int(
    value: str,
    column: str | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    decimal: str = ".",
) -> int:
    """A whole number (``1,000`` and ``12.0`` are accepted), optionally within bounds."""
    if value.isascii() and value.isdigit():
        number = int(value)
    else:
        sign, whole, fraction = _parts(value, column, decimal, "invalid_int")
        if fraction.strip("0"):
            raise reject(column, value, "is not a whole number", "invalid_int")
        number = int(sign + whole)
    if minimum is not None and number < minimum:
        raise reject(column, value, f"is below the minimum {minimum}", "out_of_range")
    if maximum is not None and number > maximum:
        raise reject(column, value, f"is above the maximum {maximum}", "out_of_range")
    return bounded(number, "int", value, column)


def to_number(value: str, column: str | None = None, *, decimal: str = ".") -> int | float:
    """A non-negative number; whole numbers as integers."""
    if value.isascii() and value.isdigit():
        return bounded(int(value), "number", value, column)
    sign, whole, fraction = _parts(value, column, decimal, "invalid_number")
    if sign == "-" and (whole.strip("0") or fraction.strip("0")):
        raise reject(column, value, "is negative", "out_of_range")
    if not fraction.strip("0"):
        return bounded(int(whole), "number", value, column)
    return bounded(float(f"{whole}.{fraction}"), "number", value, column)
