"""Help > Keyboard shortcuts (F1): every shortcut the window has, read from the window itself.

Nothing is typed into a list by hand: the menus, every action, QShortcut and button with a
shortcut under the window are listed where they work (a menu, a tab, the rail), so the list
cannot drift from the keys. A QShortcut says what it does with `setWhatsThis`; the test of this
window fails for one that does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

EVERYWHERE = "Everywhere"
RAIL = "NavRail"  # the object name of the navigation rail
AREA = "shortcut_area"  # a page's property naming where its keys work ("Schedule")
KEYS = "shortcut_keys"  # a widget's keys it reads itself: ["New appointment|N", ...]
_KEY_SUFFIX = re.compile(r"\s*\([^()]*\)$")  # "Paint (P)" -> "Paint"


@dataclass(frozen=True, slots=True)
class ShortcutRow:
    area: str
    does: str
    keys: str


def collect(window: QMainWindow) -> list[ShortcutRow]:
    """Every shortcut under `window`: the menus first, in menu order, then each area's own;
    one row per thing done (Redo: Ctrl+Shift+Z, Ctrl+Y)."""
    found: dict[tuple[str, str], list[str]] = {}

    def add(area: str, does: str, sequences: list[QKeySequence]) -> None:
        keys = [_text(k) for k in sequences if not k.isEmpty()]
        if keys and does:
            listed = found.setdefault((area, does), [])
            listed += [k for k in keys if k not in listed]

    in_menus: set[QAction] = set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            in_menus.add(action)
            add(_plain(menu.title()), _name(action.text()), action.shortcuts())
    for action in window.findChildren(QAction):
        if action not in in_menus:
            add(area_of(action.parent()), _name(action.text()), action.shortcuts())
    for shortcut in window.findChildren(QShortcut):
        add(area_of(shortcut.parent()), shortcut.whatsThis(), shortcut.keys())
    for widget in window.findChildren(QObject):
        for entry in widget.property(KEYS) or ():
            does, _, keys = str(entry).partition("|")
            add(area_of(widget), does, [QKeySequence(k) for k in keys.split(",")])
    for button in window.findChildren(QAbstractButton):
        if button.shortcut() == QKeySequence.mnemonic(button.text()):
            continue  # Alt and the underlined letter: shown on the control itself
        does = button.accessibleName() or _name(button.text()) or _name(button.toolTip())
        add(area_of(button), does, [button.shortcut()])
    areas = list(dict.fromkeys(area for area, _does in found))  # in order of first appearance
    return [
        ShortcutRow(area, does, ", ".join(keys))
        for where in areas
        for (area, does), keys in found.items()
        if area == where
    ]


def undescribed(window: QMainWindow) -> list[str]:
    """Keys of QShortcuts under `window` that do not say what they do (so are not listed)."""
    return [
        ", ".join(_text(k) for k in s.keys())  # noqa: SIM118 (a QShortcut, not a dict)
        for s in window.findChildren(QShortcut)
        if not s.whatsThis()
    ]


def area_of(node: QObject | None) -> str:
    """Where a shortcut works: the outermost tab holding it, the rail, or everywhere."""
    area = EVERYWHERE
    while node is not None:
        parent = node.parent()
        if isinstance(parent, QStackedWidget) and isinstance(parent.parent(), QTabWidget):
            tabs = parent.parent()
            area = _plain(tabs.tabText(tabs.indexOf(node)))  # type: ignore[arg-type]
        elif node.objectName() == RAIL:
            area = "Navigation rail"
        elif node.property(AREA):
            area = str(node.property(AREA))
        node = parent
    return area


def _text(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


def _plain(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


def _name(text: str) -> str:
    return _KEY_SUFFIX.sub("", _plain(text))


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setMinimumSize(560, 480)
        rows = collect(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate((row.area, row.does, row.keys)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.resizeColumnsToContents()
        self.table.setAccessibleName("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.table)
        self.resize(720, 640)

    def rows(self) -> list[tuple[str, str, str]]:
        table = self.table
        return [
            tuple(table.item(r, c).text() for c in range(3))  # type: ignore[misc]
            for r in range(table.rowCount())
        ]
