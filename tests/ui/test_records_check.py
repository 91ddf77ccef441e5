"""The seal check on screen: silent when records are intact, a warning naming each record
changed behind Fascia's back."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.store.seal.verify import _Steps, verify_records
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm, VisitStatus
from tests.conftest import give_consent
from ui.ops import ProgressDialog, runner
from ui.records.check import check_at_open, verify_now


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


def _held_at_first_report(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event]:
    """Make the verification wait at its first progress report until `release` is set."""
    reached, release = threading.Event(), threading.Event()
    report = _Steps.report

    def held(steps: _Steps, count: int, text: str) -> None:
        if not reached.is_set():
            reached.set()
            release.wait(10)
        report(steps, count, text)

    monkeypatch.setattr(_Steps, "report", held)
    return reached, release


def test_verify_records_runs_in_the_background_and_answers_when_done(  # type: ignore[no-untyped-def]
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signed_visit(db)
    window = QWidget()
    window.show()
    qtbot.addWidget(window)
    reached, release = _held_at_first_report(monkeypatch)
    verify_now(window, db)
    assert reached.wait(10)  # the work has started on a worker while the GUI thread is here
    qtbot.waitUntil(lambda: _progress(window) is not None and _progress(window).isVisible())
    release.set()
    qtbot.waitUntil(lambda: runner().idle)
    boxes = [box for box in window.findChildren(QMessageBox) if box.objectName()]
    assert [box.objectName() for box in boxes] == ["RecordsVerified"]
    assert boxes[0].text().startswith("Records intact:")
    boxes[0].close()


def test_verify_records_can_be_cancelled_from_its_progress_dialog(  # type: ignore[no-untyped-def]
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signed_visit(db)
    window = QWidget()
    window.show()
    qtbot.addWidget(window)
    _reached, release = _held_at_first_report(monkeypatch)
    verify_now(window, db)
    qtbot.waitUntil(lambda: _progress(window) is not None and _progress(window).isVisible())
    dialog = _progress(window)
    assert dialog.cancel_button is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: runner().idle)
    assert [box for box in window.findChildren(QMessageBox) if box.objectName()] == []
    assert _progress(window) is None or not _progress(window).isVisible()


def _progress(window: QWidget) -> ProgressDialog | None:
    return window.findChild(ProgressDialog)


def test_the_first_seals_after_the_upgrade_are_made_off_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practice.store.seal import chain
    from ui.backup.opening import prepare_practice

    _signed_visit(db)
    conn = sqlite3.connect(db.path, isolation_level=None)
    try:
        for name in ("seal_append_only_delete", "seal_replace_guard"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DELETE FROM seal")  # as a practice from before the seals
    finally:
        conn.close()
    assert chain.first_seals_due(db.path)
    threads: list[str] = []
    seal_all = chain.seal_all_if_new

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return seal_all(*args, **kwargs)

    monkeypatch.setattr(chain, "seal_all_if_new", watched)
    assert prepare_practice(db.data_dir) is not None
    assert threads and threading.main_thread().name not in threads
    assert not chain.first_seals_due(db.path)
    result = verify_records(db)
    assert result.ok and result.seals == result.records > 0
