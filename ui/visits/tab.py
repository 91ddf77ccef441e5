"""The client's Visits tab (history, filters, the note editor) and Progress tab (charts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.clients.records import Client
from practice.store import Database
from practice.visits import service
from practice.visits.records import (
    HistoryFilter,
    StaleDraft,
    VisitRecord,
    VisitStatus,
    VisitSummary,
)
from ui import icons, theme
from ui.billing.visit_action import VisitBillingAction
from ui.ops import QueryOp, Refresh
from ui.visits.editor import VisitEditor
from ui.visits.history_model import VisitHistoryModel, local_time
from ui.visits.measures_dialog import RecordMeasureDialog
from ui.visits.reminders import reminder_text
from ui.widgets.empty import EmptyState
from ui.widgets.forms import DateField, muted
from ui.widgets.status import say

if TYPE_CHECKING:
    from ui.visits.progress import ProgressView

NEW_VISIT_KEYS = "Ctrl+Shift+N"  # the main window's Visit > New visit
RECORD_MEASURE_KEYS = "Ctrl+Shift+M"  # Progress tab: Record measure…
PREPARE_GAP_MS = 50  # between two charts built while idle: a click in between comes first
NOTE_FILTERS = {"any": "Drafts and signed", "drafts": "Drafts only", "signed": "Signed only"}
COLUMN_WIDTHS = {
    VisitHistoryModel.DATE: 200,  # "Aug 17, 2026 10:30 a.m."
    VisitHistoryModel.NOTE: 180,  # "Cancelled, imported"
    VisitHistoryModel.PAIN_BEFORE: 72,
    VisitHistoryModel.PAIN_AFTER: 64,
    VisitHistoryModel.MINUTES: 56,
}


class VisitsTab(QWidget):
    """The client's visits, newest first; opening one shows its note in the same place."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.model = VisitHistoryModel(self)
        self.editor = VisitEditor(db)
        self.back_button = QPushButton("← All visits")
        self.back_button.setToolTip("Back to the visit history (the note stays as it is)")
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.editor.head.insertWidget(0, self.back_button)
        self.billing = VisitBillingAction(db, self.save)
        self.editor.saved.connect(self.billing.show_record)
        self.editor.head.addWidget(self.billing)
        self.print_button = QPushButton(icons.icon("printer"), "Print note…")
        self.print_button.setToolTip("Preview and print this visit note (Ctrl+P)")
        self.print_button.clicked.connect(self.print_visit_note)
        self.editor.head.addWidget(self.print_button)

        self.list_page = self._build_list()
        self._refresh = Refresh(self, ("visit",), self.refresh, client_id=self._client_id)
        self.empty = self._build_empty()
        self.pages = QStackedWidget()
        for page in (self.list_page, self.editor, self.empty):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.load(None)

    def _build_list(self) -> QWidget:
        self.new_button = QPushButton(icons.icon("plus", theme.colours().accent_text), "New visit")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(f"New visit ({NEW_VISIT_KEYS})")
        self.new_button.clicked.connect(self.new_visit)
        self.reminder = QPushButton(icons.icon("triangle-alert", theme.colours().warning), "")
        self.reminder.setToolTip("Open an unsigned note of this client")
        self.reminder.setMenu(QMenu(self.reminder))
        self.reminder.hide()

        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show visits with status")
        self.status_filter.addItem("Any status", None)
        for visit_status in VisitStatus:
            self.status_filter.addItem(visit_status.label, visit_status)
        self.note_filter = QComboBox()
        self.note_filter.setAccessibleName("Show drafts or signed notes")
        for key, label in NOTE_FILTERS.items():
            self.note_filter.addItem(label, key)
        self.since = DateField()
        self.since.setPlaceholderText("From YYYY-MM-DD")
        self.since.setAccessibleName("Visits from")
        self.until = DateField()
        self.until.setPlaceholderText("To YYYY-MM-DD")
        self.until.setAccessibleName("Visits until")
        for combo in (self.status_filter, self.note_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        for field in (self.since, self.until):
            field.setFixedWidth(136)
            field.textChanged.connect(self._on_filter_changed)
        top = QHBoxLayout()
        top.setSpacing(8)
        for widget in (self.status_filter, self.note_filter, self.since, self.until):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.new_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Visit history")
        self.table.setToolTip("Enter or a click opens the visit's note")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.table.activated.connect(self._on_table_activated)
        self.table.clicked.connect(self._on_table_activated)
        self.no_match = QLabel("No visits match these filters.")
        self.no_match.setProperty("role", "empty")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = muted("", wrap=False)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 16, 0, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.reminder, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.no_match, 1)
        layout.addWidget(self.count)
        return page

    def _build_empty(self) -> QWidget:
        page = EmptyState(
            "clipboard-list",
            "No visits yet.",
            "Each visit holds its SOAP note and treatment log. Notes stay drafts until you sign.",
            f"New visit ({NEW_VISIT_KEYS})",
            self.new_visit,
        )
        self.empty_title, self.empty_new_button = page.title, page.button
        return page

    # ------------------------------------------------------------------ public

    def load(self, client: Client | None) -> None:
        """Show a client's visits; read when the tab is shown, so switching clients stays fast."""
        self.client = client
        self.editor.clear()
        if client is None:
            self.refresh()
        else:
            self._refresh.request()

    def is_dirty(self) -> bool:
        return self.editor.is_dirty()

    def save(self) -> bool:
        """Save the open note (Ctrl+S). True when nothing is left unsaved."""
        if not self.editor.is_dirty():
            return True
        return self.editor.save() is not None

    def save_soon(self) -> None:
        """Save the open note on the op runner (Ctrl+S)."""
        if self.editor.is_dirty():
            self.editor.save_in_background()

    def new_visit(self) -> None:
        if self.client is None or not self._confirm_leave_note():
            return
        self.editor.new_visit(self.client)
        self.billing.show_record(None)
        self.pages.setCurrentWidget(self.editor)
        self.editor.focus_first_field()

    def open_visit(self, visit_id: int) -> None:
        """Show the note of one visit of the open client."""
        if self.client is None:
            return
        record = self.editor.record
        if record is not None and record.visit.id == visit_id:
            self._show_note(visit_id)
            return
        if not self._confirm_leave_note():
            return
        db, client = self.db, self.client

        def read(record: VisitRecord) -> None:
            if self.client is client:  # else another client was opened meanwhile
                self.editor.load(client, record)
                self.billing.show_record(record)
                self._show_note(visit_id)

        # get_visit is over 5 ms on a large practice (the list in ui/ops.py).
        QueryOp(self, lambda: service.get_visit(db, visit_id), read).run(key="open-visit")

    def _show_note(self, visit_id: int) -> None:
        self._select(visit_id)
        self.pages.setCurrentWidget(self.editor)

    def print_visit_note(self) -> None:
        """Preview the open note, or the one selected in the history (File > Print, Ctrl+P)."""
        if self.client is None:
            return
        if self.pages.currentWidget() is self.editor:
            if self.editor.is_dirty() and self.editor.save() is None:
                return  # the editor shows what stops the save
            record = self.editor.record
            visit = record.visit if record is not None else None
        else:
            index = self.table.selectionModel().currentIndex()
            visit = self.model.visit(index.row()) if index.isValid() else None
        if visit is None:
            say(self, "Choose a visit to print; a new note prints once it is saved")
            return
        from ui.documents import printing

        day = visit.starts_at.astimezone().date()
        printing.preview_visit_note(self, self.db, self.client, visit.id, day)

    def show_history(self) -> None:
        self.refresh()
        if self.pages.currentWidget() is not self.empty:
            self.pages.setCurrentWidget(self.list_page)
            self.table.setFocus()

    def refresh(self) -> None:
        """Reload the list (read on the op runner), keeping the open visit selected."""
        self._refresh.stale = False  # read now: not again when the tab is next shown
        client, db = self.client, self.db
        if client is None:
            self._show_history(None, [], [])
            return
        filters, signed_only = self._filters()

        def read() -> tuple[list[VisitSummary], list[StaleDraft]]:
            rows = service.visit_history(db, client.id, filters)
            rows = [row for row in rows if row.signed] if signed_only else rows
            return rows, service.stale_drafts(db, client_id=client.id)

        QueryOp(self, read, lambda found: self._show_history(client, *found)).run(
            key="visit-history"
        )

    def _show_history(
        self, client: Client | None, rows: list[VisitSummary], drafts: list[StaleDraft]
    ) -> None:
        if client is not self.client:
            return  # read for a client no longer shown
        self.model.set_rows(rows)
        filtered = self._filtered()
        self.table.setVisible(bool(rows) or not filtered)
        self.no_match.setVisible(not rows and filtered)
        self.count.setText(f"{len(rows)} visit{'s' if len(rows) != 1 else ''}" if rows else "")
        self._update_reminder(drafts)
        self.new_button.setEnabled(self.client is not None)
        self.empty_new_button.setEnabled(self.client is not None)
        record = self.editor.record
        self._select(record.visit.id if record else None)
        if self.pages.currentWidget() is not self.editor or not self._editing():
            has_visits = bool(rows) or filtered
            self.pages.setCurrentWidget(self.list_page if has_visits else self.empty)

    # ------------------------------------------------------------------ helpers

    def _editing(self) -> bool:
        """Whether the editor shows a note of this client (a saved one or a new one)."""
        shown = self.editor.client
        return self.client is not None and shown is not None and shown.id == self.client.id

    def _filtered(self) -> bool:
        return bool(
            self.status_filter.currentData()
            or self.note_filter.currentData() != "any"
            or self.since.text().strip()
            or self.until.text().strip()
        )

    def _filters(self) -> tuple[HistoryFilter, bool]:
        """The history's filters as set, and whether only signed notes are wanted."""
        visit_status = self.status_filter.currentData()
        note = self.note_filter.currentData()
        filters = HistoryFilter(
            since=self._date_filter(self.since),
            until=self._date_filter(self.until),
            statuses=frozenset({visit_status}) if visit_status else frozenset(),
            unsigned_only=note == "drafts",
        )
        return filters, note == "signed"

    @staticmethod
    def _date_filter(field: DateField) -> date | None:
        """The typed date, or None while it cannot be read (the field says why)."""
        try:
            day = field.value()
        except ValueError as error:
            day, problem = None, str(error)
        else:
            problem = ""
        field.setToolTip(problem)
        field.setProperty("invalid", bool(problem))
        field.style().unpolish(field)
        field.style().polish(field)
        return day

    def _select(self, visit_id: int | None) -> None:
        row = self.model.row_of(visit_id) if visit_id is not None else None
        if row is None:
            self.table.clearSelection()
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _update_reminder(self, mine: list[StaleDraft]) -> None:
        menu = self.reminder.menu()
        menu.clear()
        for draft in mine:
            action = menu.addAction(f"{local_time(draft.starts_at)} · {draft.days_old} days")
            action.triggered.connect(partial(self.open_visit, draft.visit_id))
        self.reminder.setText(reminder_text(len(mine)))
        self.reminder.setVisible(bool(mine))

    def _confirm_leave_note(self) -> bool:
        """Ask what to do with unsaved typing before showing another note. True = go on."""
        if not self.editor.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved note",
            "The open note has changes that are not saved yet. Save the draft first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.editor.save() is not None
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.discard_changes()
            return True
        return False

    # ------------------------------------------------------------------ handlers

    def _on_filter_changed(self) -> None:
        self.refresh()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_visit(self.model.visit(index.row()).id)

    def _on_back_button_clicked(self) -> None:
        self.show_history()

    def _client_id(self) -> int | None:
        return self.client.id if self.client is not None else None


class ProgressTab(QWidget):
    """The client's outcome measures over time; charts are drawn when the tab is shown."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.view: ProgressView | None = None
        self.record_dialog: RecordMeasureDialog | None = None
        self.record_button = QPushButton("Record measure…")
        self.record_button.setShortcut(QKeySequence(RECORD_MEASURE_KEYS))
        self.record_button.setToolTip(
            f"Record a PSFS, sleep quality, headache diary day or your own measure "
            f"({RECORD_MEASURE_KEYS})"
        )
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self._on_record_button_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 0)
        bar.addStretch(1)
        bar.addWidget(self.record_button)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(bar)

    def load(self, client: Client | None) -> None:
        self.client = client
        self.record_button.setEnabled(client is not None)
        if self.isVisible():
            self._refresh()

    def _on_record_button_clicked(self) -> None:
        if self.client is None:
            return
        if self.record_dialog is not None:
            self.record_dialog.deleteLater()
        self.record_dialog = RecordMeasureDialog(self.db, self.client, self)
        self.record_dialog.accepted.connect(self._refresh)
        self.record_dialog.open()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh()  # visits may have been saved since: always current when looked at

    def _refresh(self) -> None:
        self._view().load(self.client.id if self.client else None)

    def _view(self) -> ProgressView:
        if self.view is None:
            from ui.visits.progress import ProgressView  # pyqtgraph loads on first use

            self.view = ProgressView(self.db)
            self._layout.addWidget(self.view)
        return self.view

    def prepare_while_idle(self, then: Callable[[], None] | None = None) -> None:
        """Build the charts ahead, one at a time with the window idle in between, so the first
        client's Progress tab only gives them data; `then` after the last."""

        def build_next() -> None:
            if not shiboken6.isValid(self):
                return
            if self._view().prepare_chart():
                QTimer.singleShot(PREPARE_GAP_MS, self, build_next)
            elif then is not None:
                then()

        QTimer.singleShot(PREPARE_GAP_MS, self, build_next)
