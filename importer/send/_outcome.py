"""Turn a final verdict into the row's settlement, pure: what each answer means for the row."""

from __future__ import annotations

from importer._models import Outcome, Settlement, Work
from importer.send._classify import Created, Duplicate, Rejected, Verdict


def final_settlement(
    work: Work, verdict: Verdict, *, attempts: int, request_id: str | None
) -> Settlement | None:
    """The settlement a created, duplicate or rejected answer gives; None for any other verdict.

    An 8006 for a row whose earlier attempt may have been stored is the customer we created.
    """
    row = work.row
    if isinstance(verdict, Created):
        return Settlement(
            row,
            Outcome.CREATED,
            created_id=verdict.id,
            warnings=verdict.warnings,
            side_effects=verdict.side_effects,
            attempts=attempts,
            request_id=request_id,
        )
    if isinstance(verdict, Duplicate):
        ours = work.ambiguous or work.maybe_created
        return Settlement(
            row,
            Outcome.CREATED if ours else Outcome.DUPLICATE,
            created_id=verdict.existing_id,
            code=verdict.code,
            message=(
                f"reconciled: an unanswered request had created it ({verdict.message})"
                if ours
                else verdict.message
            ),
            attempts=attempts,
            request_id=request_id,
        )
    if isinstance(verdict, Rejected):
        return Settlement(
            row,
            Outcome.REJECTED,
            code=verdict.code,
            message=verdict.message,
            warnings=verdict.warnings,
            attempts=attempts,
            request_id=request_id,
        )
    return None
