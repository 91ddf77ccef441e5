"""Lucide icons (ISC licence, resources/icons/) tinted to the current scheme."""

from __future__ import annotations

import atexit
from functools import cache, lru_cache

import shiboken6
from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyle, QStyleOption, QWidget

from practice.paths import resource
from ui import theme


@cache
def _svg(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text(encoding="utf-8")


def pixmap(name: str, size: int = 18, colour: str | None = None, ratio: float = 2.0) -> QPixmap:
    return _drawn(name, size, colour or theme.colours().text, ratio)


@lru_cache(maxsize=1024)
def _drawn(name: str, size: int, colour: str, ratio: float) -> QPixmap:
    """An icon drawn once per session in each size and colour (a copy of a QPixmap shares its
    pixels: opening a client draws its tabs' icons from here, not from the SVG again)."""
    svg = _svg(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    px = QPixmap(int(size * ratio), int(size * ratio))
    px.fill(Qt.GlobalColor.transparent)
    painter = QPainter(px)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    px.setDevicePixelRatio(ratio)
    return px


atexit.register(_drawn.cache_clear)  # while the application still exists


def icon(name: str, colour: str | None = None) -> QIcon:
    result = QIcon()
    result.addPixmap(pixmap(name, 18, colour))
    result.addPixmap(pixmap(name, 24, colour))
    return result


SP = QStyle.StandardPixmap
# Every icon Qt itself puts on screen (message boxes, the clear button of a search field, file
# dialogs, dialog buttons), drawn from Lucide like the rest: (icon, colour name in the theme).
STOCK = {
    SP.SP_MessageBoxInformation: ("info", "info"),
    SP.SP_MessageBoxQuestion: ("circle-help", "info"),
    SP.SP_MessageBoxWarning: ("triangle-alert", "warning"),
    SP.SP_MessageBoxCritical: ("circle-x", "danger"),
    SP.SP_LineEditClearButton: ("x", "muted"),
    SP.SP_DialogOkButton: ("check", "text"),
    SP.SP_DialogYesButton: ("check", "text"),
    SP.SP_DialogApplyButton: ("check", "text"),
    SP.SP_DialogCancelButton: ("x", "text"),
    SP.SP_DialogNoButton: ("x", "text"),
    SP.SP_DialogCloseButton: ("x", "text"),
    SP.SP_DialogDiscardButton: ("x", "text"),
    SP.SP_DialogSaveButton: ("save", "text"),
    SP.SP_DialogOpenButton: ("folder-open", "text"),
    SP.SP_TitleBarCloseButton: ("x", "text"),
    SP.SP_TabCloseButton: ("x", "text"),
    SP.SP_DirIcon: ("folder", "muted"),
    SP.SP_DirOpenIcon: ("folder-open", "muted"),
    SP.SP_DirClosedIcon: ("folder", "muted"),
    SP.SP_FileIcon: ("file", "muted"),
    SP.SP_FileDialogToParent: ("arrow-up", "text"),
    SP.SP_ArrowUp: ("arrow-up", "text"),
    SP.SP_ArrowLeft: ("arrow-left", "text"),
    SP.SP_ArrowBack: ("arrow-left", "text"),
    SP.SP_ArrowRight: ("arrow-right", "text"),
    SP.SP_ArrowForward: ("arrow-right", "text"),
}


_STYLE: LucideStyle | None = None


def lucide_style() -> LucideStyle:
    """The one LucideStyle of the application (QApplication owns it once set)."""
    global _STYLE
    if _STYLE is None or not shiboken6.isValid(_STYLE):
        _STYLE = LucideStyle()
    return _STYLE


class LucideStyle(theme.ThemedStyle):
    """The theme's style, with Lucide icons wherever Qt would use its own (one icon set)."""

    def standardIcon(
        self,
        standard: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        if standard in STOCK:
            name, colour = STOCK[standard]
            return icon(name, getattr(theme.colours(), colour))
        return super().standardIcon(standard, option, widget)
