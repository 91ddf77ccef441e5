"""Live updates in clinic mode: every write on a server tells the other copies what it changed.

Each write transaction on a server ends with `pg_notify('fascia_changes', payload)`, where the
payload is the `Changes` it made as JSON (the kinds, the client when it concerned one, and the
Database it came from). PostgreSQL delivers a notification only when its transaction commits,
so nobody hears of a write that rolled back. The kinds come from the rows the transaction wrote
(`TABLE_KINDS`), whichever service or command wrote them, so no service has to remember.

`Listener` is the receiving end: one connection of its own that LISTENs, whose socket a
screen watches (a QSocketNotifier), reading what arrived without ever blocking. A copy ignores
its own notifications: the write's op has announced them already.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session

from practice.changes import Changes

if TYPE_CHECKING:
    from practice.store.database import Database

CHANNEL = "fascia_changes"
_KINDS = {
    "client": ("client", "care_team", "physician"),
    "intake": ("intake",),
    "consent": ("consent", "consent_form"),
    "visit": ("visit", "soap_note", "treatment_entry", "amendment"),
    "chart": ("body_chart",),
    "measure": ("measure_value", "headache_entry", "measure_definition"),
    "plan": (
        *("treatment_plan", "plan_diagnosis", "plan_goal", "planned_technique"),
        *("plan_precaution", "plan_acknowledgement"),
    ),
    "invoice": ("invoice", "invoice_line", "invoice_line_tax", "number_sequence", "receipt"),
    "payment": ("payment", "payment_allocation", "refund", "package"),
    "document": ("issued_document",),
    "appointment": ("appointment", "appointment_series", "waitlist_entry", "reminder"),
    "settings": (
        *("practice_profile", "practitioner", "billing_settings", "tax_rate", "service"),
        *("service_tax", "schedule_settings", "technique", "visit_template", "clinic_user"),
    ),
    "backup": ("backup_settings",),
}
# Which kind of change a written table is (audit entries and seals follow every write and say
# nothing of their own).
TABLE_KINDS = {table: kind for kind, tables in _KINDS.items() for table in tables}
_PENDING = "fascia_live"


def origin_of(db: Database) -> str:
    """This open practice's name in its notifications (its own are not news to it)."""
    return f"{os.getpid()}:{id(db)}"


def _pending(session: Session) -> dict[str, Any]:
    return session.info.setdefault(_PENDING, {"kinds": set(), "clients": set()})


def _note_row(pending: dict[str, Any], row: Any) -> None:
    table = getattr(row, "__tablename__", "")
    kind = TABLE_KINDS.get(table)
    if kind is None:
        return
    pending["kinds"].add(kind)
    client = row.id if table == "client" else getattr(row, "client_id", None)
    if client is not None:
        pending["clients"].add(client)


def announce_commits(db: Database) -> None:
    """Make every write transaction on this server practice notify what it changed."""
    sessions = db._sessions
    origin = origin_of(db)

    @event.listens_for(sessions, "after_flush")
    def flushed(session: Session, _context: Any) -> None:
        pending = _pending(session)
        for row in (*session.new, *session.dirty, *session.deleted):
            _note_row(pending, row)

    @event.listens_for(sessions, "do_orm_execute")
    def executed(state: ORMExecuteState) -> None:
        if state.is_update or state.is_delete or state.is_insert:
            table = getattr(state.statement, "table", None)
            kind = TABLE_KINDS.get(getattr(table, "name", ""))
            if kind is not None:
                _pending(state.session)["kinds"].add(kind)

    @event.listens_for(sessions, "before_commit")
    def committing(session: Session) -> None:
        session.flush()
        pending = session.info.pop(_PENDING, None)
        if not pending or not pending["kinds"]:
            return
        clients = pending["clients"]
        payload = {
            "kinds": sorted(pending["kinds"]),
            "client_id": next(iter(clients)) if len(clients) == 1 else None,
            "origin": origin,
        }
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": json.dumps(payload)},
        )

    @event.listens_for(sessions, "after_rollback")
    def rolled_back(session: Session) -> None:
        session.info.pop(_PENDING, None)


def decode(payload: str) -> tuple[Changes, str] | None:
    """The Changes and origin of one notification; None for one that is not Fascia's."""
    try:
        data = json.loads(payload)
        client = data.get("client_id")
        changes = Changes(frozenset(data["kinds"]), client if isinstance(client, int) else None)
        return changes, str(data.get("origin", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class Listener:
    """A connection of its own LISTENing to the practice's changes (server practices only).

    When the server goes away `received` raises; `reconnect` then tries a new connection (a
    notification sent meanwhile is lost: whoever reconnects refreshes what they show).
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.origin = origin_of(db)
        self._connection = self._connect()

    def _connect(self) -> Any:
        from practice.store import server

        connection = server.own_connection(self._db)  # autocommit, out of the pool
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            connection.close()
            raise
        return connection

    def fileno(self) -> int:
        """The socket to watch: readable when a notification (or anything) has arrived."""
        return int(self._connection.fileno())

    @property
    def backend_pid(self) -> int:
        """The server process serving this connection (what pg_terminate_backend takes)."""
        return int(self._connection.info.backend_pid)

    def received(self) -> list[Changes]:
        """What other copies changed since the last call (never blocks); raises the driver's
        OperationalError when the server went away."""
        found = []
        for notification in self._connection.notifies(timeout=0):
            decoded = decode(notification.payload)
            if decoded is not None and decoded[1] != self.origin:
                found.append(decoded[0])
        return found

    def reconnect(self) -> bool:
        """Listen on a new connection; False (and still disconnected) when the server is not
        answering yet. Waits at most the engine's connect timeout."""
        import psycopg  # a server practice: the driver is loaded already
        from sqlalchemy.exc import DBAPIError

        from practice.errors import ServerGoneError

        self.close()
        try:
            self._connection = self._connect()
        except (ServerGoneError, DBAPIError, psycopg.Error, OSError):
            return False
        return True

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already closed by a server that went away
            self._connection.close()
