"""Lucide icons (ISC licence, resources/icons/) tinted to the current scheme."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from practice.paths import resource
from ui import theme


@cache
def _svg(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text(encoding="utf-8")


def pixmap(name: str, size: int = 18, colour: str | None = None, ratio: float = 2.0) -> QPixmap:
    svg = _svg(name).replace("currentColor", colour or theme.colours().text)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    px = QPixmap(int(size * ratio), int(size * ratio))
    px.fill(Qt.GlobalColor.transparent)
    painter = QPainter(px)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    px.setDevicePixelRatio(ratio)
    return px


def icon(name: str, colour: str | None = None) -> QIcon:
    result = QIcon()
    result.addPixmap(pixmap(name, 18, colour))
    result.addPixmap(pixmap(name, 24, colour))
    return result
