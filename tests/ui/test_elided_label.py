"""ElidedLabel: a long name is shortened on screen, whole in its tooltip; its width follows
its text and its font."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from ui.widgets.elided import ElidedLabel

LONG = "Bea 🌻 שרה O'Brien 김 سلمى Halvorsen-Kowalczyk, née Lê Thảo, the whole of it"


def hover(label: ElidedLabel) -> None:
    """What Qt sends when the pointer rests on the label."""
    point = QPoint(4, 4)
    QApplication.sendEvent(label, QHelpEvent(QEvent.Type.ToolTip, point, label.mapToGlobal(point)))


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen tooltips
def test_a_shortened_text_shows_whole_in_its_tooltip_and_a_whole_one_has_none(
    qtbot: QtBot,
) -> None:
    label = ElidedLabel(LONG)
    qtbot.addWidget(label)
    label.resize(120, 24)
    label.show()
    qtbot.waitExposed(label)
    assert label.is_elided() and label.text() == LONG  # only the drawing is shortened
    hover(label)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == LONG
    label.setText("Bea")
    assert not label.is_elided()
    hover(label)
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    label.setText(LONG)
    label.resize(label.sizeHint().width() + 10, 24)  # room for all of it now
    assert not label.is_elided()
    hover(label)
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen tooltips
def test_a_tooltip_set_by_hand_is_kept(qtbot: QtBot) -> None:
    label = ElidedLabel("Short")
    qtbot.addWidget(label)
    label.setToolTip("Next visit and balance")
    label.show()
    qtbot.waitExposed(label)
    hover(label)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "Next visit and balance"


def test_the_width_asked_for_follows_the_text_and_the_font(qtbot: QtBot) -> None:
    label = ElidedLabel("Ann")
    qtbot.addWidget(label)
    short = label.sizeHint().width()
    label.setText("Annabel Halvorsen")
    longer = label.sizeHint().width()
    assert longer > short
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.sizeHint().width() > longer * 1.5  # measured again in the larger font
    label.setText("Ann")
    assert label.sizeHint().width() < longer


def test_a_100000_character_text_is_drawn_shortened_and_kept_whole(qtbot: QtBot) -> None:
    text = ("Bea 🌻 שרה سلمى 김 " * 6_000)[:100_000]
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    label.resize(300, 24)
    label.show()
    qtbot.waitExposed(label)
    assert label.grab().width() > 0  # painted, shortened to the width
    assert label.is_elided() and label.text() == text and len(label.text()) == 100_000
