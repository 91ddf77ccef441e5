"""The invoice editor in its own window, for the client's Billing and Visits tabs."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from practice.store import Database
from ui.billing.invoice_editor import InvoiceEditor
from ui.ops import Refresh


class InvoiceDialog(QDialog):
    """The invoice editor in its own window, for the client's Billing and Visits tabs."""

    def __init__(self, db: Database, invoice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(1040, 620)
        self.editor = InvoiceEditor(db)
        self.editor.load(invoice_id)
        self._title = Refresh(self, {"invoice"}, self._update_title)
        self.editor.deleted.connect(lambda _id: self.accept())
        self.editor.open_invoice.connect(self.editor.load)
        self._update_title()
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.editor.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.editor)

    def _update_title(self, *_args: object) -> None:
        self.setWindowTitle(self.editor.title.text() or "Invoice")

    def done(self, result: int) -> None:
        if self.editor.is_dirty():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "The draft has changes that are not saved yet. Save them first?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.editor.save():
                return
            if answer == QMessageBox.StandardButton.Discard:
                self.editor.reload()
        self.editor.leave()
        super().done(result)
