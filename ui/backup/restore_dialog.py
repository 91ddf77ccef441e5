"""File > Restore from backup: every backup with its date, size, contents and check, and a
confirmation that says what restoring does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.dates import format_moment
from practice.store.backups.catalog import BackupInfo
from practice.store.backups.listing import all_backups
from ui import icons, theme
from ui.backup.text import reason_text, size_text
from ui.ops import QueryOp
from ui.widgets.empty import EmptyState
from ui.widgets.forms import muted
from ui.widgets.tables import Index, RowsModel


class BackupsModel(RowsModel):
    COLUMNS = ("Made", "Why", "Size", "Clients", "Visits", "Invoices", "Check", "Where")
    HEADER_TIPS = (
        "When the backup was made",
        "What made it",
        "Size of the file",
        "Clients in the backup",
        "Visits in the backup",
        "Invoices in the backup",
        "Verified: checked by SQLite and compared record by record with the practice",
        "On this computer, or in the second destination",
    )
    RIGHT_ALIGNED = frozenset({2, 3, 4, 5})
    KEY = "path"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup: BackupInfo = self.item(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(backup, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.DecorationRole and column == 6:
            colours = theme.colours()
            if backup.verified:
                return icons.icon("circle-check", colours.success)
            return icons.icon("triangle-alert", colours.warning)
        if role == Qt.ItemDataRole.ToolTipRole:
            problem = f"\nNot verified: {backup.problem}" if not backup.verified else ""
            return f"{backup.path}{problem}"
        return None

    @staticmethod
    def _text(backup: BackupInfo, column: int) -> str:
        counts = (backup.clients, backup.visits, backup.invoices)
        if column == 0:
            return format_moment(backup.made_at)
        if column == 1:
            return reason_text(backup.reason)
        if column == 2:
            return size_text(backup.size)
        if 3 <= column <= 5:
            value = counts[column - 3]
            return "" if value is None else f"{value:,}"
        if column == 6:
            return "Verified" if backup.verified else "Not verified"
        return "Second copy" if backup.second_copy else "This computer"


class RestoreDialog(QDialog):
    """Lists the backups; `chosen` is the one the therapist confirmed restoring."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.chosen: BackupInfo | None = None
        self.setWindowTitle("Restore from backup")
        self.setMinimumSize(900, 460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(
            muted(
                "Choose the backup to go back to. The practice as it is now is kept as a "
                "backup first, so a restore can itself be undone from this list."
            )
        )
        self.model = BackupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAccessibleName("Backups")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.empty = EmptyState(
            "archive",
            "No backups yet",
            "Fascia backs up when it closes and every 30 minutes while you work.",
            "Close",
            self.reject,
            button_icon="x",
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = self.buttons.addButton(
            "Restore…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setIcon(icons.icon("archive-restore"))
        self.restore_button.setProperty("primary", True)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_restore_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QueryOp(self, lambda: all_backups(data_dir), self._show).run()

    def _show(self, backups: list[BackupInfo]) -> None:
        self.model.set_rows(backups)
        self.pages.setCurrentWidget(self.table if backups else self.empty)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        if backups:
            self.table.selectRow(0)
            self.table.setFocus()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.item(rows[0].row()) if rows else None

    def _on_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self._on_restore_clicked()

    def _on_restore_clicked(self) -> None:
        backup = self.selected()
        if backup is not None and confirm_restore(self, backup):
            self.chosen = backup
            self.accept()


def confirm_restore(parent: QWidget, backup: BackupInfo) -> bool:
    """Say what restoring does and ask; True to go ahead."""
    when = format_moment(backup.made_at)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Restore this backup?")
    box.setText(f"Go back to the practice as it was on {when}?")
    unverified = (
        ""
        if backup.verified
        else "\n\nThis copy was not verified when it was made; Fascia checks it before using it "
        "and refuses it if it is damaged."
    )
    box.setInformativeText(
        f"The backup holds {backup.contents}. First the practice as it is now is kept as "
        f"a backup (it stays in this list), then it is replaced by this copy. Anything recorded "
        f"after {when} is not in it. The practice closes and opens again when it is done."
        + unverified
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    restore.setProperty("danger", True)
    restore.style().unpolish(restore)
    restore.style().polish(restore)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is restore
