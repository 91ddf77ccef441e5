"""The status line: any widget says what just happened, its window's status bar shows it.

    say(self, f"Invoice {number} issued")

No signal is relayed from tab to workspace to page to window: the main window listens once
(`status_line().said`) and shows what is said by widgets in its own window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class StatusLine(QObject):
    said = Signal(object, str)  # the window the saying widget is in, the message


_LINE: StatusLine | None = None


def status_line() -> StatusLine:
    global _LINE
    if _LINE is None:
        _LINE = StatusLine()
    return _LINE


def say(widget: QWidget, message: str) -> None:
    """Show `message` in the status bar of the window `widget` is in (a dialog's parent's)."""
    window = widget.window()
    while window.parentWidget() is not None:  # a dialog: the window it belongs to
        window = window.parentWidget().window()
    status_line().said.emit(window, message)
