"""The theme reaches every window without an application stylesheet: fields built apart and
then put into a window, dialogs and message boxes of their own, and a scheme switched while
windows are open all draw in the scheme's colours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui import icons, theme


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[theme.Colours]:
    yield theme.apply(qapp, request.param, icons.lucide_style())
    theme.apply(qapp, "light", icons.lucide_style())


def _field_in_window(qtbot: QtBot) -> tuple[QMainWindow, QLineEdit]:
    """A field assembled apart (as a tab is) and then put into a shown main window."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(400, 200)
    window.show()
    screen = QWidget()
    field = QLineEdit("Neck and shoulders")
    QVBoxLayout(screen).addWidget(field)
    field.sizeHint()  # polished before it has a window, as a screen's widgets are
    window.setCentralWidget(screen)
    qtbot.waitExposed(window)
    return window, field


def _edge_and_inside(field: QLineEdit) -> tuple[QColor, QColor]:
    image = field.grab().toImage()
    middle = image.height() // 2
    return image.pixelColor(0, middle), image.pixelColor(3, middle)


def test_the_application_has_no_stylesheet_of_its_own(scheme: theme.Colours) -> None:
    assert QApplication.instance().styleSheet() == ""


def test_a_field_put_into_a_window_draws_in_the_schemes_colours(
    qtbot: QtBot, scheme: theme.Colours
) -> None:
    _window, field = _field_in_window(qtbot)
    edge, inside = _edge_and_inside(field)
    assert inside == QColor(scheme.surface)
    assert edge == QColor(scheme.border)
    assert field.palette().text().color() == QColor(scheme.text)


def test_an_invalid_field_shows_the_danger_border(qtbot: QtBot, scheme: theme.Colours) -> None:
    _window, field = _field_in_window(qtbot)
    field.setProperty("invalid", True)
    field.style().unpolish(field)
    field.style().polish(field)
    edge, inside = _edge_and_inside(field)
    assert edge == QColor(scheme.danger)
    assert inside == QColor(scheme.surface)


def test_a_dialog_and_a_message_box_of_their_own_are_themed(
    qtbot: QtBot, scheme: theme.Colours
) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QVBoxLayout(dialog).addWidget(QLineEdit())
    box = QMessageBox(QMessageBox.Icon.Warning, "Fascia", "Nothing was saved.")
    qtbot.addWidget(box)
    for window in (dialog, box):
        window.show()
        qtbot.waitExposed(window)
        image = window.grab().toImage()
        assert image.pixelColor(2, 2) == QColor(scheme.background)
    field = dialog.findChild(QLineEdit)
    assert _edge_and_inside(field) == (QColor(scheme.border), QColor(scheme.surface))


def test_switching_the_scheme_recolours_the_windows_already_open(
    qtbot: QtBot, qapp: QApplication
) -> None:
    theme.apply(qapp, "light", icons.lucide_style())
    try:
        _window, field = _field_in_window(qtbot)
        assert _edge_and_inside(field)[1] == QColor(theme.LIGHT.surface)
        theme.apply(qapp, "dark", icons.lucide_style())
        edge, inside = _edge_and_inside(field)
        assert inside == QColor(theme.DARK.surface)
        assert edge == QColor(theme.DARK.border)
        assert field.palette().text().color() == QColor(theme.DARK.text)
    finally:
        theme.apply(qapp, "light", icons.lucide_style())


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # offscreen
def test_a_menu_of_its_own_is_themed_when_it_opens(qtbot: QtBot, scheme: theme.Colours) -> None:
    menu = QMenu()  # charts and buttons make menus with no parent
    qtbot.addWidget(menu)
    menu.addAction("Export the chart")
    menu.popup(QPoint(10, 10))
    qtbot.waitExposed(menu)
    image = menu.grab().toImage()
    assert image.pixelColor(image.width() // 2, 1) == QColor(scheme.surface)
    assert image.pixelColor(0, image.height() // 2) == QColor(scheme.border)
    menu.close()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # offscreen popups
def test_a_completers_list_is_themed(qtbot: QtBot, scheme: theme.Colours) -> None:
    _window, field = _field_in_window(qtbot)
    completer = QCompleter(["Maria", "Mario", "Marta"], field)
    field.setCompleter(completer)
    completer.complete()
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    image = popup.grab().toImage()
    assert image.pixelColor(0, image.height() // 2) == QColor(scheme.border)
    popup.hide()
