"""The page a list shows while it has nothing: an icon, what is missing, why, and the way on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import icons, theme
from ui.widgets.forms import muted


class EmptyState(QWidget):
    """Centred icon, title and hint over a primary button (`button`) that starts the first item.

    A hint that is a sentence or two wraps within `hint_width`; a short one stays on one line.
    """

    def __init__(
        self,
        icon: str,
        title: str,
        hint: str,
        button_text: str,
        on_click: Callable[[], object],
        *,
        button_icon: str = "plus",
        hint_width: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addStretch(1)
        picture = QLabel()
        picture.setPixmap(icons.pixmap(icon, 40, theme.colours().muted))
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(title)
        self.title.setProperty("role", "title")
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hint = muted(hint, wrap=hint_width is not None)
        if hint_width is None:
            layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        else:
            # Centred by stretches, not by an alignment: an aligned label is given the height
            # of its widest lines, and a narrower page would cut off the lines it wraps into.
            self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.hint.setMaximumWidth(hint_width)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.hint, 100)
            row.addStretch(1)
            layout.addLayout(row)
        self.button = QPushButton(icons.icon(button_icon, theme.colours().accent_text), button_text)
        self.button.setProperty("primary", True)
        self.button.clicked.connect(on_click)
        layout.addSpacing(8)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
