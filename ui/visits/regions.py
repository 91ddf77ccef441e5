"""Picking body regions for a treatment entry: a button that opens a searchable checklist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap.atlas import load_atlas
from ui import icons, theme

POPUP_WIDTH = 300
POPUP_ROWS = 12


@cache
def region_names() -> Mapping[str, str]:
    """Atlas code -> plain name, front view first, in the atlas's head-to-toe order."""
    return {region.code: region.name for region in load_atlas().regions}


def describe(codes: Iterable[str]) -> str:
    names = region_names()
    return ", ".join(names.get(code, code) for code in codes)


class RegionPicker(QPushButton):
    """Shows the chosen regions; Enter, Space or a click opens the checklist to change them."""

    regions_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codes: tuple[str, ...] = ()
        self.setIcon(icons.icon("map-pin", theme.colours().muted))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.clicked.connect(self._on_clicked)
        self._update_text()

    def regions(self) -> tuple[str, ...]:
        return self._codes

    def set_regions(self, codes: Iterable[str]) -> None:
        codes = tuple(dict.fromkeys(codes))
        if codes == self._codes:
            return
        self._codes = codes
        self._update_text()
        self.regions_changed.emit()

    def _update_text(self) -> None:
        text = describe(self._codes) if self._codes else ""
        self.setText(text or "Body regions…")
        colour = f"color: {theme.colours().muted};" if not text else ""
        self.setStyleSheet(f"text-align: left; padding-left: 8px; {colour}")
        self.setToolTip(text or "Choose the body regions treated (Enter or Space)")

    def _on_clicked(self) -> None:
        popup = RegionPopup(self._codes, self)
        popup.chosen.connect(self.set_regions)
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        popup.search.setFocus(Qt.FocusReason.PopupFocusReason)


class RegionPopup(QFrame):
    """Type to filter, Enter ticks the first match, arrows and Space tick any; Esc closes."""

    chosen = Signal(tuple)

    def __init__(self, codes: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(max(POPUP_WIDTH, parent.width()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a region: calf, low back …")
        self.search.setAccessibleName("Find a body region")
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Body regions")
        self.list.setUniformItemSizes(True)
        for code, name in region_names().items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.list.addItem(item)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * POPUP_ROWS + 4)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self._order = list(codes)
        layout.addWidget(self.search)
        layout.addWidget(self.list)

    def codes(self) -> tuple[str, ...]:
        return tuple(self._order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.list.setFocus(Qt.FocusReason.TabFocusReason)
            first = self._visible_items()[:1]
            if first:
                self.list.setCurrentItem(first[0])
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
            return
        super().keyPressEvent(event)

    def _visible_items(self) -> list[QListWidgetItem]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item for item in items if not item.isHidden()]

    def _on_search_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = item.text().casefold()
            item.setHidden(not all(word in name for word in words))

    def _on_search_return_pressed(self) -> None:
        """Tick the first match and start a new search, so 'calf⏎ low back⏎' picks two."""
        if not self.search.text().strip():
            self.close()
            return
        matches = self._visible_items()
        if matches:
            matches[0].setCheckState(Qt.CheckState.Checked)
        self.search.clear()

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked and code not in self._order:
            self._order.append(code)
        elif item.checkState() != Qt.CheckState.Checked and code in self._order:
            self._order.remove(code)
        self.chosen.emit(self.codes())
