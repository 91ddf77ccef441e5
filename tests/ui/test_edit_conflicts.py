"""Two people on one practice editing the same note: the later save from an older copy shows
a plain message on the form and overwrites nothing (two Database objects on one file, as two
clinic computers share one server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.visits import service
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.rawsql import another_database
from ui.ops import runner
from ui.visits.editor import VisitEditor


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    second = another_database(db)
    yield second
    second.close()


def _editor(qtbot: QtBot, db: Database) -> VisitEditor:
    widget = VisitEditor(db)
    qtbot.addWidget(widget)
    widget.resize(900, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_saving_a_note_someone_else_saved_meanwhile_says_so_and_keeps_their_note(
    qtbot: QtBot, db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
    visit_id = service.create_visit(db, client.id, draft).visit.id
    mine, theirs = _editor(qtbot, db), _editor(qtbot, other)
    mine.load(client, service.get_visit(db, visit_id))
    theirs.load(client, service.get_visit(other, visit_id))

    theirs.subjective.fields["complaint"].setPlainText("Neck, worse since Monday")
    assert theirs.save() is not None
    mine.subjective.fields["complaint"].setPlainText("Neck, better")
    assert mine.save() is None

    assert "Someone else saved this note" in mine.form_error.message()
    assert service.get_visit(db, visit_id).note.complaint == "Neck, worse since Monday"


def test_autosave_after_someone_else_saved_the_note_keeps_my_typing_and_says_so(
    qtbot: QtBot, db: Database, other: Database
) -> None:
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck"), ())
    visit_id = service.create_visit(db, client.id, draft).visit.id
    mine, theirs = _editor(qtbot, db), _editor(qtbot, other)
    mine.load(client, service.get_visit(db, visit_id))
    theirs.load(client, service.get_visit(other, visit_id))
    theirs.subjective.fields["complaint"].setPlainText("Neck, worse since Monday")
    assert theirs.save() is not None

    mine.autosave_timer.setInterval(20)
    complaint = mine.subjective.fields["complaint"]
    complaint.setFocus()
    qtbot.keyClick(complaint, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(complaint, ", better")
    qtbot.waitUntil(lambda: "Someone else saved this note" in mine.form_error.message())
    qtbot.waitUntil(lambda: runner().idle)

    assert complaint.toPlainText() == "Neck, better" and mine.is_dirty()
    assert "not kept" in mine.saved_label.text()
    stored = service.get_visit(db, visit_id)
    assert stored.autosaved is None  # nothing to offer back over their save
    assert stored.note.complaint == "Neck, worse since Monday"
