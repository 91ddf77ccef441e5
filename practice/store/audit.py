"""The append-only audit log: who did what to which record, with old and new values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow
from practice.store.rows import is_id

if TYPE_CHECKING:
    from practice.store.database import Database


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    # The practitioner behind the entry; None for setup steps and for entries written before
    # practitioners existed (their `actor` then holds what was recorded at the time).
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="RESTRICT")
    )
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="RESTRICT"), index=True
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    client_id: int | None
    summary: str
    changes: dict[str, Any]
    practitioner_id: int | None = None


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the audit log."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for every field whose value changed."""
    changed = {}
    for key in sorted(set(old) | set(new)):
        before, after = plain(old.get(key)), plain(new.get(key))
        if json.dumps(before, sort_keys=True) != json.dumps(after, sort_keys=True):
            changed[key] = [before, after]
    return changed


def log(
    db: Database,
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    client_id: int | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """Add an entry in the caller's transaction, naming the practitioner at the keyboard."""
    record(
        session,
        actor=db.actor,
        practitioner_id=db.practitioner_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_id=client_id,
        summary=summary,
        changes=changes,
    )


def created(
    db: Database,
    session: Session,
    row: Any,
    *,
    entity: str,
    summary: str,
    changes: dict[str, Any] | None = None,
    client_id: int | None = None,
    entity_id: int | None = None,
) -> None:
    """Add a new row and its "create" entry, in the caller's transaction (the entry names the
    row's id once flushed, unless `entity_id` names another)."""
    session.add(row)
    session.flush()
    log(
        db,
        session,
        action="create",
        entity=entity,
        entity_id=getattr(row, "id", None) if entity_id is None else entity_id,
        client_id=client_id,
        summary=summary,
        changes=changes,
    )


def log_many(db: Database, session: Session, entries: list[dict[str, Any]]) -> None:
    """Many entries at once (an import), each a dict of `log`'s keyword arguments: one
    statement for all of them, after a flush, naming the practitioner at the keyboard."""
    session.flush()
    if entries:
        signed = {"actor": db.actor, "practitioner_id": db.practitioner_id}
        session.execute(
            AuditEntry.__table__.insert(),
            [{"summary": "", "client_id": None, "changes": {}, **e, **signed} for e in entries],
        )


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    client_id: int | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    practitioner_id: int | None = None,
) -> None:
    # A Core insert after a flush: the rows the entry names are written first, and the ORM
    # need not resolve the audit table's references to tables this layer does not import.
    session.flush()
    session.execute(
        AuditEntry.__table__.insert().values(
            actor=actor,
            practitioner_id=practitioner_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            client_id=client_id,
            summary=summary,
            changes=changes or {},
        )
    )


def _to_record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        client_id=row.client_id,
        summary=row.summary,
        changes=dict(row.changes or {}),
        practitioner_id=row.practitioner_id,
    )


def entries(
    session: Session,
    *,
    client_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[AuditRecord]:
    if client_id is not None and not is_id(client_id):
        return []  # no client can have this id
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if client_id is not None:
        query = query.where(AuditEntry.client_id == client_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return [_to_record(row) for row in session.scalars(query)]


def list_entries(
    db: Database,
    *,
    client_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 5000,
) -> list[AuditRecord]:
    """Audit entries, newest first, for the audit viewer (one read transaction)."""
    with db.read() as session:
        return entries(session, client_id=client_id, since=since, until=until, limit=limit)
