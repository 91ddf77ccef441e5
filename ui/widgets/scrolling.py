"""The middle of a tall dialog, scrolling when the screen is too short for all of it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QScrollArea, QWidget

SCREEN_ROOM = 64  # left above and below a dialog for the title bar and the desktop's panels


class ScrollingBody(QScrollArea):
    """Asks for the whole height of what it holds, so a dialog opens as tall as its content
    where the screen allows; on a short screen (125% on a 1280x720 laptop) the dialog fits
    the screen and this part scrolls, while the title and the buttons stay in view."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the first field takes the focus, not this

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        width = content.sizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width, content.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(), 120)


def fit_to_screen(dialog: QDialog) -> None:
    """Open the dialog as tall as it asks, but no taller than the screen it opens on."""
    screen = dialog.screen().availableGeometry()
    hint = dialog.sizeHint()
    dialog.resize(
        max(hint.width(), dialog.minimumWidth()), min(hint.height(), screen.height() - SCREEN_ROOM)
    )
