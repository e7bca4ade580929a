"""An org file as ``importer org pull`` writes it, built from plain field lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GENDER = {"id": 1, "name": "gender", "label": "Gender", "dataType": "STANDARD_ENUM",
          "enumValues": ["Male", "Female", "Other"]}  # fmt: skip
MARITAL = {"id": 2, "name": "marital_status", "label": "Marital Status",
           "dataType": "STANDARD_ENUM", "enumValues": ["Single", "Married"]}  # fmt: skip
AGE = {"id": 3, "name": "Age", "label": "Age", "dataType": "INTEGER"}
JOINED = {"id": 4, "name": "joined_on", "label": "Joined On", "dataType": "DATETIME"}
SPEND = {"id": 5, "name": "avg_spend", "label": "Average Spend", "dataType": "DOUBLE"}
NICK = {"id": 6, "name": "nickname", "label": "Nickname", "dataType": "STRING", "maxLength": 8}
FIELDS = [GENDER, MARITAL, AGE, JOINED, SPEND, NICK]


def org_data(
    extended: list[dict[str, Any]] | None = None,
    custom: list[str] | None = None,
    config: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    endpoints: dict[str, Any] = {
        "extendedFields": {
            "answer": {"entity": {"CUSTOMER": FIELDS if extended is None else extended}}
        },
        "customFields": {
            "answer": {"entity": {"customFields": [{"name": n} for n in custom or ["employee"]]}}
        },
        "extendedFieldConfig": (
            {"error": "HTTP 404"} if config is None else {"answer": {"entity": config}}
        ),
    }
    return {"format": 1, "base_url": "http://x", "read_at": "2026-01-01T00:00:00+00:00",
            "endpoints": endpoints}  # fmt: skip


def write_org(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
