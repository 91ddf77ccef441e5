"""Past visits brought in from another tool's export: written final, and marked imported.

An imported visit is history kept elsewhere: Fascia did not see it written and nobody signed it
here. It is stored as a final record all the same (`signed_at` is the moment it was imported),
so the triggers lock it and the seal chain covers it like a signed note, and a correction is an
amendment. It names nobody as its signer (`signed_by` empty, `signed_by_id` NULL): its one
signing acknowledgement, of kind IMPORTED, says who imported it from which file and line, and
`Visit.signature_line` reads "Imported by …; not signed in Fascia" on screen and on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from practice.errors import ValidationError
from practice.store import audit
from practice.store.base import utcnow
from practice.store.bulk import insert_rows, update_rows
from practice.store.database import Database
from practice.store.sql import json_array_has
from practice.visits.models import SoapNoteRow, VisitRow
from practice.visits.records import IMPORTED, VisitDraft
from practice.visits.validation import validate_draft


@dataclass(frozen=True, slots=True)
class PastVisit:
    """One visit of another tool's history, for a client on file."""

    client_id: int
    draft: VisitDraft  # the visit and its note; no treatment log (nothing says how it was done)
    origin: str  # where it came from: "Jane export visits.csv, line 4"


def check_past_visit(draft: VisitDraft, today: date) -> VisitDraft:
    """The cleaned draft, or ValidationError: the checks of a note written here (a completed or
    missed visit is not after today, lasts 1 minute to 8 hours, texts fit) without treatments."""
    if draft.treatments:
        raise ValidationError({"treatments": "An imported visit has no treatment log."})
    return validate_draft(draft, (), today)


def add_imported_visits(db: Database, session: Session, visits: Sequence[PastVisit]) -> list[int]:
    """Write visits already checked (`check_past_visit`) in the caller's transaction, each final
    and marked imported from its origin, audited. Returns their ids, in order."""
    if not visits:
        return []
    now = utcnow()
    # The transaction holds the write lock: the new rows are exactly those after the highest id.
    before = session.scalar(select(func.max(VisitRow.id))) or 0
    insert_rows(
        session,
        VisitRow,
        [
            {
                "client_id": v.client_id,
                "starts_at": v.draft.visit.starts_at,
                "duration_minutes": v.draft.visit.duration_minutes,
                "place_of_service": v.draft.visit.place_of_service,
                "status": str(v.draft.visit.status),
                "created_at": now,
                "created_by": db.actor,
                "updated_at": now,
                "signed_at": None,
                "signed_by": "",
            }
            for v in visits
        ],
    )
    added = select(VisitRow.id).where(VisitRow.id > before).order_by(VisitRow.id)
    ids = list(session.scalars(added))
    notes = [
        {**_note_columns(v.draft), "visit_id": i, "saved_at": now}
        for i, v in zip(ids, visits, strict=True)
    ]
    insert_rows(session, SoapNoteRow, notes)
    # Final only now: the triggers refuse a note for a visit that is already locked.
    update_rows(
        session,
        VisitRow,
        [
            {
                "id": i,
                "signed_at": now,
                "updated_at": now,
                "signing_acknowledgements": [provenance(v.origin, db.actor, now.isoformat())],
            }
            for i, v in zip(ids, visits, strict=True)
        ],
    )
    audit.log_many(
        db,
        session,
        [
            {
                "action": "import",
                "entity": "visit",
                "entity_id": i,
                "client_id": v.client_id,
                "summary": f"Past visit imported from {v.origin} (not signed in Fascia)",
                "changes": {
                    key: [None, value]
                    for key, value in {**v.draft.visit.to_json(), **v.draft.note.to_json()}.items()
                    if value not in ("", None, [])
                },
            }
            for i, v in zip(ids, visits, strict=True)
        ],
    )
    return ids


def imported_visit() -> ColumnElement[bool]:
    """True for a visit row imported from another tool (its acknowledgement of kind IMPORTED),
    for queries that leave imported history out, such as what is left to bill."""
    return json_array_has(VisitRow.signing_acknowledgements, "kind", IMPORTED)


def _note_columns(draft: VisitDraft) -> dict[str, object]:
    return {**draft.note.to_json(), "re_evaluation_on": draft.note.re_evaluation_on}


def provenance(origin: str, by: str, at: str) -> dict[str, str]:
    """The acknowledgement an imported visit carries in place of a signature."""
    return {
        "kind": IMPORTED,
        "text": f"Imported from {origin}; written in another tool and not signed in Fascia",
        "by": by,
        "at": at,
    }
