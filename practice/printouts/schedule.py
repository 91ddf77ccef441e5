"""The schedule's printout: the reminder call list for clients without email."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from practice.printouts import gather
from practice.printouts.output import Document, Printout, deliver, target
from practice.schedule import reminders
from practice.store.database import Database


def call_list_pdf(
    db: Database, *, to_file: Path | None = None, now: datetime | None = None
) -> Printout:
    """The calls still to make, soonest appointment first: when, who, the number to ring."""
    from practice.documents.call_list import TITLE
    from practice.documents.call_list import call_list_pdf as render

    out = target(db, to_file)
    profile = gather.profile(db)
    calls = reminders.call_list(db, now)
    made = Printout(
        document=Document.CALL_LIST,
        title=f"{TITLE} of {calls.made_on.isoformat()}",
        file_name=f"{TITLE} {calls.made_on.isoformat()}.pdf",
        client_id=None,
        entity="reminder",
        entity_id=None,
        records={"reminder_ids": [c.id for c in calls.calls]},
        data=render(profile, calls),
    )
    return deliver(db, made, out)
