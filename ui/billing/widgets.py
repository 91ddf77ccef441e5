"""Small billing widgets: status chips (in tables and headers), money fields, date ranges."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from practice.billing.records import InvoiceKind, InvoiceStatus
from ui import theme
from ui.billing.money import MoneyFormat
from ui.widgets.chips import Chip
from ui.widgets.chips import chip_colours as kind_colours

Index = QModelIndex | QPersistentModelIndex

# A chip's word says the status; its colour only repeats it (UI.md: never colour alone).
CHIP_KINDS = {
    "draft": "muted",
    "issued": "info",
    "partly_paid": "warning",
    "paid": "success",
    "void": "muted",
    "credit_note": "info",
    "overdue": "danger",
}


def status_key(kind: InvoiceKind | str, status: InvoiceStatus | str) -> str:
    """The chip key of a status (the enums, or the codes a list row holds)."""
    return "credit_note" if kind == InvoiceKind.CREDIT_NOTE else str(status)


def status_label(kind: InvoiceKind, status: InvoiceStatus) -> str:
    return "Credit note" if kind is InvoiceKind.CREDIT_NOTE else status.label


def chip_colours(key: str) -> tuple[str, str]:
    """(text and border, background) for the chip of a billing status key."""
    return kind_colours(CHIP_KINDS.get(key, "muted"))


class StatusChip(Chip):
    """A rounded label with the status word, tinted by its meaning."""

    def set_status(self, key: str, text: str) -> None:
        self.set_chip(text, CHIP_KINDS.get(key, "muted"), accessible=f"Status: {text}")


CHIP_ROLE = Qt.ItemDataRole.UserRole + 7  # the chip key of a status cell


class ChipDelegate(QStyledItemDelegate):
    """Paints a status cell as a chip: its DisplayRole word on the CHIP_ROLE colours."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        key = index.data(CHIP_ROLE)
        if not key:
            super().paint(painter, option, index)
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        fg, bg = chip_colours(str(key))
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance(text) + 20
        height = metrics.height() + 6
        rect = QRectF(
            option.rect.left() + 8,
            option.rect.center().y() - height / 2 + 0.5,
            min(width, option.rect.width() - 12),
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(fg), 1))
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        font = option.font
        font.setWeight(font.Weight.DemiBold)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 24, size.height())


class MoneyEdit(QLineEdit):
    """An amount typed in the practice's locale, right-aligned; `value()` raises ValueError."""

    def __init__(self, money: MoneyFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.money = money
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(money.plain(Decimal("0")))
        self.setMaxLength(16)

    def value(self) -> Decimal:
        return self.money.parse(self.text())

    def set_value(self, amount: Decimal | None) -> None:
        self.setText("" if amount is None else self.money.plain(amount))


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def date_edit(day: date | None = None) -> QDateEdit:
    """A date with a calendar popup, its arrow drawn like the combo boxes' (the stylesheet's)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    arrow = theme._tinted_icon("chevron-down", theme.colours().muted)
    edit.setStyleSheet(
        "QDateEdit { padding-right: 24px; }"
        "QDateEdit::drop-down { subcontrol-origin: padding; subcontrol-position: center right;"
        " width: 22px; border: none; }"
        f"QDateEdit::down-arrow {{ image: url({arrow}); width: 14px; height: 14px; }}"
    )
    edit.setDate(to_qdate(day or date.today()))
    return edit


def month_start(day: date) -> date:
    return day.replace(day=1)


def preset_range(name: str, today: date) -> tuple[date, date]:
    """'this_month', 'last_month', 'this_year', 'last_year' as (first day, last day)."""
    if name == "this_month":
        nxt = (month_start(today) + timedelta(days=32)).replace(day=1)
        return month_start(today), nxt - timedelta(days=1)
    if name == "last_month":
        last = month_start(today) - timedelta(days=1)
        return month_start(last), last
    if name == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if name == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise ValueError(name)


PRESETS = {
    "this_month": "This month",
    "last_month": "Last month",
    "this_year": "This year",
    "last_year": "Last year",
    "custom": "Custom range",
}


class DateRangePicker(QWidget):
    """A preset (this month, last month, this year ...) and two dates; emits `changed`."""

    changed = Signal()

    def __init__(self, preset: str = "this_month", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox()
        self.preset.setAccessibleName("Period")
        for key, label in PRESETS.items():
            self.preset.addItem(label, key)
        self.since = date_edit()
        self.since.setAccessibleName("From")
        self.until = date_edit()
        self.until.setAccessibleName("To")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.preset)
        layout.addWidget(self.since)
        dash = QLabel("to")
        dash.setProperty("muted", True)
        layout.addWidget(dash)
        layout.addWidget(self.until)
        self._applying = False
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.since.dateChanged.connect(self._on_date_changed)
        self.until.dateChanged.connect(self._on_date_changed)
        self.set_preset(preset)

    def range(self) -> tuple[date, date]:
        return from_qdate(self.since.date()), from_qdate(self.until.date())

    def set_preset(self, key: str) -> None:
        self.preset.setCurrentIndex(self.preset.findData(key))
        self._on_preset_changed()

    def set_range(self, since: date, until: date) -> None:
        self._applying = True
        self.since.setDate(to_qdate(since))
        self.until.setDate(to_qdate(until))
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self._applying = False
        self.changed.emit()

    def _on_preset_changed(self) -> None:
        key = self.preset.currentData()
        if key == "custom" or self._applying:
            return
        since, until = preset_range(key, date.today())
        self._applying = True
        self.since.setDate(to_qdate(since))
        self.until.setDate(to_qdate(until))
        self._applying = False
        self.changed.emit()

    def _on_date_changed(self) -> None:
        if self._applying:
            return
        self._applying = True
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self._applying = False
        self.changed.emit()
