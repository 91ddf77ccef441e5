"""Questions the schedule asks before a write: go ahead despite warnings, mark a no-show."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from practice.schedule.records import SlotWarning


def warnings_text(warnings: Sequence[SlotWarning]) -> str:
    return "\n".join(f"• {w.message}" for w in warnings)


def go_ahead(parent: QWidget, title: str, text: str, action: str) -> bool:
    """A plain yes/no with the action named on the button (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent.window())
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep as it was", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes
