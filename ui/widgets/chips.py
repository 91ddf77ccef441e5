"""Status chips: a word (and often a glyph) on a tinted pill. The word carries the meaning;
the colour only repeats it (UI.md: never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui import theme

KINDS = ("info", "warning", "danger", "success", "muted")


def chip_colours(kind: str) -> tuple[str, str]:
    """(text and border, background) of a chip kind in the current scheme."""
    c = theme.colours()
    return {
        "info": (c.info, c.info_bg),
        "warning": (c.warning, c.warning_bg),
        "danger": (c.danger, c.danger_bg),
        "success": (c.success, c.surface_alt),
        "muted": (c.muted, c.surface_alt),
    }[kind]


def chip_style(kind: str) -> str:
    fg, bg = chip_colours(kind)
    return (
        f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid {fg}; "
        "border-radius: 10px; padding: 1px 9px; font-weight: 600; }"
    )


class Chip(QLabel):
    def __init__(self, text: str = "", kind: str = "muted", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(self.sizePolicy().Policy.Maximum, self.sizePolicy().Policy.Fixed)
        self.set_chip(text, kind)

    def set_chip(self, text: str, kind: str, *, accessible: str | None = None) -> None:
        self.kind = kind
        self.setText(text)
        self.setAccessibleName(accessible or text)
        self.setStyleSheet(chip_style(kind))
