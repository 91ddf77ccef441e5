"""Verifying the record seals in the background: quietly at open, with progress on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from practice.store import staff
from practice.store.seal.verify import Verification, verify_records
from ui.ops import QueryOp

if TYPE_CHECKING:
    from practice.progress import Progress
    from practice.store.database import Database

TITLE = "Records were changed outside Fascia"
EXPLANATION = (
    "Some final records (signed notes, issued invoices, payments, the audit trail ...) no "
    "longer match the seals Fascia wrote when they were made final. Someone changed the "
    "practice file with another program. Keep this computer as it is, compare with a backup "
    "(File > Restore from backup shows them), and see the details below."
)


def check_at_open(parent: QWidget, db: Database) -> None:
    """Verify in the background (when every record is readable to the person signed in); say
    something only when a record fails."""
    if not staff.reads_everything(db):
        return
    QueryOp(parent, lambda: verify_records(db), lambda result: _warn(parent, result)).run(
        key="records-check"
    )


def verify_now(parent: QWidget, db: Database) -> None:
    """Help > Verify records: with progress, and an answer either way."""

    def work(progress: Progress) -> Verification:
        return verify_records(db, progress)

    def done(result: Verification) -> None:
        if result.ok:
            _show(parent, QMessageBox.Icon.Information, "Records verified", result.summary())
        else:
            _warn(parent, result)

    QueryOp(parent, work, done).with_progress("Verifying records…", cancellable=True).run(
        key="records-check"
    )


def _warn(parent: QWidget, result: Verification) -> QMessageBox | None:
    if result.ok:
        return None
    text = f"{result.summary()}\n\n{EXPLANATION}"
    box = _show(parent, QMessageBox.Icon.Warning, TITLE, text, "RecordsWarning")
    box.setDetailedText("\n".join(result.problems))
    return box


def _show(
    parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, name: str = "RecordsVerified"
) -> QMessageBox:
    box = QMessageBox(icon, title, text)
    box.setParent(parent.window(), box.windowFlags())
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal, no nested event loop
    return box
