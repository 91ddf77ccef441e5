"""Status chips for plans and goals: a word and a glyph on a tinted pill, never colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from practice.plans.records import GoalStatus, PlanStatus
from ui import theme

# kind, glyph: the word carries the meaning, the glyph and colour help the eye.
PLAN_STATUS = {
    PlanStatus.ACTIVE: ("info", "●"),
    PlanStatus.ON_HOLD: ("warning", "‖"),
    PlanStatus.COMPLETED: ("success", "✓"),
    PlanStatus.DISCHARGED: ("muted", "■"),
}
GOAL_STATUS = {
    GoalStatus.NOT_MET: ("muted", "○"),
    GoalStatus.PARTIAL: ("warning", "◑"),
    GoalStatus.MET: ("success", "✓"),
}


def chip_colours(kind: str) -> tuple[str, str]:
    """(text and border, background) of a chip kind in the current scheme."""
    c = theme.colours()
    return {
        "info": (c.info, c.info_bg),
        "warning": (c.warning, c.warning_bg),
        "danger": (c.danger, c.danger_bg),
        "success": (c.success, c.surface),
        "muted": (c.muted, c.surface_alt),
    }[kind]


class Chip(QLabel):
    def __init__(self, text: str = "", kind: str = "muted", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(self.sizePolicy().Policy.Maximum, self.sizePolicy().Policy.Fixed)
        self.set_chip(text, kind)

    def set_chip(self, text: str, kind: str) -> None:
        self.kind = kind
        self.setText(text)
        self.setAccessibleName(text)
        fg, bg = chip_colours(kind)
        self.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid {fg}; "
            "border-radius: 10px; padding: 1px 9px; font-weight: 600; }"
        )


def goal_status_chip(status: GoalStatus) -> Chip:
    kind, glyph = GOAL_STATUS[status]
    return Chip(f"{glyph} {status.label}", kind)
