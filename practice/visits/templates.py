"""Note templates: a therapist's own starting points for a note (never clinical records)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.errors import ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import get_or_raise, name_taken
from practice.techniques.library import techniques_by_code
from practice.text import name_key
from practice.visits.models import VisitTemplateRow
from practice.visits.records import SoapNote, TreatmentInput, VisitTemplate
from practice.visits.techniques import from_library
from practice.visits.validation import validate_template


def save_template(
    db: Database,
    name: str,
    note: SoapNote,
    treatments: tuple[TreatmentInput, ...] = (),
    template_id: int | None = None,
) -> VisitTemplate:
    """Create (template_id None) or replace a note template. Pain scores are never kept."""
    treatments = tuple(from_library(t, techniques_by_code(db)) for t in treatments)
    name, note, treatments = validate_template(
        name, note, treatments, techniques=techniques_by_code(db).keys()
    )
    structure = {"note": note.to_json(), "treatments": [t.to_json() for t in treatments]}
    with db.transaction() as session:
        row = None if template_id is None else _template_row(session, template_id)
        if name_taken(session, VisitTemplateRow, name_key(name), but=template_id):
            raise ValidationError({"name": f"There is already a template called '{name}'."})
        if row is None:
            row = VisitTemplateRow(name=name, structure=structure)
            session.add(row)
            old: dict[str, Any] = {}
        else:
            old = {"name": row.name, "structure": row.structure}
            row.name, row.structure = name, structure
        row.name_key = name_key(name)
        session.flush()
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="visit_template",
            entity_id=row.id,
            summary=f"Visit template '{name}' saved",
            changes=audit.diff(old, {"name": name, "structure": structure}),
        )
        return _template(row)


def list_templates(db: Database) -> list[VisitTemplate]:
    with db.read() as session:
        rows = session.scalars(select(VisitTemplateRow).order_by(func.lower(VisitTemplateRow.name)))
        return [_template(row) for row in rows]


def delete_template(db: Database, template_id: int) -> None:
    """Templates are not clinical records: deleting one changes no note made from it."""
    with db.transaction() as session:
        row = _template_row(session, template_id)
        audit.log(
            db,
            session,
            action="delete",
            entity="visit_template",
            entity_id=row.id,
            summary=f"Visit template '{row.name}' deleted",
            changes={"name": [row.name, None]},
        )
        session.delete(row)


def _template_row(session: Session, template_id: int) -> VisitTemplateRow:
    return get_or_raise(session, VisitTemplateRow, template_id, "visit template")


def _template(row: VisitTemplateRow) -> VisitTemplate:
    structure = row.structure or {}
    return VisitTemplate(
        id=row.id,
        name=row.name,
        note=SoapNote.from_json(structure.get("note") or {}),
        treatments=tuple(TreatmentInput.from_json(t) for t in structure.get("treatments") or ()),
    )
