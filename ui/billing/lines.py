"""The draft invoice's lines, one editable row each, and the totals worked out as you type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.billing.money import from_cents, line_tax, rate_to_milli, to_cents
from practice.billing.records import ZERO, InvoiceLine, LineForm, Service, TaxRate
from practice.billing.service import MAX_QUANTITY
from ui import icons, theme
from ui.billing.money import MoneyFormat
from ui.billing.widgets import MoneyEdit
from ui.widgets.forms import DateField, ErrorLabel

# Column widths shared by the header and every row so the grid lines up; description stretches.
WIDTHS = {
    "service": 200,
    "day": 108,
    "codes": 76,
    "quantity": 64,
    "unit_price": 96,
    "discount": 88,
    "tax": 124,
    "amount": 100,
    "remove": 28,
}
HEADER = (
    ("service", "Service"),
    ("description", "Description"),
    ("day", "Date of service"),
    ("codes", "Codes"),
    ("quantity", "Qty"),
    ("unit_price", "Unit price"),
    ("discount", "Discount"),
    ("tax", "Tax"),
    ("amount", "Amount"),
    ("remove", ""),
)
NUMERIC = frozenset({"quantity", "unit_price", "discount", "amount"})


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Decimal
    discount: Decimal
    taxes: tuple[tuple[str, Decimal], ...]  # ("HST 13%", amount), in first-seen order
    total: Decimal


def totals_of(lines: Sequence[tuple[int, Decimal, Decimal, Sequence[TaxRate]]]) -> Totals:
    """Totals the way the core stores them: tax per line and rate, rounded half up, then summed."""
    subtotal = discount = tax_total = 0
    taxes: dict[str, int] = {}
    for quantity, unit_price, line_discount, rates in lines:
        gross = to_cents(unit_price) * quantity
        net = gross - to_cents(line_discount)
        subtotal += gross
        discount += to_cents(line_discount)
        for rate in rates:
            amount = line_tax(net, rate_to_milli(rate.rate))
            taxes[rate.label] = taxes.get(rate.label, 0) + amount
            tax_total += amount
    return Totals(
        from_cents(subtotal),
        from_cents(discount),
        tuple((label, from_cents(cents)) for label, cents in taxes.items()),
        from_cents(subtotal - discount + tax_total),
    )


def header_row() -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    for key, text in HEADER:
        label = QLabel(text)
        label.setProperty("muted", True)
        font = label.font()
        font.setWeight(font.Weight.DemiBold)
        label.setFont(font)
        if key in NUMERIC:
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if key in WIDTHS:
            label.setFixedWidth(WIDTHS[key])
            layout.addWidget(label)
        else:
            layout.addWidget(label, 1)
    return row


class LineRow(QWidget):
    """One editable line: service picker, description, date, codes, quantity, prices, taxes."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        services: Sequence[Service],
        rates: Sequence[TaxRate],
        money: MoneyFormat,
        line: InvoiceLine | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.money = money
        self.services = {s.id: s for s in services}
        self.rates = list(rates)
        self.visit_id = line.visit_id if line else None
        self.package_id = line.package_id if line else None

        self.service = QComboBox()
        self.service.addItem("Custom line", None)
        for item in services:
            self.service.addItem(item.name, item.id)
            self.service.setItemData(
                self.service.count() - 1,
                f"{item.name} · {money.text(item.price)}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.description = QLineEdit()
        self.description.setPlaceholderText("What was provided")
        self.description.setMaxLength(300)
        self.day = DateField()
        self.codes = QLabel()
        self.codes.setProperty("muted", True)
        self.codes.setTextFormat(Qt.TextFormat.PlainText)
        self.quantity = QSpinBox()
        self.quantity.setRange(1, MAX_QUANTITY)
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.unit_price = MoneyEdit(money)
        self.discount = MoneyEdit(money)
        self.tax = QToolButton()
        self.tax.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tax.setMenu(QMenu(self.tax))
        self._tax_actions = {}
        for rate in self.rates:
            action = self.tax.menu().addAction(rate.label)
            action.setCheckable(True)
            action.toggled.connect(self._on_tax_toggled)
            self._tax_actions[rate.id] = action
        if not self.rates:
            none = self.tax.menu().addAction("No tax rates yet (Billing settings)")
            none.setEnabled(False)
        self.amount = QLabel()
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.amount.setTextFormat(Qt.TextFormat.PlainText)
        self.remove = QToolButton()
        self.remove.setIcon(icons.icon("x", theme.colours().muted))
        self.remove.setToolTip("Remove this line")
        self.remove.setAutoRaise(True)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

        self.fields: dict[str, QWidget] = {
            "service_id": self.service,
            "description": self.description,
            "service_date": self.day,
            "codes": self.codes,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "discount": self.discount,
            "tax_rate_ids": self.tax,
            "amount": self.amount,
            "remove": self.remove,
        }
        names = {
            "service_id": "Service",
            "description": "Description",
            "service_date": "Date of service",
            "quantity": "Quantity",
            "unit_price": "Unit price",
            "discount": "Discount",
            "tax_rate_ids": "Tax",
        }
        for key, name in names.items():
            self.fields[key].setAccessibleName(name)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        order = ("service", "description", "day", "codes", "quantity")
        order += ("unit_price", "discount", "tax", "amount", "remove")
        for key in order:
            widget = getattr(self, key)
            if key in WIDTHS:
                widget.setFixedWidth(WIDTHS[key])
                row.addWidget(widget)
            else:
                row.addWidget(widget, 1)
        self.error = ErrorLabel()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 4)
        outer.setSpacing(0)
        outer.addLayout(row)
        outer.addWidget(self.error)

        self._filling = False
        self._fill(line)
        self.service.currentIndexChanged.connect(self._on_service_changed)
        for edit in (self.description, self.day, self.unit_price, self.discount):
            edit.textChanged.connect(self._on_edited)
        self.quantity.valueChanged.connect(self._on_edited)
        self.update_amount()

    # ------------------------------------------------------------------ values

    def chosen_service(self) -> Service | None:
        service_id = self.service.currentData()
        return self.services.get(service_id) if service_id is not None else None

    def chosen_rates(self) -> list[TaxRate]:
        return [r for r in self.rates if self._tax_actions[r.id].isChecked()]

    def numbers(self) -> tuple[int, Decimal, Decimal, list[TaxRate]] | None:
        """Quantity, unit price, discount and taxes, or None while a field cannot be read."""
        try:
            price = self.unit_price.value()
            discount = self.discount.value() if self.discount.text().strip() else ZERO
        except ValueError:
            return None
        return self.quantity.value(), price, discount, self.chosen_rates()

    def form(self) -> tuple[LineForm | None, dict[str, str]]:
        """The line as typed, or the messages of the fields that cannot be read."""
        errors: dict[str, str] = {}
        try:
            price = self.unit_price.value()
        except ValueError as error:
            errors["unit_price"] = f"Unit price: {error}"
        try:
            discount = self.discount.value() if self.discount.text().strip() else ZERO
        except ValueError as error:
            errors["discount"] = f"Discount: {error}"
        try:
            day = self.day.value()
        except ValueError as error:
            errors["service_date"] = str(error)
        if errors:
            return None, errors
        return (
            LineForm(
                description=self.description.text(),
                service_id=self.service.currentData(),
                quantity=self.quantity.value(),
                unit_price=price,
                discount=discount,
                tax_rate_ids=tuple(r.id for r in self.chosen_rates()),
                visit_id=self.visit_id,
                service_date=day,
            ),
            {},
        )

    def show_errors(self, errors: dict[str, str]) -> QWidget | None:
        """Mark the fields named in `errors`, show the messages under the row; the first field."""
        first = None
        for key, widget in self.fields.items():
            bad = key in errors
            widget.setProperty("invalid", bad)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            if bad and first is None:
                first = widget
        self.error.set_message(" ".join(dict.fromkeys(errors.values())))
        return first

    def update_amount(self) -> None:
        numbers = self.numbers()
        if numbers is None:
            self.amount.setText("—")
            self.amount.setToolTip("Fix the amounts on this line to see its total")
            return
        quantity, price, discount, _rates = numbers
        self.amount.setText(self.money.text(price * quantity - discount))
        self.amount.setToolTip("Before tax")

    # ------------------------------------------------------------------ filling

    def _fill(self, line: InvoiceLine | None) -> None:
        self._filling = True
        if line is None:
            self.quantity.setValue(1)
            self._set_codes(None)
        else:
            index = self.service.findData(line.service_id) if line.service_id else 0
            self.service.setCurrentIndex(max(0, index))
            self.description.setText(line.description)
            self.day.set_value(line.service_date)
            self.quantity.setValue(line.quantity)
            self.unit_price.set_value(line.unit_price)
            self.discount.set_value(line.discount if line.discount else None)
            ids = {t.tax_rate_id for t in line.taxes}
            for rate_id, action in self._tax_actions.items():
                action.setChecked(rate_id in ids)
            self._set_codes(self.chosen_service())
        self._update_tax_text()
        self._filling = False

    def _set_codes(self, service: Service | None) -> None:
        if service is None or not service.billing_codes:
            self.codes.setText("")
            self.codes.setToolTip("Billing codes come from the service in the catalogue")
            return
        codes = " ".join(service.billing_codes)
        text = f"{codes} {service.modifier}".strip() if service.modifier else codes
        self.codes.setText(text)
        self.codes.setToolTip(
            f"CPT {codes}" + (f", modifier {service.modifier}" if service.modifier else "")
        )

    def _update_tax_text(self) -> None:
        rates = self.chosen_rates()
        self.tax.setText(" + ".join(r.label for r in rates) if rates else "No tax")
        self.tax.setToolTip("Taxes on this line (choose one or more)")

    # ------------------------------------------------------------------ handlers

    def _on_service_changed(self) -> None:
        service = self.chosen_service()
        self._filling = True
        if service is not None:
            self.description.setText(service.name)
            self.unit_price.set_value(service.price)
            for rate_id, action in self._tax_actions.items():
                action.setChecked(rate_id in service.tax_rate_ids)
        self._set_codes(service)
        self._update_tax_text()
        self._filling = False
        self._on_edited()

    def _on_tax_toggled(self) -> None:
        if self._filling:
            return
        self._update_tax_text()
        self._on_edited()

    def _on_edited(self) -> None:
        if self._filling:
            return
        self.update_amount()
        self.changed.emit()


class TotalsPanel(QWidget):
    """Label and amount pairs, amounts right-aligned; the total and the balance in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(300)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(16, 12, 16, 12)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(6)
        self.values: dict[str, str] = {}

    def show_rows(self, rows: list[tuple[str, str, bool]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.values = {}
        for r, (label, value, bold) in enumerate(rows):
            name = QLabel(label)
            name.setTextFormat(Qt.TextFormat.PlainText)
            amount = QLabel(value)
            amount.setTextFormat(Qt.TextFormat.PlainText)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setAccessibleName(f"{label}: {value}")
            amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if bold:
                for widget in (name, amount):
                    font = widget.font()
                    font.setWeight(font.Weight.DemiBold)
                    font.setPointSizeF(font.pointSizeF() * 1.1)
                    widget.setFont(font)
            else:
                name.setProperty("muted", True)
            self.grid.addWidget(name, r, 0)
            self.grid.addWidget(amount, r, 1)
            self.values[label] = value
