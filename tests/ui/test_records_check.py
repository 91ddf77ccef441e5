"""The seal check on screen: silent when records are intact, a warning naming each record
changed behind Fascia's back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QMessageBox, QWidget

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm, VisitStatus
from tests.conftest import give_consent
from ui.ops import runner
from ui.records.check import check_at_open


def _signed_visit(db: Database) -> int:
    client = clients.create_client(db, ClientForm("Chloé", "Dubois"))
    give_consent(db, client.id)
    draft = VisitDraft(
        VisitForm(datetime.now(UTC) - timedelta(days=1), 60, status=VisitStatus.COMPLETED),
        SoapNote(complaint="Neck pain"),
    )
    record = visits.create_visit(db, client.id, draft)
    return visits.sign_visit(db, record.visit.id).visit.id


def _warnings(parent: QWidget) -> list[QMessageBox]:
    return [box for box in parent.findChildren(QMessageBox) if box.objectName() == "RecordsWarning"]


def test_intact_records_show_no_warning_at_open(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    _signed_visit(db)
    window = QWidget()
    qtbot.addWidget(window)
    check_at_open(window, db)
    qtbot.waitUntil(lambda: runner().idle)
    assert _warnings(window) == []


def test_a_note_changed_outside_fascia_warns_at_open_and_names_it(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    visit_id = _signed_visit(db)
    conn = sqlite3.connect(db.path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER visit_locked_update")
        conn.execute("UPDATE visit SET signed_by = 'Mallory' WHERE id = ?", (visit_id,))
    finally:
        conn.close()
    window = QWidget()
    window.show()
    qtbot.addWidget(window)
    check_at_open(window, db)
    qtbot.waitUntil(lambda: bool(_warnings(window)))
    box = _warnings(window)[0]
    assert box.windowTitle() == "Records were changed outside Fascia"
    assert f"signed visit note {visit_id} was changed after it was sealed" in box.text()
    assert f"signed visit note {visit_id}" in box.detailedText()
    box.close()
