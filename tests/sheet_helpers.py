"""Helpers of the tests that need workbooks made by LibreOffice itself (Calc, headless)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def needs_libreoffice_reason() -> str:
    """Why a LibreOffice test is skipped here ("" when LibreOffice is installed)."""
    if _soffice():
        return ""
    return (
        "no LibreOffice (soffice) on this machine: .ci/run installs Debian's libreoffice-calc-nogui"
    )


def libreoffice_xlsx(source: Path, tmp: Path) -> Path:
    """``source`` (a workbook or CSV) converted to .xlsx by LibreOffice Calc, headless: its
    formulas computed by Calc, its cells laid out as Calc writes them."""
    out = tmp / "libreoffice-out"
    command = [
        _soffice() or "soffice",
        f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",  # not the user's profile
        "--headless",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out / (source.stem + ".xlsx")
