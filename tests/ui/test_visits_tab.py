"""The Visits tab: history and filters, opening notes, unsigned-note reminders, the workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.store import Database
from practice.visits import service
from practice.visits.records import (
    SoapNote,
    TreatmentInput,
    VisitDraft,
    VisitForm,
    VisitRecord,
    VisitStatus,
)
from ui.clients.workspace import ClientWorkspace
from ui.main_window import MainWindow
from ui.ops import runner
from ui.visits import dialogs
from ui.visits.history_model import VisitHistoryModel
from ui.visits.reminders import StaleDraftsDialog, StaleDraftsModel
from ui.visits.tab import VisitsTab
from ui.widgets.shortcuts import ShortcutsDialog


def days_ago(days: int, hour: int = 10) -> datetime:
    return datetime.combine(date.today() - timedelta(days=days), time(hour)).astimezone()


def visit(
    db: Database,
    client: Client,
    days: int,
    *,
    signed: bool = True,
    status: VisitStatus = VisitStatus.COMPLETED,
    pain: int | None = 5,
) -> VisitRecord:
    completed = status is VisitStatus.COMPLETED
    record = service.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(days_ago(days), 60, status=status),
            SoapNote(complaint=f"Visit {days} days ago", pain_before=pain),
            (TreatmentInput("effleurage", 30, ("B_UPPER_BACK_R",)),) if completed else (),
        ),
    )
    return service.sign_visit(db, record.visit.id) if signed else record


@pytest.fixture
def client(db: Database, consent: Callable[[int], None]) -> Client:
    """A client who consented to treatment a year ago."""
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    consent(client.id)
    return client


@pytest.fixture
def tab(qtbot: QtBot, db: Database) -> VisitsTab:
    widget = VisitsTab(db)
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(tab: VisitsTab) -> list[int]:
    runner().wait_idle()  # the history is read again on the op runner
    return [tab.model.visit(row).id for row in range(tab.model.rowCount())]


def shown(tab: VisitsTab, client: Client) -> None:
    """The tab showing the client, once its visit history are read (on the op runner)."""
    tab.load(client)
    runner().wait_idle()


def test_the_history_model_passes_the_model_tester(
    qtmodeltester, db: Database, client: Client
) -> None:
    visit(db, client, 9)
    visit(db, client, 2, signed=False)
    visit(db, client, 5, status=VisitStatus.CANCELLED, signed=False, pain=None)
    model = VisitHistoryModel()
    model.set_rows(service.visit_history(db, client.id))
    qtmodeltester.check(model, force_py=True)


def test_the_history_shows_note_state_and_right_aligned_numbers(
    db: Database, client: Client
) -> None:
    signed = visit(db, client, 9)
    service.amend_visit(db, signed.visit.id, "Typo", "Left, not right.")
    visit(db, client, 2, signed=False, pain=7)
    visit(db, client, 5, status=VisitStatus.NO_SHOW, signed=False, pain=None)
    model = VisitHistoryModel()
    model.set_rows(service.visit_history(db, client.id))

    notes = [model.index(r, model.NOTE).data() for r in range(3)]
    assert notes == ["Draft", "No-show", "Signed, amended"]
    assert model.index(0, model.PAIN_BEFORE).data() == "7"
    assert model.index(1, model.PAIN_BEFORE).data() == ""
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for column in (model.PAIN_BEFORE, model.PAIN_AFTER, model.MINUTES):
        assert model.index(0, column).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, model.MINUTES).data() == "30"
    assert model.index(0, model.TECHNIQUES).data() == "Swedish: effleurage"


def test_a_client_without_visits_is_offered_a_new_visit_with_its_shortcut(
    qtbot: QtBot, tab: VisitsTab, client: Client
) -> None:
    shown(tab, client)

    assert tab.pages.currentWidget() is tab.empty
    assert tab.empty_title.text() == "No visits yet."
    assert "Ctrl+Shift+N" in tab.empty_new_button.text()

    qtbot.mouseClick(tab.empty_new_button, Qt.MouseButton.LeftButton)

    assert tab.pages.currentWidget() is tab.editor
    assert tab.editor.title.text() == "New visit"
    assert tab.editor.subjective.fields["complaint"].hasFocus()


def test_a_saved_new_visit_appears_in_the_history_as_a_draft(
    qtbot: QtBot, db: Database, tab: VisitsTab, client: Client
) -> None:
    shown(tab, client)
    tab.new_visit()
    qtbot.keyClicks(tab.editor.subjective.fields["complaint"], "Tension headache")

    assert tab.save()
    qtbot.mouseClick(tab.back_button, Qt.MouseButton.LeftButton)
    runner().wait_idle()

    assert tab.pages.currentWidget() is tab.list_page
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, VisitHistoryModel.NOTE).data() == "Draft"
    assert tab.table.currentIndex().row() == 0
    assert not tab.is_dirty()


def test_history_filters_by_status_dates_and_draft_or_signed(
    qtbot: QtBot, db: Database, tab: VisitsTab, client: Client
) -> None:
    old = visit(db, client, 40)
    recent = visit(db, client, 10)
    draft = visit(db, client, 3, signed=False)
    cancelled = visit(db, client, 5, status=VisitStatus.CANCELLED, signed=False, pain=None)
    shown(tab, client)
    assert shown_ids(tab) == [draft.visit.id, cancelled.visit.id, recent.visit.id, old.visit.id]

    tab.status_filter.setCurrentIndex(tab.status_filter.findData(VisitStatus.CANCELLED))
    assert shown_ids(tab) == [cancelled.visit.id]
    tab.status_filter.setCurrentIndex(0)

    tab.note_filter.setCurrentIndex(tab.note_filter.findData("drafts"))
    assert shown_ids(tab) == [draft.visit.id, cancelled.visit.id]
    tab.note_filter.setCurrentIndex(tab.note_filter.findData("signed"))
    assert shown_ids(tab) == [recent.visit.id, old.visit.id]
    tab.note_filter.setCurrentIndex(0)

    qtbot.keyClicks(tab.since, (date.today() - timedelta(days=20)).isoformat())
    qtbot.keyClicks(tab.until, (date.today() - timedelta(days=4)).isoformat())
    assert shown_ids(tab) == [cancelled.visit.id, recent.visit.id]
    assert tab.count.text() == "2 visits"

    tab.status_filter.setCurrentIndex(tab.status_filter.findData(VisitStatus.NO_SHOW))
    assert shown_ids(tab) == []
    assert tab.no_match.isVisible()
    assert tab.pages.currentWidget() is tab.list_page


def test_a_filter_date_that_cannot_be_read_is_marked_and_ignored(
    qtbot: QtBot, db: Database, tab: VisitsTab, client: Client
) -> None:
    visit(db, client, 10)
    shown(tab, client)

    qtbot.keyClicks(tab.since, "2024-13-01")

    assert tab.since.property("invalid") is True
    assert "not a real date" in tab.since.toolTip()
    assert tab.model.rowCount() == 1


def test_clicking_a_visit_opens_its_note_and_back_returns_to_the_list(
    qtbot: QtBot, db: Database, tab: VisitsTab, client: Client
) -> None:
    visit(db, client, 10)
    draft = visit(db, client, 3, signed=False)
    shown(tab, client)
    assert tab.pages.currentWidget() is tab.list_page

    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner

    assert tab.pages.currentWidget() is tab.editor
    assert tab.editor.record is not None and tab.editor.record.visit.id == draft.visit.id
    tab.back_button.click()
    assert tab.pages.currentWidget() is tab.list_page


def test_opening_another_note_with_unsaved_typing_asks_first(
    qtbot: QtBot,
    db: Database,
    tab: VisitsTab,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    older = visit(db, client, 10, signed=False)
    newer = visit(db, client, 3, signed=False)
    shown(tab, client)
    tab.open_visit(newer.visit.id)
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner
    qtbot.keyClicks(tab.editor.plan.fields["referrals"], "GP for the knee")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))

    tab.open_visit(older.visit.id)
    assert tab.editor.record is not None and tab.editor.record.visit.id == newer.visit.id
    assert tab.is_dirty()

    tab.open_visit(older.visit.id)
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner
    assert tab.editor.record is not None and tab.editor.record.visit.id == older.visit.id
    assert not tab.is_dirty()
    assert service.get_visit(db, newer.visit.id).note.referrals == ""


def test_this_clients_unsigned_notes_older_than_two_days_are_a_reminder_that_opens_them(
    qtbot: QtBot, db: Database, tab: VisitsTab, client: Client
) -> None:
    visit(db, client, 9)
    stale = visit(db, client, 5, signed=False)
    visit(db, client, 1, signed=False)  # yesterday's note is not overdue yet
    other = clients.create_client(db, ClientForm("Bo", "Lind"))
    visit(db, other, 6, signed=False)
    shown(tab, client)

    assert tab.reminder.isVisible()
    assert tab.reminder.text() == "1 unsigned note older than 2 days"
    [action] = tab.reminder.menu().actions()
    action.trigger()
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner

    assert tab.pages.currentWidget() is tab.editor
    assert tab.editor.record is not None and tab.editor.record.visit.id == stale.visit.id


def test_the_unsigned_notes_list_names_every_client_and_opens_the_chosen_note(
    qtmodeltester, qtbot: QtBot, db: Database, client: Client
) -> None:
    other = clients.create_client(db, ClientForm("Bo", "Lind"))
    older = visit(db, other, 8, signed=False)
    visit(db, client, 4, signed=False)
    model = StaleDraftsModel()
    model.set_rows(service.stale_drafts(db))
    qtmodeltester.check(model, force_py=True)
    dialog = StaleDraftsDialog(db)
    qtbot.addWidget(dialog)

    rows = [
        [dialog.model.index(r, c).data() for c in range(3)] for r in range(dialog.model.rowCount())
    ]
    assert [(r[0], r[2]) for r in rows] == [("Bo Lind", "8"), ("Ana Peña", "4")]
    assert dialog.model.headerData(
        StaleDraftsModel.DAYS, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
    ) == (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    dialog.open_button.click()

    assert dialog.chosen is not None and dialog.chosen.visit_id == older.visit.id


def test_the_workspace_offers_visits_and_progress_only_for_a_saved_client_and_saves_the_note(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 800)
    workspace.show()
    titles = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    visits = titles.index("Visits")
    assert titles[visits + 1] == "Progress"

    workspace.open_client(None)
    assert not workspace.tabs.isTabEnabled(visits)
    assert not workspace.tabs.isTabEnabled(visits + 1)

    workspace.open_client(client.id)
    assert workspace.tabs.isTabEnabled(visits) and workspace.tabs.isTabEnabled(visits + 1)
    workspace.new_visit()
    assert workspace.tabs.currentWidget() is workspace.visits
    qtbot.keyClicks(workspace.visits.editor.subjective.fields["complaint"], "Sore wrists")
    assert workspace.has_unsaved_changes()

    assert workspace.save()

    assert not workspace.has_unsaved_changes()
    [summary] = service.visit_history(db, client.id)
    assert service.get_visit(db, summary.id).note.complaint == "Sore wrists"


def main_window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_ctrl_shift_n_starts_a_new_visit_for_the_open_client(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    window = main_window(qtbot, db)
    window.clients.open_client(client.id)
    workspace = window.clients.workspace

    qtbot.keyClick(
        window.clients.search,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    assert workspace.tabs.currentWidget() is workspace.visits
    assert workspace.visits.pages.currentWidget() is workspace.visits.editor
    assert workspace.visits.editor.title.text() == "New visit"
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    shortcuts = {does: keys for _where, does, keys in dialog.rows()}
    assert shortcuts["New visit"] == "Ctrl+Shift+N"


def test_the_status_bar_reminds_of_unsigned_notes_and_opens_the_chosen_one(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = visit(db, client, 6, signed=False)
    window = main_window(qtbot, db)
    qtbot.waitUntil(lambda: hasattr(window, "unsigned_notes"))  # loads after the client list
    qtbot.waitUntil(lambda: runner().idle)
    assert window.unsigned_notes.isVisible()
    assert window.unsigned_notes.text() == "1 unsigned note older than 2 days"

    def choose_first(dialog: StaleDraftsDialog) -> int:
        dialog.open_button.click()
        return int(dialog.result())

    monkeypatch.setattr(StaleDraftsDialog, "exec", choose_first)
    window.unsigned_notes.click()
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner

    workspace = window.clients.workspace
    assert window.clients.open_client_id() == client.id
    assert workspace.tabs.currentWidget() is workspace.visits
    assert workspace.visits.editor.record is not None
    assert workspace.visits.editor.record.visit.id == stale.visit.id

    monkeypatch.setattr(dialogs, "confirm_signing", lambda *_args: True)
    workspace.visits.editor.sign()
    qtbot.waitUntil(lambda: runner().idle)
    assert workspace.visits.editor.is_read_only()
    qtbot.waitUntil(lambda: runner().idle)
    assert not window.unsigned_notes.isVisible()
    assert "Visit note signed" in window.statusBar().currentMessage()
