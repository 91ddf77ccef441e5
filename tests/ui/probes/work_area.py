"""Open a client in the real main window on a laptop screen and print each tab's work area,
what it cuts off at the right and the tables wider than their view; then the same problems
of the Today, Schedule and Billing pages, and the height of the first-run Welcome and the
Practice profile dialogs.

Run as a script (`python work_area.py FOLDER CLIENT_ID`) under the screen the test sets up
(QT_QPA_PLATFORM=offscreen with a 1280x720 screen, QT_SCALE_FACTOR as the test wants): the
window is maximised there, as on a laptop, and the output is JSON lines, one per tab.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QTreeView,
    QWidget,
)

CONTROLS = (QAbstractButton, QComboBox, QLineEdit)


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit | QLabel) else ""
    return text or widget.accessibleName() or widget.toolTip() or type(widget).__name__


def _cut_off(widget: QWidget, window: QWidget) -> bool:
    """Whether part of the widget lies right of the window or of a box it sits in (a box
    draws only inside itself; a scroll area that scrolls sideways shows the rest)."""
    child, parent = widget, widget.parentWidget()
    right = widget.width()
    while child is not window and parent is not None:
        right += child.x()
        if right > parent.width():
            if not _scrolls_sideways(parent):
                return True
            right = parent.width()
        child, parent = parent, parent.parentWidget()
    return False


def _scrolls_sideways(viewport: QWidget) -> bool:
    area = viewport.parentWidget()
    return isinstance(area, QAbstractScrollArea) and area.horizontalScrollBar().isVisible()


def _clipped(label: QLabel) -> bool:
    """A one-line label narrower than its text (labels that elide on purpose draw their own)."""
    if label.wordWrap() or type(label).paintEvent is not QLabel.paintEvent or not label.text():
        return False
    return label.sizeHint().width() > label.width() + 1


def _wider_than_view(view: QAbstractItemView) -> bool:
    """A table whose columns run past its right edge, with no scroll bar to reach them."""
    if isinstance(view, QTableView):
        header = view.horizontalHeader()
    elif isinstance(view, QTreeView):
        header = view.header()
    else:
        return False
    return header.length() > view.viewport().width() + 1


def _folded_away(toolbar: QToolBar) -> list[str]:
    """The actions a toolbar too narrow for them moves into its overflow menu."""
    return [
        action.text()
        for action in toolbar.actions()
        if action.isVisible()
        and (button := toolbar.widgetForAction(action)) is not None
        and not button.isVisible()
    ]


def _problems(tab: QWidget, window: QWidget) -> dict[str, list[str]]:
    shown = [w for w in tab.findChildren(QWidget) if w.isVisibleTo(window) and w.isVisible()]
    return {
        "controls": sorted(_name(w) for w in shown if isinstance(w, CONTROLS)),
        "cut_off": sorted(
            [_name(w) for w in shown if isinstance(w, (*CONTROLS, QLabel)) and _cut_off(w, window)]
            + [text for w in shown if isinstance(w, QToolBar) for text in _folded_away(w)]
        ),
        "clipped_text": sorted(
            w.text()[:40] for w in shown if isinstance(w, QLabel) and _clipped(w)
        ),
        "side_scrolls": sorted(
            type(w).__name__
            for w in shown
            if isinstance(w, QAbstractScrollArea) and w.horizontalScrollBar().isVisible()
        ),
        "wide_tables": sorted(
            w.accessibleName() or type(w).__name__
            for w in shown
            if isinstance(w, QAbstractItemView) and w.model() and _wider_than_view(w)
        ),
    }


def main(folder: Path, client_id: int) -> None:
    app = QApplication([])
    QCoreApplication.setOrganizationName("FasciaProbe")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "qs"))
    from practice.store.database import open_database
    from ui import icons, theme
    from ui.main_window import MainWindow
    from ui.ops import runner

    theme.apply(app, "light", icons.lucide_style())
    db = open_database(folder)
    window = MainWindow(folder)
    window.attach(db)
    screen = app.primaryScreen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    window.pages.setCurrentWidget(window.clients)  # the window opens on Today
    window.clients.open_client(client_id)
    workspace = window.clients.workspace
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        for _ in range(5):
            app.processEvents()
        runner().wait_idle()
        app.processEvents()
        tab = workspace.tabs.widget(index)
        print(
            json.dumps(
                {
                    "tab": workspace.tabs.tabText(index),
                    "work_area": tab.height(),
                    "window": window.height(),
                    "window_width": window.width(),
                    "screen": [screen.width(), screen.height()],
                    "header": workspace.header.height(),
                    **_problems(tab, window),
                }
            )
        )
    for name in ("today", "schedule", "billing"):
        page = getattr(window, name)
        window.pages.setCurrentWidget(page)
        for _ in range(5):
            app.processEvents()
        runner().wait_idle()
        app.processEvents()
        print(json.dumps({"page": name, **_problems(page, window)}))
    from ui.practice_profile import PracticeProfileDialog
    from ui.welcome import WelcomeDialog

    for dialog in (WelcomeDialog(db, window), PracticeProfileDialog(db, window)):
        dialog.show()
        app.processEvents()
        print(json.dumps({"dialog": type(dialog).__name__, "height": dialog.height()}))
        dialog.reject()
    runner().wait_idle()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
