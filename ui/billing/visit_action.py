"""'Bill this visit' in the visit note's header, or 'Billed: 2026-0042' once it is billed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from practice.billing import service
from practice.billing.records import Invoice, InvoiceKind, InvoiceStatus
from practice.changes import Changes
from practice.errors import ValidationError
from practice.store import Database
from practice.visits.records import NOT_BILLED_HERE, VisitRecord, VisitStatus
from ui import icons
from ui.ops import QueryOp, WriteOp
from ui.widgets.status import say

BILL_TIP = (
    "Issue an invoice for this visit (the service matching its length, or the client's "
    "package) and open it"
)


def billing_invoice(invoices: list[Invoice]) -> Invoice | None:
    """The invoice that bills a visit now: not void, not a credit note (drafts count)."""
    return next(
        (
            i
            for i in reversed(invoices)
            if i.kind is InvoiceKind.INVOICE and i.status is not InvoiceStatus.VOID
        ),
        None,
    )


class VisitBillingAction(QWidget):
    """One click bills a completed visit (an issued invoice) and opens it."""

    def __init__(
        self, db: Database, prepare: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.prepare = prepare  # saves the open note first; False stops billing
        self.record: VisitRecord | None = None
        self.invoice: Invoice | None = None
        self.dialog: QWidget | None = None
        self.bill_button = QPushButton(icons.icon("receipt"), "Bill this visit")
        self.bill_button.clicked.connect(self.bill)
        self.billed_button = QPushButton(icons.icon("receipt"), "")
        self.billed_button.setFlat(True)
        self.billed_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.billed_button.clicked.connect(self.open_invoice)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bill_button)
        layout.addWidget(self.billed_button)
        self.show_record(None)

    def show_record(self, record: VisitRecord | None) -> None:
        """Offer billing for a stored, completed visit; say which invoice bills it already
        (read in the background: the note's save or switch never waits for it)."""
        shown = self.record.visit.id if self.record is not None else None
        self.record = record
        visit = record.visit if record is not None else None
        if visit is None or visit.status is not VisitStatus.COMPLETED:
            self.invoice = None
            self.hide()
            return
        if visit.id != shown:
            self.hide()  # until this visit's invoice is known
        db, visit_id = self.db, visit.id
        QueryOp(
            self,
            lambda: billing_invoice(service.invoices_for_visit(db, visit_id)),
            lambda invoice: self._show(visit_id, invoice),
        ).run(key="visit-invoice")

    def _show(self, visit_id: int, invoice: Invoice | None) -> None:
        record = self.record
        if record is None or record.visit.id != visit_id:
            return
        self.invoice = invoice
        if invoice is None:
            # Imported history was billed in the other tool: shown, but not offered, with why.
            imported = record.visit.imported is not None
            self.bill_button.setEnabled(not imported)
            self.bill_button.setToolTip(NOT_BILLED_HERE if imported else BILL_TIP)
            self.bill_button.setAccessibleDescription(self.bill_button.toolTip())
            self.billed_button.hide()
            self.bill_button.show()
        else:
            number = invoice.number
            self.billed_button.setText(f"Billed: {number}" if number else "On a draft invoice")
            self.billed_button.setToolTip("Open the invoice that bills this visit")
            self.billed_button.setAccessibleName(self.billed_button.text())
            self.bill_button.hide()
            self.billed_button.show()
        self.show()

    def bill(self) -> None:
        """Issue the visit's invoice in the background, then show and open it."""
        if self.record is None or not self.prepare() or self.record is None:
            return
        db, visit_id = self.db, self.record.visit.id
        self.bill_button.setEnabled(False)
        WriteOp(
            self,
            lambda: service.bill_visit(db, visit_id),
            self._on_billed,
            changes=lambda invoice: Changes.of("invoice", "payment", client_id=invoice.client_id),
        ).on_invalid(self._on_cannot_bill).after(lambda: self.bill_button.setEnabled(True)).run()

    def _on_billed(self, invoice: Invoice) -> None:
        if self.record is not None:
            self._show(self.record.visit.id, invoice)
        say(self, f"Invoice {invoice.number} issued for the visit")
        self.open_invoice()

    def _on_cannot_bill(self, error: ValidationError) -> None:
        QMessageBox.information(
            self,
            "Cannot bill this visit",
            " ".join(error.errors.values())
            + "\n\nServices and prices are set in Edit > Billing settings.",
        )

    def open_invoice(self) -> None:
        if self.invoice is None:
            return
        from ui.billing import invoice_dialog

        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = invoice_dialog.open_invoice(self.db, self.invoice.id, self)
        dialog.finished.connect(lambda _r: self.show_record(self.record))
        self.dialog = dialog
