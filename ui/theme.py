"""Named colours for light and dark schemes, the stylesheet and the Fusion palette.

The stylesheet is set on each top-level window (the main window, a parentless dialog, menu or
message box), never on the QApplication: an application stylesheet makes Qt restyle every
widget each time it is put into another (a tab's widgets are assembled bottom-up, then added),
which made building a screen 2-10x slower than bare (tests/bench/bench_styling.py). A window's
sheet reaches everything inside it with the same rules, once, as a built screen is added.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QWidget,
)

from practice.paths import resource


@dataclass(frozen=True, slots=True)
class Colours:
    background: str
    surface: str
    surface_alt: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    danger: str
    danger_bg: str
    warning: str
    warning_bg: str
    info: str
    info_bg: str
    success: str
    selection: str


LIGHT = Colours(
    background="#f4f5f7",
    surface="#ffffff",
    surface_alt="#f9fafb",
    border="#d6dae0",
    text="#1d2329",
    muted="#56606b",
    accent="#1f6f8b",
    accent_text="#ffffff",
    danger="#b42318",
    danger_bg="#fdecea",
    warning="#8a4a00",
    warning_bg="#fff4e0",
    info="#1d5fa8",
    info_bg="#eaf3fc",
    success="#1f7a4d",
    selection="#d3e7ef",
)
DARK = Colours(
    background="#17191c",
    surface="#212429",
    surface_alt="#1c1f23",
    border="#3a3f47",
    text="#e6e8eb",
    muted="#b0b8c2",
    accent="#5fb0cc",
    accent_text="#0d1417",
    danger="#ff8a80",
    danger_bg="#3b1d1b",
    warning="#ffc46b",
    warning_bg="#3a2a12",
    info="#8cc4ff",
    info_bg="#16283d",
    success="#7fd6a5",
    selection="#24475a",
)

_current: Colours = LIGHT


def colours() -> Colours:
    return _current


def is_dark() -> bool:
    return _current is DARK


_style: QStyle | None = None  # the style object last set (QApplication owns it)
_sheet = ""  # the current scheme's stylesheet, for each top-level window
THEMED = "fasciaThemed"  # the property marking a window whose stylesheet the theme set


class ThemedStyle(QProxyStyle):
    """Fusion, giving each top-level window the theme's stylesheet as Qt polishes it."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def polish(self, target):  # type: ignore[no-untyped-def, override]
        super().polish(target)
        if not isinstance(target, QWidget) or not _needs_sheet(target):
            return
        if isinstance(target, QMenu):  # charts make many menus that are never shown
            once = Qt.ConnectionType.SingleShotConnection
            target.aboutToShow.connect(lambda: _give_sheet(target), once)
        else:
            _give_sheet(target)


def _needs_sheet(widget: QWidget) -> bool:
    """A window of its own that has no stylesheet yet. A parentless widget that is not a dialog,
    menu, popup (a completer's list) or main window counts only once it is shown (made native
    first): before that it is a screen being assembled, and gets the sheet of the window it is
    put into."""
    if widget.parentWidget() is not None or widget.styleSheet() or widget.property(THEMED) is False:
        return False  # inside a window, styled already, or kept bare (benchmarks' floors)
    return (
        isinstance(widget, QMainWindow | QDialog | QMenu)
        or widget.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
        or widget.testAttribute(Qt.WidgetAttribute.WA_WState_Created)
    )


def _give_sheet(widget: QWidget, *, again: bool = False) -> None:
    """The theme's stylesheet on `widget`, unless it has one (of the theme's, `again`)."""
    if widget.styleSheet() and not again:
        return
    widget.setProperty(THEMED, True)
    widget.setStyleSheet(_sheet)


def apply(app: QApplication, scheme: str | None = None, style: QStyle | None = None) -> Colours:
    """A ThemedStyle (or `style`: `icons.LucideStyle` adds the Lucide icons), the palette and the
    stylesheet of the system (or the forced) scheme, on every window open and each one to come."""
    global _current, _sheet, _style
    if scheme is None:
        hints = QGuiApplication.styleHints()
        scheme = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    _current = DARK if scheme == "dark" else LIGHT
    # QApplication owns its style and deletes the one it replaces: setting the same style again
    # (a scheme change, each test) keeps it, so nothing still drawing with it loses it.
    if style is None and (_style is None or not shiboken6.isValid(_style)):
        style = ThemedStyle()
    if style is not None and style is not _style:
        app.setStyle(style)
        _style = style
    app.setPalette(_palette(_current))
    app.setStyleSheet("")  # see the module's docstring
    _sheet = stylesheet(_current)
    for window in app.topLevelWidgets():
        if window.property(THEMED) or _needs_sheet(window):
            _give_sheet(window, again=True)
    return _current


_ICON = re.compile(r"@icon:([a-z0-9-]+)(?:@([a-z_]+))?")  # @icon:check@accent_text


def stylesheet(c: Colours) -> str:
    """The stylesheet with its colours, and its icons tinted (muted unless `@icon:NAME@COLOUR`)."""
    text = resource("style.qss").read_text(encoding="utf-8")
    text = _ICON.sub(lambda m: _tinted_icon(m[1], getattr(c, m[2] or "muted")), text)
    for name in sorted(Colours.__dataclass_fields__, key=len, reverse=True):
        text = text.replace(f"@{name}", getattr(c, name))
    return text


def _tinted_icon(name: str, colour: str) -> str:
    """A copy of an icon in one colour, for stylesheet url()s (which cannot use currentColor)."""
    folder = (
        Path(tempfile.gettempdir()) / f"fascia-theme-{os.getuid() if hasattr(os, 'getuid') else 0}"
    )
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}-{colour.lstrip('#')}.svg"
    if not path.exists():
        # Written whole under another name first: two Fascias (or test workers) starting at
        # once must never let Qt read a half-written icon.
        svg = resource("icons", f"{name}.svg").read_text(encoding="utf-8")
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(svg.replace("currentColor", colour), encoding="utf-8")
        os.replace(partial, path)
    return path.as_posix()


def _palette(c: Colours) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c.background))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.surface))
    p.setColor(role.AlternateBase, QColor(c.surface_alt))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.muted))
    p.setColor(role.Button, QColor(c.surface))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.Highlight, QColor(c.accent))
    p.setColor(role.HighlightedText, QColor(c.accent_text))
    p.setColor(role.ToolTipBase, QColor(c.surface))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.Link, QColor(c.accent))
    p.setColor(role.Mid, QColor(c.border))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c.muted))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c.muted))
    return p
