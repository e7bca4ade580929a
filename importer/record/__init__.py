"""Record: what survives the process: the job's journal (exactly once), the ledger, the job lock."""

from importer.record._journal import (
    EARLIER,
    IN_FLIGHT,
    LOOKUP,
    PENDING,
    Journal,
    decide,
    payload_digest,
    settled_by_api,
)
from importer.record._ledger import Claim, Ledger, Posting
from importer.record._lock import job_lock
from importer.record._recorder import NOT_ATTEMPTED, Recorder
from importer.record._storage import LOCK_WAIT, patiently

__all__ = [
    "Claim",
    "EARLIER",
    "IN_FLIGHT",
    "Journal",
    "LOCK_WAIT",
    "LOOKUP",
    "Ledger",
    "NOT_ATTEMPTED",
    "PENDING",
    "Posting",
    "Recorder",
    "decide",
    "job_lock",
    "patiently",
    "payload_digest",
    "settled_by_api",
]
