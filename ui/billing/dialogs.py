"""Billing dialogs: record or refund a payment, void an invoice, sell a package, pick a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service
from practice.billing.records import (
    MONEY_METHODS,
    ZERO,
    Invoice,
    Package,
    Payment,
    PaymentForm,
    PaymentMethod,
    Refund,
    ServiceKind,
)
from practice.errors import ValidationError
from practice.store import Database
from ui.billing.money import MoneyFormat
from ui.billing.widgets import DateRangePicker, MoneyEdit, date_edit, from_qdate
from ui.ops import QueryOp, write_from
from ui.widgets import dates
from ui.widgets.forms import FormGrid, line, muted, text_box


def _buttons(ok_text: str, *, danger: bool = False) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setProperty("danger" if danger else "primary", True)
    return buttons


def _frame(dialog: QDialog, title: str, width: int = 480) -> QVBoxLayout:
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(width)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 24, 24, 16)
    layout.setSpacing(8)
    return layout


class PaymentDialog(QDialog):
    """Money received for an invoice (or for the client's open invoices, oldest first).

    Defaults to the balance; more than the balance is refused next to the amount unless the
    excess is kept as account credit. "Record and add another" splits a payment over methods.
    """

    def __init__(
        self,
        db: Database,
        client_id: int,
        invoice: Invoice | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.client_id = client_id
        self.invoice = invoice
        self.money = MoneyFormat.of(db)
        self.recorded: list[Payment] = []
        self._owed: Decimal | None = None
        what = f"invoice {invoice.number}" if invoice else "open invoices"
        layout = _frame(self, f"Record payment · {what}", 520)
        self.summary = muted("")
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        self.grid = FormGrid()
        g = self.grid
        self.amount = MoneyEdit(self.money)
        g.add("amount", "&Amount", self.amount)
        self.method = QComboBox()
        for method in MONEY_METHODS:
            self.method.addItem(method.label, method)
        g.add("method", "&Method", self.method)
        self.received_on = date_edit()
        g.add("received_on", "&Date", self.received_on)
        self.reference = line("Cheque, card slip, claim or gift certificate number …", 120)
        g.add("reference", "&Reference", self.reference)
        self.note = line("Optional", 300)
        g.add("note", "&Note", self.note)
        self.as_credit = QCheckBox("Keep the excess as account credit")
        self.as_credit.setAccessibleName("Keep the excess as account credit")
        self.as_credit.hide()
        layout.addWidget(g)
        layout.addWidget(self.as_credit)
        self.buttons = _buttons("Record payment")
        self.another = QPushButton("Record and add another")
        self.another.setToolTip("Save this part and record another one (a split payment)")
        self.buttons.addButton(self.another, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self._on_record)
        self.buttons.rejected.connect(self.reject)
        self.another.clicked.connect(self._on_record_another)
        layout.addWidget(self.buttons)
        self.amount.textChanged.connect(self._on_amount_changed)
        self._refresh()

    def owed(self) -> Decimal:
        """What is owed, as read when the dialog opened or a part was last recorded (the
        client's account is over 5 ms to read on a large practice: not on every key, and on
        the op runner). Nothing until it is read."""
        return self._owed if self._owed is not None else ZERO

    def _refresh(self) -> None:
        """Read what is owed and the account credit on the op runner; nothing is recorded
        until they are shown."""
        self._owed = None
        self.buttons.setEnabled(False)
        db, client_id = self.db, self.client_id
        invoice_id = self.invoice.id if self.invoice is not None else None
        QueryOp(self, lambda: _owing(db, client_id, invoice_id), self._show_owing).run(key="owed")

    def _show_owing(self, read: tuple[Invoice | None, Decimal, Decimal]) -> None:
        self.invoice, self._owed, credit = read
        owed = self._owed
        if self.recorded and owed <= 0:
            self.accept()  # the last part recorded
            return
        at = self.method.findData(PaymentMethod.ACCOUNT_CREDIT)
        if at >= 0:
            self.method.removeItem(at)
        if credit > 0:
            self.method.addItem(
                f"Account credit ({self.money.text(credit)} available)",
                PaymentMethod.ACCOUNT_CREDIT,
            )
        self.buttons.setEnabled(True)
        parts = [f"Owed: {self.money.text(owed)}"]
        if self.invoice is not None:
            parts.insert(0, f"Invoice {self.invoice.number} · {self.invoice.client_name}")
        if self.recorded:
            parts.append(f"{len(self.recorded)} part(s) recorded")
        self.summary.setText("  ·  ".join(parts))
        self.amount.set_value(owed if owed > 0 else None)
        self.amount.setFocus()
        self.amount.selectAll()
        self.another.setEnabled(owed > 0)

    def _on_amount_changed(self) -> None:
        try:
            over = self.amount.value() > self.owed()
        except ValueError:
            over = False
        self.as_credit.setVisible(over)
        if not over:
            self.as_credit.setChecked(False)
        self.grid.show_errors({})

    def form(self) -> PaymentForm | None:
        if self._owed is None:
            return None  # what is owed is still being read: the buttons wait for it
        try:
            amount = self.amount.value()
        except ValueError as error:
            self.grid.show_errors({"amount": str(error)})
            return None
        owed = self.owed()
        if amount > owed and not self.as_credit.isChecked():
            extra = self.money.text(amount - owed)
            self.grid.show_errors(
                {
                    "amount": f"This is {extra} more than the {self.money.text(owed)} owed. "
                    "Lower the amount, or tick “Keep the excess as account credit”."
                }
            )
            return None
        return PaymentForm(
            amount=amount,
            method=self.method.currentData(),
            received_on=from_qdate(self.received_on.date()),
            invoice_id=self.invoice.id if self.invoice else None,
            as_credit=self.as_credit.isChecked(),
            reference=self.reference.text(),
            note=self.note.text(),
        )

    def _save(self, then: Callable[[], None]) -> None:
        """Record the payment in the background, then `then` (close, or ready the next part)."""
        form = self.form()
        if form is None:
            return
        db, client_id = self.db, self.client_id

        def recorded(payment: Payment) -> None:
            self.recorded.append(payment)
            then()

        work = lambda: service.record_payment(db, client_id, form)  # noqa: E731
        write_from(self, self.buttons, work, recorded, self._refused)

    def _refused(self, error: ValidationError) -> None:
        errors = dict(error.errors)
        general = {k: v for k, v in errors.items() if k not in self.grid.fields}
        if general:
            errors["amount"] = " ".join([errors.get("amount", ""), *general.values()]).strip()
        self.grid.show_errors(errors)

    def _on_record(self) -> None:
        self._save(self.accept)

    def _on_record_another(self) -> None:
        self._save(self._ready_for_another)

    def _ready_for_another(self) -> None:
        """A part is recorded: the next part defaults to what is still owed (nothing owed
        closes the dialog, once read)."""
        self.reference.clear()
        self.note.clear()
        self._refresh()


def _owing(
    db: Database, client_id: int, invoice_id: int | None
) -> tuple[Invoice | None, Decimal, Decimal]:
    """The invoice as it is now (when one is paid), what is owed and the account credit."""
    account = service.client_account(db, client_id)
    if invoice_id is None:
        return None, account.owed, account.account_credit
    invoice = service.get_invoice(db, invoice_id)
    return invoice, invoice.balance, account.account_credit


class RefundDialog(QDialog):
    """Give back what of a payment is credit; a reason is required and kept on record."""

    def __init__(self, db: Database, payment: Payment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.payment = payment
        self.money = MoneyFormat.of(db)
        self.refund: Refund | None = None
        layout = _frame(self, "Refund payment", 520)
        layout.addWidget(
            muted(
                f"{payment.method.label} payment of {self.money.text(payment.amount)} received "
                f"{dates.day(payment.received_on)}. Only what is credit (not applied to an "
                "invoice) can be refunded; void an invoice first to free what it took."
            )
        )
        self.grid = FormGrid()
        self.amount = MoneyEdit(self.money)
        self.amount.set_value(max(payment.unapplied, Decimal("0")))
        self.grid.add("amount", "&Amount", self.amount)
        self.method = QComboBox()
        for method in MONEY_METHODS:
            self.method.addItem(method.label, method)
        self.method.setCurrentIndex(max(0, self.method.findData(payment.method)))
        self.grid.add("method", "Paid &back by", self.method)
        self.refunded_on = date_edit()
        self.grid.add("refunded_on", "&Date", self.refunded_on)
        self.reason = text_box("Why the money is given back (kept on record)", 2)
        self.grid.add("reason", "&Reason", self.reason)
        layout.addWidget(self.grid)
        self.buttons = _buttons("Refund", danger=True)
        self.buttons.accepted.connect(self._on_refund)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_refund(self) -> None:
        try:
            amount = self.amount.value()
        except ValueError as error:
            self.grid.show_errors({"amount": str(error)})
            return
        db, payment_id = self.db, self.payment.id
        reason, method = self.reason.toPlainText(), self.method.currentData()
        refunded_on = from_qdate(self.refunded_on.date())

        def refunded(refund: Refund) -> None:
            self.refund = refund
            self.accept()

        def refused(error: ValidationError) -> None:
            errors = dict(error.errors)
            if "payment" in errors:
                errors["amount"] = errors.pop("payment")
            self.grid.show_errors(errors)

        work = lambda: service.refund_payment(  # noqa: E731
            db, payment_id, amount, reason, refunded_on=refunded_on, method=method
        )
        write_from(self, self.buttons, work, refunded, refused)


class VoidDialog(QDialog):
    """Void an issued invoice with a credit note; says what happens and needs a reason."""

    def __init__(self, db: Database, invoice: Invoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.invoice = invoice
        self.credit_note: Invoice | None = None
        money = MoneyFormat.of(db)
        layout = _frame(self, f"Void invoice {invoice.number}", 560)
        consequence = (
            f"A credit note for {money.text(invoice.total)} cancels invoice {invoice.number}. "
            "The invoice keeps its number and stays on record; this cannot be undone."
        )
        if invoice.paid > 0:
            consequence += (
                f" The {money.text(invoice.paid)} paid on it becomes the client's account credit "
                "(refund it or apply it to another invoice)."
            )
        text = QLabel(consequence)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        layout.addSpacing(8)
        self.grid = FormGrid()
        self.reason = text_box("Why the invoice is cancelled (printed on the credit note)", 3)
        self.grid.add("reason", "&Reason", self.reason)
        layout.addWidget(self.grid)
        self.buttons = _buttons("Void and issue credit note", danger=True)
        self.buttons.accepted.connect(self._on_void)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_void(self) -> None:
        db, invoice_id, reason = self.db, self.invoice.id, self.reason.toPlainText()

        def voided(credit_note: Invoice) -> None:
            self.credit_note = credit_note
            self.accept()

        def refused(error: ValidationError) -> None:
            self.grid.show_errors({"reason": " ".join(error.errors.values())})

        work = lambda: service.void_invoice(db, invoice_id, reason)  # noqa: E731
        write_from(self, self.buttons, work, voided, refused)


class SellPackageDialog(QDialog):
    """Sell a prepaid package from the catalogue, paid now in full."""

    def __init__(self, db: Database, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client_id = client_id
        self.money = MoneyFormat.of(db)
        self.package: Package | None = None
        layout = _frame(self, "Sell package", 520)
        self.packages = service.list_services(db, kind=ServiceKind.PACKAGE)
        self.grid = FormGrid()
        self.choice = QComboBox()
        for item in self.packages:
            self.choice.addItem(
                f"{item.name} · {item.package_visits} visits · {self.money.text(item.price)}",
                item.id,
            )
        self.grid.add("service_id", "&Package", self.choice)
        self.method = QComboBox()
        for method in MONEY_METHODS:
            self.method.addItem(method.label, method)
        self.grid.add("method", "Paid &by", self.method)
        self.received_on = date_edit()
        self.grid.add("received_on", "&Date", self.received_on)
        self.reference = line("Optional", 120)
        self.grid.add("reference", "&Reference", self.reference)
        if not self.packages:
            layout.addWidget(
                muted("No packages in the catalogue yet. Add one in Billing settings (Services).")
            )
        else:
            layout.addWidget(
                muted("The client pays the package now; each visit billed later draws from it.")
            )
        layout.addWidget(self.grid)
        self.buttons = _buttons("Sell package")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.packages))
        self.buttons.accepted.connect(self._on_sell)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_sell(self) -> None:
        db, client_id = self.db, self.client_id
        service_id, method = self.choice.currentData(), self.method.currentData()
        received_on, reference = from_qdate(self.received_on.date()), self.reference.text()

        def sold(package: Package) -> None:
            self.package = package
            self.accept()

        work = lambda: service.sell_package(  # noqa: E731
            db, client_id, service_id, method, received_on=received_on, reference=reference
        )
        write_from(
            self, self.buttons, work, sold, lambda error: self.grid.show_errors(error.errors)
        )


class PeriodDialog(QDialog):
    """Choose a date range (with presets) for a document such as a superbill."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _frame(self, title, 520)
        layout.addWidget(muted(hint))
        self.picker = DateRangePicker("this_year")
        layout.addWidget(self.picker)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = _buttons("Preview")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def range(self) -> tuple[date, date]:
        return self.picker.range()

    def _on_ok(self) -> None:
        since, until = self.range()
        if since > until:
            self.error.setText("The start date is after the end date.")
            self.error.show()
            return
        self.accept()
