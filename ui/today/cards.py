"""Today's cards and what opens from them: a card is a button with its count and first names;
clicking it lists what it counts, and choosing a line opens that record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.billing.money import format_money
from practice.dates import format_day
from practice.today.figures import Card, CardItem, CardKind
from ui import icons, theme
from ui.widgets.forms import muted
from ui.widgets.tables import Index, RowsModel

CARD_ICONS = {
    CardKind.UNSIGNED: "file-signature",
    CardKind.UNBILLED: "receipt",
    CardKind.BALANCES: "wallet",
    CardKind.REEVALUATIONS: "clipboard-list",
    CardKind.PAPERWORK: "file-text",
}
CARD_HINTS = {
    CardKind.UNSIGNED: "All signed.",
    CardKind.UNBILLED: "Every visit of the last 90 days is billed.",
    CardKind.BALANCES: "Nobody owes anything.",
    CardKind.REEVALUATIONS: "No plan is due for re-evaluation this week.",
    CardKind.PAPERWORK: "Everyone booked this week has an intake and a consent.",
}


class OpenButton(QPushButton):
    """A button that opens what it shows: Enter clicks it, as Space does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class FigureButton(OpenButton):
    """A flat button holding a title, a right-aligned figure and a line of detail."""

    def __init__(self, icon: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TodayCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(84)
        self.setAccessibleName(title)
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icons.pixmap(icon, 18, theme.colours().muted))
        self.title = QLabel(title)
        self.title.setProperty("role", "title")
        self.figure = QLabel("…")
        self.figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        font = self.figure.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(font.Weight.DemiBold)
        self.figure.setFont(font)
        self.full_detail = ""
        self.detail = muted("", wrap=False)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.icon_label)
        top.addWidget(self.title, 1)
        top.addWidget(self.figure)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.detail)
        for label in (self.icon_label, self.title, self.figure, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(QSize(160, 84))

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize().expandedTo(QSize(120, 84))

    def show_figure(self, figure: str, detail: str, *, attention: bool = False) -> None:
        self.figure.setText(figure)
        colour = theme.colours().warning if attention else theme.colours().text
        self.figure.setStyleSheet(f"color: {colour};")
        self.full_detail = detail
        self._elide()
        self.detail.setToolTip(detail)
        self.setAccessibleDescription(f"{figure}. {detail}")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(60, self.width() - 32)
        metrics = self.detail.fontMetrics()
        shown = metrics.elidedText(self.full_detail, Qt.TextElideMode.ElideRight, width)
        self.detail.setText(shown)


def card_detail(card: Card) -> str:
    """The first names a card counts, or what its emptiness means."""
    if not card.items:
        return CARD_HINTS[card.kind]
    names = list(dict.fromkeys(i.client_name for i in card.items))
    shown = ", ".join(names[:3])
    return f"{shown} and {len(names) - 3} more" if len(names) > 3 else shown


class CardItemsModel(RowsModel):
    COLUMNS = ("Client", "Date", "What", "Amount")
    RIGHT_ALIGNED = frozenset({3})
    KEY = "client_id"

    def __init__(self, currency: str, locale: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.locale = locale

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item: CardItem = self.item(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(index.column())
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        match index.column():
            case 0:
                return item.client_name
            case 1:
                return format_day(item.day, self.locale) if item.day else ""
            case 2:
                return item.detail
            case _:
                if item.amount is None:
                    return ""
                return format_money(item.amount, self.currency, self.locale)


class CardDialog(QDialog):
    """What a card counts, one line each; Enter or a double-click opens the line's record."""

    chosen = Signal(object, object)  # CardKind, CardItem

    def __init__(self, card: Card, currency: str, locale: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.card = card
        self.setWindowTitle(card.title)
        self.setMinimumSize(640, 420)
        self.model = CardItemsModel(currency, locale, self)
        self.model.set_rows(card.items)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnHidden(3, card.total is None)
        self.table.activated.connect(self._on_table_activated)
        open_button = QPushButton("Open")
        open_button.setProperty("primary", True)
        open_button.setDefault(True)
        open_button.clicked.connect(lambda: self._on_table_activated(self.table.currentIndex()))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(muted("Enter or a double-click opens the client's record there."), 1)
        buttons.addWidget(close)
        buttons.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if card.items:
            self.table.selectRow(0)
        self.table.setFocus()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen.emit(self.card.kind, self.model.item(index.row()))
            self.accept()
