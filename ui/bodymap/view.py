"""A QGraphicsView for the body map: antialiased, fitted on resize, Ctrl+wheel zoom, Ctrl+0 fit."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from practice.bodymap.style import PAPER

MAX_ZOOM = 8.0
FIT_MARGIN = 6.0


class BodyMapView(QGraphicsView):
    """Shows a BodyMapScene; reports mouse presses, drags and hovers in scene coordinates."""

    pressed = Signal(QPointF)
    dragged = Signal(QPointF)
    released = Signal(QPointF)
    hovered = Signal(QPointF)
    left = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # The chart's paper in either scheme: its inks (and R/L marks) are made for it.
        self.setBackgroundBrush(QColor(PAPER))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setMouseTracking(True)
        self._fitted = True
        self._pressed = False
        fit = QShortcut(QKeySequence("Ctrl+0"), self)
        fit.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        fit.setWhatsThis("Fit the figure to the view")  # listed in Help > Keyboard shortcuts
        fit.activated.connect(self.fit)

    def fit(self) -> None:
        """Show the whole drawing (Ctrl+0)."""
        self._fitted = True
        rect = self.sceneRect().adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        fitted = self._fit_scale()
        target = min(max(current * factor, fitted), fitted * MAX_ZOOM)
        if target <= fitted * 1.001:
            self.fit()
            return
        self._fitted = False
        self.scale(target / current, target / current)

    def _fit_scale(self) -> float:
        rect = self.sceneRect()
        viewport = self.viewport().rect()
        if rect.isEmpty() or viewport.isEmpty():
            return 1.0
        return min(
            (viewport.width()) / (rect.width() + 2 * FIT_MARGIN),
            (viewport.height()) / (rect.height() + 2 * FIT_MARGIN),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom(1.2**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = True
            self.pressed.emit(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = self.mapToScene(event.position().toPoint())
        if self._pressed:
            self.dragged.emit(point)
        self.hovered.emit(point)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._pressed:
            self._pressed = False
            self.released.emit(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: object) -> None:
        self.left.emit()
        super().leaveEvent(event)  # type: ignore[arg-type]
