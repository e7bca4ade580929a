"""Hand-written mappings on corpus layouts: a check of the oracles, not of ``importer init``.

A mapping written from the platforms' documentation, using only what the mapping language
already has, must store nothing the oracle calls wrong. If it did, either the importer misreads
a value the mapping names plainly, or the oracle is wrong; both deserve a look before a draft is
judged by the same oracle.
"""

from __future__ import annotations

from pathlib import Path

from corpus_harness import check
from corpus_layouts_crm import salesforce
from corpus_layouts_shop import square

COUNTRIES = "{UK: GB, USA: US, Great Britain: GB, United States of America: US}"

SALESFORCE = f"""\
version: 1
settings:
  region: null
  on_invalid: drop
profiles:
  - source: INSTORE
    firstName: FIRSTNAME
    lastName: LASTNAME
    identifiers:
      - type: mobile
        value:
          column: MOBILEPHONE
          as: phone
          region: {{column: MAILINGCOUNTRY, map: {COUNTRIES}}}
      - type: email
        value: {{column: EMAIL, as: email}}
      - type: externalId
        value: ID
    commChannels:
      - type: email
        value: {{column: EMAIL, as: email}}
        subscribed: {{column: HASOPTEDOUTOFEMAIL, map: {{"true": "no", "false": ""}}, as: bool}}
"""

SQUARE = """\
version: 1
settings:
  region: US                    # a US merchant's directory: national numbers are US (or CA)
  on_invalid: drop
profiles:
  - source: INSTORE
    firstName: First Name
    lastName: Last Name
    identifiers:
      - type: mobile
        value: {column: Phone Number, as: phone}
      - type: email
        value: {column: Email Address, as: email}
      - type: externalId
        value: Square Customer ID
    commChannels:
      - type: email
        value: {column: Email Address, as: email}
        subscribed:
          column: Email Subscription Status
          map: {Subscribed: "yes", Unsubscribed: "no"}
          as: bool
"""


def test_salesforce_by_hand_stores_nothing_wrong(tmp_path: Path, corpus_emulator) -> None:
    verdict = check(salesforce(), tmp_path, corpus_emulator, SALESFORCE)
    print("\n" + verdict.line())
    assert verdict.wrong_total == 0, "\n".join([verdict.line(), *verdict.examples])
    # MOBILEPHONE alone: the customers whose mobile is only in PHONE are created by e-mail
    assert verdict.share >= 0.97, verdict.line()


def test_square_by_hand_stores_nothing_wrong(tmp_path: Path, corpus_emulator) -> None:
    verdict = check(square(), tmp_path, corpus_emulator, SQUARE)
    print("\n" + verdict.line())
    assert verdict.wrong_total == 0, "\n".join([verdict.line(), *verdict.examples])
    assert verdict.passes, verdict.line()
