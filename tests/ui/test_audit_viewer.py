"""The audit viewer lists who changed what, filtered by client, with old and new values."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.store import Database
from ui.audit.viewer import AuditModel, AuditViewer


def test_audit_model_passes_qt_model_checks(qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    from practice.store.audit import list_entries

    service.create_client(db, ClientForm(given_name="Ana"))
    model = AuditModel()
    model.set_rows(list_entries(db), {})
    qtmodeltester.check(model)


def test_viewer_filters_by_client_and_shows_old_and_new_values(qtbot: QtBot, db: Database) -> None:
    ana = service.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    service.create_client(db, ClientForm(given_name="Noah"))
    service.update_client(db, ana.id, ClientForm(given_name="Ana", family_name="Peña Ruiz"))
    viewer = AuditViewer(db, client_id=ana.id)
    qtbot.addWidget(viewer)
    assert viewer.model.rowCount() == 2
    assert viewer.model.index(0, 2).data() == "update"
    assert "Ana Peña" in viewer.model.index(0, 3).data()
    viewer.table.selectRow(0)
    assert "family_name: Peña → Peña Ruiz" in viewer.details.toPlainText()
    viewer.client.setCurrentIndex(0)
    viewer.refresh()
    assert viewer.model.rowCount() == 3
