"""Table model over ClientRow records from the service; data() only reads that cache."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from practice.clients.records import ClientRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Born", "Phone", "Email")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ClientListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ClientRow] = []

    def set_rows(self, rows: list[ClientRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, client_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == client_id:
                return i
        return None

    def client_id(self, row: int) -> int:
        return self._rows[row].id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{row.display_name} (archived)" if row.archived else row.display_name
            if col == 1:
                return _born(row.date_of_birth)
            if col == 2:
                return row.phone
            return row.email
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return row.display_name
        return None


def _born(day: date | None) -> str:
    return day.isoformat() if day else ""
