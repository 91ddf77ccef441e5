"""A compact one-line legend of body map symbols and line styles, drawn as on the chart."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QWidget

from practice.bodymap import View
from practice.bodymap.chart import SYMBOL_NAMES, PointSymbol, StrokeKind, SymbolKind
from practice.bodymap.style import PAPER
from ui.bodymap.scene import (
    SYMBOL_RADIUS,
    TARGET_RADIUS,
    SymbolItem,
    TargetItem,
    referral_brush,
    referral_pen,
    stroke_pen,
)
from ui.widgets.flow import FlowLayout

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


def target_pixmap(size: int = SWATCH) -> QPixmap:
    """A muscle's catalogue trigger point, as the overlay draws it."""
    pixmap = QPixmap(int(size * RATIO), int(size * RATIO))
    pixmap.setDevicePixelRatio(RATIO)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size / 2, size / 2)
    scale = (size / 2 - 1) / (TARGET_RADIUS * 1.45)
    painter.scale(scale, scale)
    TargetItem(0, 0).paint(painter, None)  # type: ignore[arg-type]
    painter.end()
    return pixmap


def zone_pixmap(primary: bool, width: int = 28, height: int = SWATCH) -> QPixmap:
    """A swatch of a referral zone: hatched with a solid border (main) or dotted (spillover)."""
    pixmap = QPixmap(int(width * RATIO), int(height * RATIO))
    pixmap.setDevicePixelRatio(RATIO)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = referral_pen(primary)
    pen.setWidthF(pen.widthF() * 0.8)
    painter.setPen(pen)
    painter.setBrush(referral_brush(primary))
    painter.drawRoundedRect(QRectF(1.5, 2.5, width - 3, height - 5), 2, 2)
    painter.end()
    return pixmap


def _add_items(layout: QLayout, items: list[tuple[QPixmap, str]]) -> list[QLabel]:
    """Each swatch with its name, as one piece that a wrapping layout never splits."""
    labels = []
    for pixmap, text in items:
        piece = QWidget()
        row = QHBoxLayout(piece)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(4)
        icon = QLabel()
        icon.setPixmap(pixmap)
        # Drawn in the chart's own ink, so shown on the chart's paper in either scheme.
        icon.setStyleSheet(f"background: {PAPER}; border-radius: 3px; padding: 1px;")
        name = QLabel(text)
        name.setProperty("muted", True)
        row.addWidget(icon)
        row.addWidget(name)
        layout.addWidget(piece)
        labels.append(name)
    return labels


class ReferralLegend(QWidget):
    """The key to a muscle's referral overlay: its trigger points, main and spillover zones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self, spacing=8)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        layout.addWidget(self.title)
        _add_items(
            layout,
            [
                (target_pixmap(), "trigger point (catalogue)"),
                (zone_pixmap(True), "main referral zone"),
                (zone_pixmap(False), "spillover zone"),
            ],
        )

    def set_muscle(self, label: str | None) -> None:
        """Show the key for a muscle's overlay, or hide it (None)."""
        self.title.setText(f"{label}:" if label else "")
        self.setVisible(label is not None)


class Legend(QWidget):
    """Symbol shapes and line styles with their names, in one row, wrapping when narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self, spacing=8)
        items: list[tuple[QPixmap, str]] = [
            (symbol_pixmap(kind), SYMBOL_NAMES[kind]) for kind in SymbolKind
        ]
        items += [
            (stroke_pixmap(StrokeKind.RADIATING), "radiating"),
            (stroke_pixmap(StrokeKind.NUMBNESS), "numbness"),
        ]
        _add_items(layout, items)
        self._layout = layout

    def add_trailing(self, widget: QWidget) -> None:
        """A widget at the right end of the legend's last line (the chart's figures)."""
        self._layout.add_stretch()
        self._layout.addWidget(widget)
