"""Unsigned notes older than a few days: the practice-wide list, and the jump to each draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.store import Database
from practice.visits import service
from practice.visits.records import StaleDraft
from ui import icons, theme
from ui.ops import QueryOp
from ui.visits.history_model import local_time
from ui.widgets.forms import muted, section_title

Index = QModelIndex | QPersistentModelIndex
STALE_AFTER_DAYS = service.DEFAULT_STALE_DRAFT_DAYS


def reminder_text(count: int, days: int = STALE_AFTER_DAYS) -> str:
    """'3 unsigned notes older than 2 days'."""
    notes = "note" if count == 1 else "notes"
    return f"{count} unsigned {notes} older than {days} day{'s' if days != 1 else ''}"


class StaleDraftsModel(QAbstractTableModel):
    COLUMNS = ("Client", "Visit", "Days unsigned")
    CLIENT, VISIT, DAYS = range(len(COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StaleDraft] = []

    def set_rows(self, rows: list[StaleDraft]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def draft(self, row: int) -> StaleDraft:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == self.DAYS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        draft = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CLIENT:
                return draft.client_name
            if column == self.VISIT:
                return local_time(draft.starts_at)
            return str(draft.days_old)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column == self.DAYS else Qt.AlignmentFlag.AlignLeft
            )
            return horizontal | Qt.AlignmentFlag.AlignVCenter
        return None


class StaleDraftsDialog(QDialog):
    """Every completed visit whose note is still unsigned; Enter or a double-click opens one."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unsigned notes")
        self.setMinimumSize(560, 420)
        self.chosen: StaleDraft | None = None
        drafts = service.stale_drafts(db)
        self.model = StaleDraftsModel(self)
        self.model.set_rows(drafts)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Unsigned notes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(StaleDraftsModel.CLIENT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(StaleDraftsModel.VISIT, 150)
        header.resizeSection(StaleDraftsModel.DAYS, 120)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.empty = muted("Every note older than two days is signed. Nothing to catch up on.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        stack = QStackedWidget()
        stack.addWidget(self.table)
        stack.addWidget(self.empty)
        stack.setCurrentWidget(self.table if drafts else self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.addButton("Open note", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setProperty("primary", True)
        self.open_button.setEnabled(bool(drafts))
        self.open_button.setDefault(True)
        buttons.accepted.connect(self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(
            section_title(reminder_text(len(drafts)) if drafts else "No unsigned notes")
        )
        layout.addWidget(
            muted("Sign notes soon after the visit: an unsigned note is not yet a record.")
        )
        layout.addWidget(stack, 1)
        layout.addWidget(buttons)
        if drafts:
            self.table.selectRow(0)
            self.table.setFocus()

    def _on_buttons_accepted(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.chosen = self.model.draft(index.row())
            self.accept()

    def _on_table_double_clicked(self) -> None:
        self._on_buttons_accepted()


class UnsignedNotesButton(QPushButton):
    """A quiet reminder for the status bar; hidden while every older note is signed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setIcon(icons.icon("file-signature", theme.colours().warning))
        self.setToolTip("Show the unsigned notes (Visit > Unsigned notes…)")
        self.hide()

    def refresh(self, db: Database) -> None:
        """Count the older unsigned notes in the background and show the count."""
        QueryOp(self, lambda: len(service.stale_drafts(db)), self.show_count).run(key="count")

    def show_count(self, count: int) -> None:
        self.setText(reminder_text(count))
        self.setAccessibleName(reminder_text(count))
        self.setVisible(count > 0)
