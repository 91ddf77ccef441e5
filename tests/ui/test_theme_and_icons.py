"""One look in both schemes: text and controls meet WCAG AA contrast (4.5:1 for text, 3:1 for a
control's outline), every icon on screen is Lucide, and toggles look pressed when on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle
from pytestqt.qtbot import QtBot

from practice.store import Database
from ui import icons, theme
from ui.bodymap.tab import BodyMapTab

UI = Path(__file__).resolve().parents[2] / "ui"
Role = QPalette.ColorRole
Group = QPalette.ColorGroup
TEXT = 4.5
OUTLINE = 3.0

# Palette roles read as text: (foreground, background, what a person reads there).
PALETTE_TEXT = [
    (Role.WindowText, Role.Window, "labels on the window"),
    (Role.Text, Role.Base, "typed text in a field"),
    (Role.Text, Role.AlternateBase, "text on an alternate row"),
    (Role.ButtonText, Role.Button, "a button's label"),
    (Role.PlaceholderText, Role.Base, "a field's placeholder"),
    (Role.HighlightedText, Role.Highlight, "selected text"),
    (Role.ToolTipText, Role.ToolTipBase, "a tooltip"),
    (Role.Link, Role.Base, "a link"),
]
# The stylesheet's named colours where they carry words: muted notes, chips, alerts, errors.
NAMED_TEXT = [
    ("text", "background"),
    ("text", "surface"),
    ("text", "selection"),
    ("muted", "background"),
    ("muted", "surface"),
    ("muted", "surface_alt"),
    ("muted", "selection"),
    ("accent", "surface"),
    ("accent", "background"),
    ("accent_text", "accent"),
    ("danger", "surface"),
    ("danger", "danger_bg"),
    ("warning", "warning_bg"),
    ("warning", "surface"),
    ("info", "info_bg"),
    ("info", "surface"),
    ("success", "surface_alt"),
]


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(x) for x in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[theme.Colours]:
    yield theme.apply(qapp, request.param, icons.lucide_style())
    theme.apply(qapp, "light", icons.lucide_style())


def test_palette_text_meets_aa_contrast(scheme: theme.Colours, qapp: QApplication) -> None:
    palette = qapp.palette()
    weak = {
        what: round(contrast(palette.color(fg), palette.color(bg)), 2)
        for fg, bg, what in PALETTE_TEXT
        if contrast(palette.color(fg), palette.color(bg)) < TEXT
    }
    # Disabled text still says what a field holds (a locked note, a signed chart).
    for role, base in ((Role.Text, Role.Base), (Role.ButtonText, Role.Button)):
        ratio = contrast(palette.color(Group.Disabled, role), palette.color(Group.Disabled, base))
        if ratio < TEXT:
            weak[f"disabled {role.name}"] = round(ratio, 2)
    assert not weak


def test_named_colours_meet_aa_contrast_where_they_carry_words(scheme: theme.Colours) -> None:
    weak = {
        f"{fg} on {bg}": round(ratio, 2)
        for fg, bg in NAMED_TEXT
        if (ratio := contrast(QColor(getattr(scheme, fg)), QColor(getattr(scheme, bg)))) < TEXT
    }
    assert not weak


def test_checkboxes_are_outlined_visibly_in_both_schemes(scheme: theme.Colours) -> None:
    sheet = theme.stylesheet(scheme)
    assert "QCheckBox::indicator" in sheet
    assert contrast(QColor(scheme.muted), QColor(scheme.surface)) >= OUTLINE
    assert contrast(QColor(scheme.muted), QColor(scheme.background)) >= OUTLINE


def test_no_screen_asks_qt_for_its_stock_icons() -> None:
    users = [
        str(path.relative_to(UI.parent))
        for path in UI.rglob("*.py")
        if path.name != "icons.py"  # the one place Qt's stock icons are mapped to Lucide
        and ("standardIcon" in (text := path.read_text(encoding="utf-8")) or "SP_" in text)
    ]
    assert not users


def _image(icon, size: int = 18) -> QImage:  # type: ignore[no-untyped-def]
    return icon.pixmap(size, size).toImage()


def test_the_icons_qt_draws_itself_are_lucide(qtbot: QtBot, scheme: theme.Colours) -> None:
    style = QApplication.style()
    sp = QStyle.StandardPixmap
    warning = icons.icon("triangle-alert", scheme.warning)
    assert _image(style.standardIcon(sp.SP_MessageBoxWarning)) == _image(warning)
    question = icons.icon("circle-help", scheme.info)
    assert _image(style.standardIcon(sp.SP_MessageBoxQuestion)) == _image(question)
    search = QLineEdit()
    qtbot.addWidget(search)
    search.setClearButtonEnabled(True)
    clear = style.standardIcon(sp.SP_LineEditClearButton, None, search)
    assert _image(clear) == _image(icons.icon("x", scheme.muted))


def test_compare_and_possible_sources_look_pressed_when_on(
    qtbot: QtBot, db: Database, scheme: theme.Colours
) -> None:
    tab = BodyMapTab(db)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    for button in (tab.compare_button, tab.editor.sources_button):
        assert button.isCheckable()
        button.blockSignals(True)
        off = button.grab().toImage()
        button.setChecked(True)
        on = button.grab().toImage()
        button.setChecked(False)
        button.blockSignals(False)
        inside = on.pixelColor(4, on.height() // 2)  # just inside the border
        assert off != on
        assert inside == QColor(scheme.selection)  # the pressed tint, not the plain surface
