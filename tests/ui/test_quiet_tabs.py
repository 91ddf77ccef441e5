"""QuietTabWidget: a label's new text inside a page repaints the label, not the tab widget, and
every change of size still reaches the layouts that need it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.tabs import QuietTabWidget


class _Paints(QObject):
    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.seen: list[QWidget] = []
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen.append(watched)  # type: ignore[arg-type]
        return False


def _window(qtbot: QtBot) -> tuple[QWidget, QuietTabWidget, QLabel, QLabel]:
    window = QWidget()
    qtbot.addWidget(window)
    tabs = QuietTabWidget()
    page = QWidget()
    title = QLabel("Everything on record")
    footer = QLabel("The latest 60 entries")
    column = QVBoxLayout(page)
    column.addWidget(title)
    column.addStretch(1)
    column.addWidget(footer)
    tabs.addTab(page, "Timeline")
    tabs.addTab(QWidget(), "Profile")
    QVBoxLayout(window).addWidget(tabs)
    window.resize(640, 360)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window, tabs, title, footer


def test_a_label_with_new_text_repaints_itself_not_the_tab_bar_or_its_neighbours(
    qtbot: QtBot,
) -> None:
    _shown, tabs, title, footer = _window(qtbot)
    paints = _Paints(tabs.tabBar(), title, footer)
    footer.setText("All 47 entries. Enter or a double-click opens one.")
    qtbot.waitUntil(lambda: footer in paints.seen)
    qtbot.wait(20)
    assert paints.seen == [footer]  # a plain QTabWidget repaints the tab bar and the title too
    assert footer.width() >= footer.sizeHint().width()  # and the longer text is laid out


def test_changes_of_size_still_lay_the_tabs_and_their_parents_out(qtbot: QtBot) -> None:
    window, tabs, _title, footer = _window(qtbot)
    bar = tabs.tabBar().width()
    tabs.addTab(QWidget(), "Documents and more")  # the tab bar's size hint grows
    qtbot.waitUntil(lambda: tabs.tabBar().width() > bar)
    # A label that needs more room than the window has: the window's layout hears of it
    # through the tab widget (which lays nothing out again), and the window grows to show it.
    footer.setText("A footer far wider than the window it is in. " * 4)
    qtbot.waitUntil(lambda: footer.width() >= footer.minimumSizeHint().width())
    assert window.width() > 640
    window.resize(800, 500)  # and a resize still places the pages inside the new size
    qtbot.waitUntil(lambda: tabs.currentWidget().width() > 700)
