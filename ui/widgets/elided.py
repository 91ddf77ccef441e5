"""A one-line label that shortens its text with an ellipsis when narrow, full text in a tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

# Narrower than this a name says nothing at all: the layout gives it at least this much.
MIN_CHARACTERS = 8


class ElidedLabel(QLabel):
    """Plain text on one line; `text()` stays whole, only the drawing is shortened.

    The text's width is measured once per text and font (shaping a name or a line of details
    took 40-70 µs each time, and a client's header asked four to six times per open), and the
    tooltip is worked out when the pointer rests on the label, not on every change.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._width: int | None = None  # the whole text's, in this font
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:
        if text != self.text():
            self._width = None
        super().setText(text)

    def text_width(self) -> int:
        """The whole text's width in pixels, unshortened."""
        if self._width is None:
            self._width = self.fontMetrics().horizontalAdvance(self.text())
        return self._width

    def is_elided(self) -> bool:
        return self.text_width() > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * MIN_CHARACTERS, metrics.height())

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        width = self.text_width() + margins.left() + margins.right() + 2
        return QSize(width, metrics.height() + margins.top() + margins.bottom())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._width = None
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if self.toolTip():  # one set by hand is shown as usual
                return super().event(event)
            if self.is_elided():  # the whole text, where the label shows only its start
                QToolTip.showText(event.globalPos(), self.text(), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.text()
        if self.text_width() > rect.width():
            shown = self.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)
