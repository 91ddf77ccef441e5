"""Ctrl+K: type a few letters of a name, phone or email and jump to that client."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from practice.clients import service
from practice.store import Database
from ui.widgets import dates

LIMIT = 30


class QuickSwitcher(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.chosen: int | None = None
        self._ids: list[int] = []
        self.setWindowTitle("Go to client")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.query = QLineEdit()
        self.query.setPlaceholderText("Type a name, phone or email, then Enter")
        self.query.setAccessibleName("Client to go to")
        self.query.textChanged.connect(self._on_query_text_changed)
        self.query.installEventFilter(self)
        self.results = QListView()
        self.model = QStringListModel(self)
        self.results.setModel(self.model)
        self.results.setMinimumHeight(300)
        self.results.activated.connect(self._on_results_activated)
        self.hint = QLabel("↑↓ to choose · Enter to open · Esc to close")
        self.hint.setProperty("muted", True)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.hint)
        self._on_query_text_changed("")

    def _on_query_text_changed(self, text: str) -> None:
        rows = service.search_clients(self.db, text, limit=LIMIT)
        self._ids = [r.id for r in rows]
        labels = [
            f"{r.display_name}   {dates.day(r.date_of_birth)}   {r.phone}".rstrip() for r in rows
        ]
        self.model.setStringList(labels or ["No matching client"])
        if rows:
            self.results.setCurrentIndex(self.model.index(0))

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if (
            watched is self.query
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
        ):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.results.currentIndex().row()
                row += 1 if event.key() == Qt.Key.Key_Down else -1
                if 0 <= row < len(self._ids):
                    self.results.setCurrentIndex(self.model.index(row))
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_results_activated(self.results.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _on_results_activated(self, index) -> None:  # type: ignore[no-untyped-def]
        if index.isValid() and index.row() < len(self._ids):
            self.chosen = self._ids[index.row()]
            self.accept()
