"""The invoice editor in its own window, for the client's Billing and Visits tabs.

`open_invoice` shows one once its invoice is read, in a window built while the main window was
idle (`prepare`) when there is one: billing a visit then neither builds nor reads on the click.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from practice.store import Database
from ui.billing.invoice_editor import InvoiceEditor
from ui.ops import Refresh


class InvoiceDialog(QDialog):
    """The invoice editor in its own window, for the client's Billing and Visits tabs."""

    def __init__(
        self, db: Database, invoice_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setMinimumSize(1040, 620)
        self.editor = InvoiceEditor(db)
        if invoice_id is not None:
            self.editor.load(invoice_id)
        self._title = Refresh(self, {"invoice"}, self._update_title)
        self.editor.deleted.connect(lambda _id: self.accept())
        self.editor.open_invoice.connect(self.editor.load)
        self.editor.shown.connect(self._update_title)
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
                self.editor.revert()
        self.editor.leave()
        super().done(result)


_spares: list[InvoiceDialog] = []  # built while idle, one per main window, each used once


def prepare(db: Database, window: QWidget) -> None:
    """Build (and style) an invoice window for `window` now, for the next invoice it opens."""
    if not any(_usable(d, db, window) for d in _spares):
        dialog = InvoiceDialog(db, None, window)
        dialog.ensurePolished()
        _spares.append(dialog)


def open_invoice(
    db: Database,
    invoice_id: int,
    parent: QWidget,
    then: Callable[[InvoiceDialog], None] | None = None,
) -> InvoiceDialog:
    """The invoice in its own window (modal to `parent`'s), opened once the invoice is read;
    `then(dialog)` after that. Returns the window at once."""
    window = parent.window()
    _spares[:] = [d for d in _spares if shiboken6.isValid(d)]
    dialog = next((d for d in _spares if _usable(d, db, window)), None)
    if dialog is None:
        dialog = InvoiceDialog(db, None, window)
    else:
        _spares.remove(dialog)
    again = partial(_again, db, window)
    dialog.finished.connect(lambda _r: QTimer.singleShot(SPARE_AFTER_MS, again))

    def shown() -> None:
        dialog.open()
        if then is not None:
            then(dialog)

    dialog.editor.load(invoice_id, shown)
    return dialog


SPARE_AFTER_MS = 1000  # after an invoice window closes, the next is built when idle


def _again(db: Database, window: QWidget) -> None:
    if shiboken6.isValid(window) and not db.replacing:
        prepare(db, window)


def _usable(dialog: InvoiceDialog, db: Database, window: QWidget) -> bool:
    return shiboken6.isValid(dialog) and dialog.editor.db is db and dialog.parentWidget() is window
