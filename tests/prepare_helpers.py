"""Shared constants of the read -> map -> validate tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
MAPPINGS = ROOT / "mappings"

#: A small mapping the tests extend: INSTORE, mobile/email/externalId, names and an enrollment.
BASIC_MAPPING = """
registration:
  required_identifiers: [mobile]
profiles:
  - source: INSTORE
    firstName: first
    lastName: last
    identifiers:
      - type: mobile
        value: mobile
      - type: email
        value: email
      - type: externalId
        value: id
loyaltyProgramEnrollments:
  - programId: 469
    tierNumber: {column: tier, as: int, min: 1, max: 3}
"""
BASIC_HEADER = "id,first,last,mobile,email,tier"
