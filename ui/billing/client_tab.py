"""The client's Billing tab: what they owe and hold, packages, invoices, payments, superbill."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service
from practice.billing.records import ClientAccount, Invoice, InvoiceSummary, Payment
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client
from practice.store import Database, staff
from ui import icons, theme
from ui.billing import invoice_dialog
from ui.billing.dialogs import PaymentDialog, PeriodDialog, RefundDialog, SellPackageDialog
from ui.billing.invoice_dialog import InvoiceDialog
from ui.billing.list_model import InvoiceListModel
from ui.billing.money import MoneyFormat
from ui.billing.reports import FigureCard
from ui.billing.tables import TextTableModel, table_view
from ui.billing.widgets import ChipDelegate
from ui.ops import QueryOp, Refresh, runner, write_from
from ui.widgets import dates
from ui.widgets.forms import muted, section_title
from ui.widgets.status import say
from ui.widgets.tables import fit_columns

PAYMENT_COLUMNS = ("Received", "Method", "Reference", "Amount", "Applied to", "Refunded")


@dataclass(frozen=True, slots=True)
class _Read:
    """What the tab shows of one client, read together on a worker."""

    client_id: int
    money: MoneyFormat
    account: ClientAccount
    invoices: list[InvoiceSummary]
    payments: list[Payment]


def _read(db: Database, client_id: int) -> _Read:
    return _Read(
        client_id,
        MoneyFormat.of(db),
        service.client_account(db, client_id),
        service.list_invoices(db, client_id),
        service.list_payments(db, client_id),
    )


class ClientBillingTab(QWidget):
    """A client's account: what is owed and held, their invoices, payments and packages."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.money = MoneyFormat.of(db)
        self.client: Client | None = None
        self.account: ClientAccount | None = None
        self.dialog: InvoiceDialog | None = None

        c = theme.colours()
        self.new_button = QPushButton(icons.icon("plus", c.accent_text), "New invoice")
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self.new_invoice)
        self.pay_button = QPushButton(icons.icon("wallet"), "Record payment…")
        self.pay_button.setToolTip("Money received, applied to the oldest open invoices first")
        self.pay_button.clicked.connect(self.record_payment)
        self.package_button = QPushButton(icons.icon("package"), "Sell package…")
        self.package_button.clicked.connect(self.sell_package)
        self.superbill_button = QPushButton(icons.icon("file-text"), "Superbill…")
        self.superbill_button.setToolTip("A superbill of this client's visits for their insurer")
        self.superbill_button.clicked.connect(self.superbill)
        self.superbill_button.setVisible(staff.sees_clinical(db))  # diagnoses: not the desk's
        self.owed = FigureCard("Owed")
        self.credit = FigureCard("Credit")
        self.packages_card = FigureCard("Package visits left")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addStretch(1)
        for button in (
            self.superbill_button,
            self.package_button,
            self.pay_button,
            self.new_button,
        ):
            actions.addWidget(button)
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for card in (self.owed, self.credit, self.packages_card):
            card.setMinimumWidth(140)
            cards.addWidget(card)
        cards.addStretch(1)

        self.packages_model = TextTableModel(
            ("Package", "Bought", "Visits left", "Value left"), frozenset({2, 3}), self
        )
        self.packages_table = table_view(self.packages_model, "Packages")
        fit_columns(self.packages_table, 0, {1: 104, 2: 96, 3: 112})
        self.packages_title = section_title("Packages")

        self.invoices_model = InvoiceListModel(self.money, self, show_client=False)
        self.invoices_table = table_view(self.invoices_model, "Invoices of this client")
        self.invoices_table.setItemDelegateForColumn(
            InvoiceListModel.STATUS, ChipDelegate(self.invoices_table)
        )
        self.invoices_table.setColumnHidden(InvoiceListModel.CLIENT, True)
        m = InvoiceListModel
        fit_columns(
            self.invoices_table,
            m.STATUS,
            {m.NUMBER: 100, m.ISSUED: 96, m.DUE: 96, m.TOTAL: 104, m.PAID: 104, m.BALANCE: 104},
            drop=(m.DUE, m.PAID),  # narrow, the balance says what the payments left
        )
        self.invoices_table.setToolTip("Enter or a double-click opens the invoice")
        self.invoices_table.activated.connect(self._on_invoice_activated)
        self.invoices_table.doubleClicked.connect(self._on_invoice_activated)
        self.no_invoices = muted(
            "No invoices yet. New invoice starts one; a completed visit can be billed from "
            "the Visits tab (Bill this visit)."
        )

        self.payments_model = TextTableModel(PAYMENT_COLUMNS, frozenset({3, 5}), self)
        self.payments_table = table_view(self.payments_model, "Payments of this client")
        fit_columns(
            self.payments_table, 4, {0: 100, 1: 120, 2: 150, 3: 104, 5: 96}, drop=(2, 1)
        )  # narrow, the reference and then the method go: the payment's dialog has them
        self.payments_table.selectionModel().currentRowChanged.connect(self._update_refund)
        self.refund_button = QPushButton("Refund…")
        self.refund_button.setToolTip("Give back what of the chosen payment is credit")
        self.refund_button.clicked.connect(self.refund)
        self.no_payments = muted("No payments yet.")

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 16, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(actions)
        layout.addLayout(cards)
        layout.addWidget(self.packages_title)
        layout.addWidget(self.packages_table)
        layout.addWidget(section_title("Invoices"))
        layout.addWidget(self.invoices_table)
        layout.addWidget(self.no_invoices)
        pay_head = QHBoxLayout()
        pay_head.addWidget(section_title("Payments"))
        pay_head.addStretch(1)
        pay_head.addWidget(self.refund_button)
        layout.addLayout(pay_head)
        layout.addWidget(self.payments_table)
        layout.addWidget(self.no_payments)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._refresh = Refresh(
            self, ("invoice", "payment", "settings"), self.refresh, client_id=self._client_id
        )

    # ------------------------------------------------------------------ loading

    def load(self, client: Client | None) -> None:
        """Show a client's billing; read when the tab is shown, so switching clients is quick."""
        self.client = client
        self._refresh.request()

    def refresh(self) -> None:
        """Read the client's account, invoices and payments in the background, then show them."""
        for button in (self.new_button, self.pay_button, self.package_button):
            button.setEnabled(self.client is not None)
        self.superbill_button.setEnabled(self.client is not None)
        if self.client is None:
            return
        db, client_id = self.db, self.client.id
        QueryOp(self, lambda: _read(db, client_id), self._show).run(key="client-billing")

    def _show(self, read: _Read) -> None:
        if self.client is None or self.client.id != read.client_id:
            return  # another client was opened meanwhile: its own read is on its way
        self.money = read.money
        self.invoices_model.money = self.money
        m = self.money.text
        account = self.account = read.account
        self.owed.set_value(m(account.owed))
        self.credit.set_value(m(account.credit))
        self.credit.setToolTip(
            f"Account credit {m(account.account_credit)} · in packages {m(account.package_credit)}"
        )
        packages = [p for p in account.packages if p.remaining > 0]
        self.packages_card.set_value(str(sum(p.remaining for p in packages)))
        self.packages_model.set_rows(
            [
                (
                    p.name,
                    dates.day(p.bought_on),
                    f"{p.remaining} of {p.visits}",
                    m(p.remaining_value),
                )
                for p in packages
            ]
        )
        self.packages_table.setFixedHeight(30 * (len(packages) + 1) + 8)
        for widget in (self.packages_title, self.packages_table):
            widget.setVisible(bool(packages))

        invoices = read.invoices
        self.invoices_model.set_rows(invoices)
        self.invoices_table.setFixedHeight(30 * (min(len(invoices), 10) + 1) + 8)
        self.invoices_table.setVisible(bool(invoices))
        self.no_invoices.setVisible(not invoices)

        rows = []
        for p in read.payments:
            applied = ", ".join(a.invoice_number or "draft" for a in p.allocations if a.amount > 0)
            if p.package_id and not applied:
                applied = "Package"
            elif p.unapplied > 0:
                applied = ", ".join(filter(None, [applied, f"credit {m(p.unapplied)}"]))
            rows.append(
                (
                    dates.day(p.received_on),
                    p.method.label,
                    p.reference,
                    m(p.amount),
                    applied,
                    m(p.refunded) if p.refunded else "",
                )
            )
        self.payments_model.set_rows(rows, read.payments)
        self.payments_table.setFixedHeight(30 * (min(len(rows), 10) + 1) + 8)
        self.payments_table.setVisible(bool(rows))
        self.no_payments.setVisible(not rows)
        self._update_refund()

    # ------------------------------------------------------------------ actions

    def open_invoice(
        self, invoice_id: int, then: Callable[[InvoiceDialog], None] | None = None
    ) -> InvoiceDialog:
        """The invoice in its window, opened once read; `then(dialog)` after that."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = invoice_dialog.open_invoice(self.db, invoice_id, self, then)
        return self.dialog

    def new_invoice(self) -> None:
        """Start a draft on the op runner; it opens, with a first line, once it exists."""
        if self.client is None:
            return
        db, client_id = self.db, self.client.id

        def opened(draft: Invoice) -> None:
            self.open_invoice(draft.id, lambda dialog: dialog.editor.add_line())

        write_from(
            self,
            self.new_button,
            lambda: service.create_invoice(db, client_id, []),
            opened,
            changes=Changes.of("invoice", client_id=client_id),
        )

    def record_payment(self) -> None:
        if self.client is None:
            return
        dialog = PaymentDialog(self.db, self.client.id, None, self)
        dialog.exec()
        if dialog.recorded:
            self._written(f"Payment recorded for {self.client.display_name}")

    def sell_package(self) -> None:
        if self.client is None:
            return
        dialog = SellPackageDialog(self.db, self.client.id, self)
        if dialog.exec() and dialog.package is not None:
            self._written(f"Package sold: {dialog.package.name}")

    def refund(self) -> None:
        payment = self._chosen_payment()
        if payment is None:
            return
        dialog = RefundDialog(self.db, payment, self)
        if dialog.exec() and dialog.refund is not None:
            self._written(f"Refunded {self.money.text(dialog.refund.amount)}")

    def superbill(self) -> QWidget | None:
        if self.client is None:
            return None
        profile = clients.get_profile(self.db)
        if profile is None:
            QMessageBox.information(
                self,
                "Practice profile needed",
                "A superbill prints your name, NPI and tax ID. Fill in the practice profile "
                "first (Edit > Practice profile…).",
            )
            return None
        chooser = PeriodDialog(
            "Superbill",
            f"Which visits of {self.client.display_name} should the superbill list?",
            self,
        )
        if not chooser.exec():
            return None
        since, until = chooser.range()
        from ui.documents.printing import preview_superbill

        return preview_superbill(self, self.db, self.client, since, until)

    # ------------------------------------------------------------------ helpers

    def _chosen_payment(self) -> Payment | None:
        index = self.payments_table.currentIndex()
        if not index.isValid():
            return None
        payment = self.payments_model.key(index.row())
        return payment if isinstance(payment, Payment) else None

    def _update_refund(self, *_args: object) -> None:
        payment = self._chosen_payment()
        self.refund_button.setEnabled(
            payment is not None and payment.method.is_money and payment.unapplied > 0
        )

    def _on_invoice_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_invoice(self.invoices_model.invoice(index.row()).id)

    def _written(self, message: str) -> None:
        """A dialog wrote a payment, package or refund: tell every view (this one too)."""
        assert self.client is not None
        runner().announce(Changes.of("invoice", "payment", client_id=self.client.id), self)
        say(self, message)

    def _client_id(self) -> int | None:
        return self.client.id if self.client is not None else None
