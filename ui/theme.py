"""Named colours for light and dark schemes, the application stylesheet and the Fusion palette."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle

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


def apply(app: QApplication, scheme: str | None = None, style: QStyle | None = None) -> Colours:
    """Fusion style (or `style`, Fusion with Lucide icons: `icons.LucideStyle`), a palette and
    the stylesheet for the system (or the forced) scheme."""
    global _current
    if scheme is None:
        hints = QGuiApplication.styleHints()
        scheme = "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    _current = DARK if scheme == "dark" else LIGHT
    # QApplication owns its style and deletes the one it replaces: setting the same style again
    # (a scheme change, each test) keeps it, so nothing still drawing with it loses it.
    global _style
    if style is None or style is not _style:
        app.setStyle(style or "Fusion")
        _style = style
    app.setPalette(_palette(_current))
    app.setStyleSheet(stylesheet(_current))
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
