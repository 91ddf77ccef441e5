"""Columns side by side while they fit, one under the other when the window is narrow."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget

Direction = QBoxLayout.Direction


class Columns(QWidget):
    """A row of columns (layouts) that stacks them when it is narrower than they need side by
    side, so a form grows taller instead of running off to the right."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 24) -> None:
        super().__init__(parent)
        self._box = QBoxLayout(Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(spacing)

    def add_column(self, column: QLayout) -> None:
        self._box.addLayout(column, 1)

    def side_by_side(self) -> bool:
        return self._box.direction() == Direction.LeftToRight

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest column: narrower than all of them, they stack."""
        hint = super().minimumSizeHint()
        widest = max((self._column_min(i) for i in range(self._box.count())), default=0)
        return QSize(widest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        count = self._box.count()
        needed = sum(self._column_min(i) for i in range(count))
        needed += self._box.spacing() * max(0, count - 1)
        direction = Direction.LeftToRight if self.width() >= needed else Direction.TopToBottom
        if direction != self._box.direction():
            self._box.setDirection(direction)

    def _column_min(self, index: int) -> int:
        item = self._box.itemAt(index)
        return item.minimumSize().width() if item is not None else 0
