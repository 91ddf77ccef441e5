"""A layout that places widgets left to right and wraps them onto new lines (chips, toolbars)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget


class FlowLayout(QLayout):
    """Lays items out left to right, wrapping onto new lines (Qt's flow layout example).

    A stretch (`add_stretch`) takes the room its line leaves over, so what follows it sits at
    the line's right end: a toolbar keeps its trailing buttons on the right while they fit
    and wraps them onto a line of their own, right-aligned, when the window is narrow.
    Hidden widgets take no room. Items in a line are centred on the line's height.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8) -> None:
        self._heights: dict[int, int] = {}  # height for a width, until the items change
        self._items: list[QLayoutItem] = []
        super().__init__(parent)  # may invalidate already
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:
        self._heights.clear()
        self._items.append(item)

    def add_stretch(self) -> None:
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        self._heights.clear()
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """Asked many times per layout pass (each enclosing layout asks): kept per width until
        an item or its size changes (Qt calls `invalidate` then)."""
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), move=False)
        return height

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown)
        width += self.spacing() * max(0, len(shown) - 1)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty() or _is_stretch(item)]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        """The items of each line; what follows a stretch wraps together, still at the right."""
        lines: list[list[QLayoutItem]] = [[]]
        for item in self._shown():
            line = lines[-1]
            if line and not _is_stretch(item) and self._width([*line, item]) > width:
                lines.append(self._trailing_group(line))
            lines[-1].append(item)
        return [line for line in lines if any(not _is_stretch(item) for item in line)]

    @staticmethod
    def _trailing_group(line: list[QLayoutItem]) -> list[QLayoutItem]:
        """Take what follows the line's last stretch, with the stretch: it wraps as a group."""
        last = max((i for i, item in enumerate(line) if _is_stretch(item)), default=0)
        if last == 0:
            return []
        group = line[last:]
        del line[last:]
        return group

    def _width(self, line: list[QLayoutItem]) -> int:
        return sum(item.sizeHint().width() for item in line) + self.spacing() * (len(line) - 1)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        gap = self.spacing()
        y = rect.y()
        for line in self._lines(rect.width()):
            sizes = [self._fitted(item, rect.width()) for item in line]
            height = max(size.height() for size in sizes)
            used = sum(size.width() for size in sizes) + gap * (len(line) - 1)
            stretches = [item for item in line if _is_stretch(item)]
            spare = max(0, rect.width() - used)
            x = rect.x()
            for item, size in zip(line, sizes, strict=True):
                width = size.width()
                if _is_stretch(item):
                    width += spare // len(stretches)
                if move:
                    top = y + (height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, size.height())))
                x += width + gap
            y += height + gap
        return max(0, y - gap - rect.y())

    @staticmethod
    def _fitted(item: QLayoutItem, width: int) -> QSize:
        """The item's preferred size, but no wider than a line (text that wraps grows taller)."""
        hint = item.sizeHint()
        if hint.width() <= width:
            return hint
        narrow = max(width, item.minimumSize().width())
        if item.hasHeightForWidth():
            return QSize(narrow, item.heightForWidth(narrow))
        return QSize(narrow, hint.height())


def _is_stretch(item: QLayoutItem) -> bool:
    spacer = item.spacerItem()
    return spacer is not None and bool(spacer.expandingDirections() & Qt.Orientation.Horizontal)
