"""What opening the first client needs, loaded in the background once the window is up.

The client workspace pulls in the body map (shapely, numpy, the atlas), billing, plans, visits
and the documents layer: about half a second of imports and file reading that would otherwise
happen on the first click. None of it touches Qt (the import contracts guarantee it), so a
worker thread can do it while the therapist looks at the list; a click that comes first just
waits for the module being loaded, as Python's import lock makes it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practice.store.database import Database

CORE_MODULES = (
    "practice.bodymap.service",
    "practice.visits.service",
    "practice.visits.outcomes",
    "practice.plans.service",
    "practice.plans.course",
    "practice.billing.service",
    "practice.summaries.service",
    "practice.timeline.service",
    "practice.printouts",  # ReportLab's layout and every document's module
)


def _import_all(package: str) -> None:
    import pkgutil

    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")


def warm_up(db: Database | None = None) -> None:
    """Import the core of the client workspace and read the atlas and the catalogue; parse the
    PDF fonts, so the first document of a session is as quick as the next; with the open
    database, also ready the timeline's first page (compiled statements, locale data)."""
    for name in CORE_MODULES:
        importlib.import_module(name)
    _import_all("practice.documents")  # each document imports its part of ReportLab
    from sqlalchemy.orm import configure_mappers

    from practice.bodymap.atlas import load_atlas
    from practice.documents.fonts import register_fonts
    from practice.plans.trigger_points import load_catalogue
    from practice.store import staff
    from practice.timeline.service import prepare

    load_atlas()
    load_catalogue()
    register_fonts()
    configure_mappers()  # the ORM's one-time setup, else paid by the first query of a document
    prepare(db)
    if db is not None and staff.sees_clinical(db):  # the front desk writes no notes
        _first_note(db)


def _first_note(db: Database) -> None:
    """Make, on one client, the reads a new note makes (alerts, consent, the active plan, the
    history and its reminders, the last visit): their statements are compiled here rather
    than on the first click, which they cost about 100 ms at 30,000 clients. Reads only."""
    from datetime import date

    from sqlalchemy import text

    from practice.clients import service as clients
    from practice.plans.service import active_plan
    from practice.visits import service as visits

    with db.read() as session:
        client_id = session.execute(text("SELECT min(id) FROM client")).scalar()
    if client_id is None:
        return
    today = date.today()
    clients.alerts_for(db, client_id, today)
    visits.consent_warning(db, client_id, today)
    active_plan(db, client_id)
    visits.visit_history(db, client_id)
    visits.stale_drafts(db, client_id=client_id)
    visits.start_from_last_visit(db, client_id)
