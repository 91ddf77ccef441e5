"""A compact one-line legend of body map symbols and line styles, drawn as on the chart."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from practice.bodymap import View
from practice.bodymap.chart import SYMBOL_NAMES, PointSymbol, StrokeKind, SymbolKind
from ui.bodymap.scene import SYMBOL_RADIUS, SymbolItem, stroke_pen

SWATCH = 18
RATIO = 2.0


def symbol_pixmap(kind: SymbolKind, size: int = SWATCH) -> QPixmap:
    pixmap = QPixmap(int(size * RATIO), int(size * RATIO))
    pixmap.setDevicePixelRatio(RATIO)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size / 2, size / 2)
    scale = (size / 2 - 1.5) / (SYMBOL_RADIUS + 0.7)
    painter.scale(scale, scale)
    SymbolItem(PointSymbol(kind, View.FRONT, 0, 0)).paint(painter, None)  # type: ignore[arg-type]
    painter.end()
    return pixmap


def stroke_pixmap(kind: StrokeKind, width: int = 28, height: int = SWATCH) -> QPixmap:
    pixmap = QPixmap(int(width * RATIO), int(height * RATIO))
    pixmap.setDevicePixelRatio(RATIO)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(stroke_pen(kind))
    painter.drawLine(QPointF(1, height / 2), QPointF(width - 1, height / 2))
    painter.end()
    return pixmap


class Legend(QWidget):
    """Symbol shapes and line styles with their names, in one row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        items: list[tuple[QPixmap, str]] = [
            (symbol_pixmap(kind), SYMBOL_NAMES[kind]) for kind in SymbolKind
        ]
        items += [
            (stroke_pixmap(StrokeKind.RADIATING), "radiating"),
            (stroke_pixmap(StrokeKind.NUMBNESS), "numbness"),
        ]
        for pixmap, text in items:
            icon = QLabel()
            icon.setPixmap(pixmap)
            name = QLabel(text)
            name.setProperty("muted", True)
            layout.addWidget(icon)
            layout.addWidget(name)
            layout.addSpacing(8)
        layout.addStretch(1)
