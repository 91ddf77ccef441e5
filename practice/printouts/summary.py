"""The physician summary on paper: a draft as edited before issuing, and issued copies reprinted.

A draft is rendered from the `SummaryDraft` the therapist edited (the narrative is theirs, so
the function takes the draft, not ids). An issued copy is the stored PDF, exactly as handed
over; `practice.summaries.service.document_pdf` checks it against its SHA-256 and writes the
reprint's audit entry, so this adds none of its own.
"""

from __future__ import annotations

from pathlib import Path

from practice.errors import NotFoundError, ValidationError
from practice.printouts import gather
from practice.printouts.output import (
    Document,
    Printout,
    action,
    deliver,
    target,
    written,
)
from practice.store.database import Database
from practice.summaries import service as summaries
from practice.summaries.records import IssuedDocument, SummaryDraft


def render_summary(draft: SummaryDraft) -> bytes:
    """The summary as PDF bytes; the same draft always gives the same bytes."""
    from practice.documents.physician_summary import physician_summary_pdf as build

    return build(draft)


def issue_summary(db: Database, draft: SummaryDraft) -> IssuedDocument:
    """Store the summary as issued: its content, its exact PDF and the audit entry."""
    return summaries.store_issued_summary(db, draft, render_summary(draft))


def physician_summary_pdf(
    db: Database, draft: SummaryDraft, *, to_file: Path | None = None
) -> Printout:
    """The summary as drafted and edited, not issued: nothing is stored but the audit entry."""
    out = target(db, to_file)
    period = _period(draft)
    made = Printout(
        document=Document.PHYSICIAN_SUMMARY,
        title=f"{draft.title} (draft{', ' + period if period else ''})",
        file_name=gather.file_name(draft.title, draft.client_name, draft.prepared_on),
        client_id=draft.client_id,
        entity="treatment_plan" if draft.plan_id is not None else "client",
        entity_id=draft.plan_id if draft.plan_id is not None else draft.client_id,
        records={
            "plan_id": draft.plan_id,
            "period_start": draft.period_start,
            "period_end": draft.period_end,
            "issued": False,
        },
        data=render_summary(draft),
    )
    return deliver(db, made, out)


def issued_document_pdf(db: Database, document_id: int, *, to_file: Path | None = None) -> Printout:
    """An issued document reprinted from its stored bytes; a copy changed since is refused."""
    out = target(db, to_file)
    try:
        document = summaries.get_document(db, document_id)
    except NotFoundError:
        raise ValidationError({"document": f"No issued document with id {document_id}."}) from None
    client = gather.client(db, document.client_id)
    data = summaries.document_pdf(
        db, document.id, action=action(out), to_file=None if out is None else str(out)
    )
    day = document.issued_at.astimezone().date()
    made = Printout(
        document=Document.PHYSICIAN_SUMMARY,
        title=f"{document.title} issued {day.isoformat()}",
        file_name=gather.file_name(document.title, client, day),
        client_id=client.id,
        entity="issued_document",
        entity_id=document.id,
        records={"issued_document_id": document.id, "issued": True},
        data=data,
    )
    return written(made, out)


def _period(draft: SummaryDraft) -> str:
    if draft.period_start is None or draft.period_end is None:
        return ""
    return f"{draft.period_start.isoformat()} to {draft.period_end.isoformat()}"
