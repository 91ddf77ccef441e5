"""A demo practice with every kind of record a printout is made from, built once per module."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from practice import printouts
from practice.clients import service as clients
from practice.demo import generate
from practice.store import Database, audit, open_database
from practice.store.audit import AuditEntry, AuditRecord
from practice.summaries import service as summaries

DEMO_CLIENTS = 8


@dataclass(frozen=True)
class Records:
    """Ids of one demo client's records, each kind of printout's raw material."""

    client_id: int
    name: str  # the client's legal name, as every printout prints it
    charts: tuple[int, ...]  # current chart versions, oldest first
    signed_visit: int
    paid_invoice: str  # number of an issued invoice with money paid on it
    paid_invoice_id: int
    credit_note_id: int
    document_id: int  # an issued physician summary
    first_visit: date
    last_visit: date


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Records]:
    folder = tmp_path_factory.mktemp("printouts") / "practice"
    db = open_database(folder, actor="jordan")
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=1)
        records = _records(db)
    finally:
        db.close()
    return folder, records


@pytest.fixture
def folder(demo_folder: tuple[Path, Records], tmp_path: Path) -> Path:
    """A copy of the demo practice of this test's own."""
    copy = tmp_path / "practice"
    shutil.copytree(demo_folder[0], copy, ignore=shutil.ignore_patterns("*.lock"))
    return copy


@pytest.fixture
def records(demo_folder: tuple[Path, Records]) -> Records:
    return demo_folder[1]


@pytest.fixture
def practice(folder: Path) -> Iterator[Database]:
    db = open_database(folder, actor="jordan")
    yield db
    db.close()


def _records(db: Database) -> Records:
    """The demo client with a credit note (so also charts, visits, payments), and an issued
    physician summary written for them."""
    connection = sqlite3.connect(db.path)
    try:
        credit_note_id, client_id = connection.execute(
            "SELECT id, client_id FROM invoice WHERE kind = 'credit_note' LIMIT 1"
        ).fetchone()
        paid_invoice_id, paid_invoice = connection.execute(
            "SELECT i.id, i.number FROM invoice i JOIN payment_allocation a ON a.invoice_id = i.id "
            "WHERE i.client_id = ? AND i.kind = 'invoice' AND i.status = 'issued' "
            "ORDER BY i.id LIMIT 1",
            (client_id,),
        ).fetchone()
        visits = connection.execute(
            "SELECT id, starts_at FROM visit WHERE client_id = ? AND signed_at IS NOT NULL "
            "ORDER BY starts_at",
            (client_id,),
        ).fetchall()
    finally:
        connection.close()
    from practice.bodymap.service import chart_history

    charts = tuple(h.id for h in chart_history(db, client_id))
    assert len(charts) >= 2, "the demo client needs charts to compare"
    document = printouts.issue_summary(db, summaries.summary_draft(db, client_id))
    days = [date.fromisoformat(str(starts)[:10]) for _, starts in visits]
    return Records(
        client_id=client_id,
        name=clients.get_client(db, client_id).legal_name,
        charts=charts,
        signed_visit=visits[-1][0],
        paid_invoice=paid_invoice,
        paid_invoice_id=paid_invoice_id,
        credit_note_id=credit_note_id,
        document_id=document.id,
        first_visit=min(days),
        last_visit=max(days),
    )


def last_entry_id(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def entries_since(db: Database, mark: int) -> list[AuditRecord]:
    """The audit entries written after entry `mark`, oldest first."""
    with db.read() as session:
        return [e for e in reversed(audit.entries(session, limit=100)) if e.id > mark]


def tamper(db_path: Path, document_id: int) -> None:
    """Change an issued document's stored PDF behind Fascia's back, as raw SQL can: the
    immutability triggers are dropped first, as someone editing the file would."""
    connection = sqlite3.connect(db_path)
    try:
        triggers = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'issued_document'"
        ).fetchall()
        for (name,) in triggers:
            connection.execute(f"DROP TRIGGER {name}")
        # One byte in the page content changed; the size stays the same.
        connection.execute(
            "UPDATE issued_document SET pdf = CAST(substr(pdf, 1, 399) || "
            "CASE WHEN substr(pdf, 400, 1) = X'30' THEN X'31' ELSE X'30' END || "
            "substr(pdf, 401) AS BLOB) WHERE id = ?",
            (document_id,),
        )
        connection.commit()
    finally:
        connection.close()
