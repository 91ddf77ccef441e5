"""Audit viewer: every create, update, sign, amend and print, filtered by client and date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.clients import service as clients
from practice.store import Database
from practice.store.audit import AuditRecord, list_entries
from ui.widgets import dates

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When", "Who", "Action", "Record", "Summary")


class AuditModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRecord] = []
        self._names: dict[int, str] = {}

    def set_rows(self, rows: list[AuditRecord], names: dict[int, str]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._names = names
        self.endResetModel()

    def record(self, row: int) -> AuditRecord:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return dates.moment(entry.at)
        if column == 1:
            return entry.actor
        if column == 2:
            return entry.action
        if column == 3:
            record = entry.entity.replace("_", " ")
            if entry.client_id is not None:
                record += f" · {self._names.get(entry.client_id, f'client {entry.client_id}')}"
            return record
        return entry.summary


class AuditViewer(QDialog):
    def __init__(
        self, db: Database, parent: QWidget | None = None, client_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Audit trail")
        self.resize(1100, 640)
        self.model = AuditModel(self)

        self.client = QComboBox()
        self.client.setMinimumContentsLength(28)
        self.client.setAccessibleName("Client")
        self.client.addItem("All clients", None)
        for row in clients.search_clients(db, include_archived=True):
            self.client.addItem(row.display_name, row.id)
        if client_id is not None:
            self.client.setCurrentIndex(max(self.client.findData(client_id), 0))
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit, name in ((self.since, "From"), (self.until, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        apply = QPushButton("Show")
        apply.setProperty("primary", True)
        apply.setDefault(True)
        apply.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in (("Client", self.client), ("From", self.since), ("To", self.until)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            caption.setProperty("muted", True)
            filters.addWidget(caption)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(apply)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 110, 80, 240)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an entry to see the old and new values.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([440, 160])
        self.count = QLabel()
        self.count.setProperty("muted", True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        self.refresh()

    def refresh(self) -> None:
        since = datetime.combine(self.since.date().toPython(), time.min).astimezone(UTC)
        until = datetime.combine(self.until.date().toPython(), time.min).astimezone(UTC)
        rows = list_entries(
            self.db,
            client_id=self.client.currentData(),
            since=since,
            until=until + timedelta(days=1),
        )
        names = {
            self.client.itemData(i): self.client.itemText(i) for i in range(1, self.client.count())
        }
        self.model.set_rows(rows, names)
        self.details.clear()
        self.count.setText(
            f"{len(rows):,} entr{'y' if len(rows) == 1 else 'ies'}"
            if rows
            else "No audit entries for this client and period."
        )

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.model.record(current.row())
        lines = [
            f"{entry.summary}",
            f"{entry.action} {entry.entity} #{entry.entity_id} "
            f"by {entry.actor} at {dates.moment(entry.at)}",
            "",
        ]
        for field, change in entry.changes.items():
            old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
            lines.append(f"{field}: {_show(old)} → {_show(new)}")
        self.details.setPlainText("\n".join(lines))


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) < 200 else text[:197] + "…"
    return str(value)
