"""One invoice on screen: a draft's line editor with live totals, or an issued invoice's record.

A draft is edited in place (Ctrl+S saves it) and issued after a confirmation that names its
number. An issued invoice is read-only: record payments, print it, print a receipt (later
copies are marked DUPLICATE) or void it with a credit note.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service
from practice.billing.records import (
    ZERO,
    Invoice,
    InvoiceStatus,
    Payment,
    Service,
    TaxRate,
)
from practice.changes import Changes
from practice.clients import service as clients
from practice.errors import ValidationError
from practice.printouts import Printout
from practice.store import Database
from ui import icons, theme
from ui.billing.dialogs import PaymentDialog, RefundDialog, VoidDialog
from ui.billing.invoice_read import InvoiceRead, details_text, issued_rows, read_invoice
from ui.billing.lines import LineRow, Totals, TotalsPanel, header_row, totals_of
from ui.billing.money import MoneyFormat
from ui.billing.tables import TextTableModel, table_view
from ui.billing.widgets import StatusChip, status_key, status_label
from ui.ops import QueryOp, WriteOp, runner, write_from, write_now
from ui.widgets import dates
from ui.widgets.forms import ErrorLabel, muted, section_title, text_box
from ui.widgets.status import say
from ui.widgets.tables import fit_columns

LINE_COLUMNS = ("Date", "Description", "Codes", "Qty", "Unit price", "Discount", "Tax", "Amount")
PAYMENT_COLUMNS = ("Received", "Method", "Reference", "Applied here", "Refunded", "Credit left")


class InvoiceEditor(QWidget):
    deleted = Signal(int)
    open_invoice = Signal(int)  # show another invoice (the credit note of a voided one)
    shown = Signal()  # an invoice read is on screen

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.money = MoneyFormat.of(db)
        self.invoice: Invoice | None = None
        self.payments: list[Payment] = []
        self._services: list[Service] = []  # what a draft's line offers
        self._rates: list[TaxRate] = []
        self._codes: dict[int, Service] = {}  # an issued line's service, for its codes
        self.rows: list[LineRow] = []
        self._dirty = False
        self._loading = False
        self._edits = 0  # changes typed so far: a save landing knows whether typing came after

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.chip = StatusChip()
        self.details = muted("", wrap=False)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        c = theme.colours()
        self.delete_button = QPushButton("Delete draft")
        self.delete_button.setProperty("danger", True)
        self.save_button = QPushButton(icons.icon("save"), "Save draft")
        self.save_button.setToolTip("Save the draft (Ctrl+S)")
        self.issue_button = QPushButton(icons.icon("check", c.accent_text), "Issue…")
        self.issue_button.setProperty("primary", True)
        self.issue_button.setToolTip("Give the invoice its number and lock it")
        self.void_button = QPushButton(icons.icon("ban", c.danger), "Void with credit note…")
        self.void_button.setProperty("danger", True)
        self.print_button = QPushButton(icons.icon("printer"), "Print / PDF…")
        self.receipt_button = QPushButton(icons.icon("receipt"), "Receipt…")
        self.pay_button = QPushButton(icons.icon("wallet", c.accent_text), "Record payment…")
        self.pay_button.setProperty("primary", True)
        self.delete_button.clicked.connect(self.delete_draft)
        self.save_button.clicked.connect(self.save_soon)
        self.issue_button.clicked.connect(self.issue)
        self.void_button.clicked.connect(self.void)
        self.print_button.clicked.connect(self.print_pdf)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.pay_button.clicked.connect(self.record_payment)

        self.head = QHBoxLayout()
        self.head.setSpacing(8)
        self.head.addWidget(self.title)
        self.head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignVCenter)
        self.head.addStretch(1)
        for button in (
            self.delete_button,
            self.void_button,
            self.receipt_button,
            self.print_button,
            self.save_button,
            self.issue_button,
            self.pay_button,
        ):
            self.head.addWidget(button)

        self.draft_page = self._build_draft()
        self.issued_page = self._build_issued()
        self.totals = TotalsPanel()
        self.notes_box = QWidget()

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        cl = QVBoxLayout(content)
        cl.setContentsMargins(0, 0, 8, 0)
        cl.setSpacing(8)
        cl.addWidget(self.draft_page)
        cl.addWidget(self.issued_page)
        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        bottom.addWidget(self._build_notes(), 1)
        bottom.addWidget(self.totals, 0, Qt.AlignmentFlag.AlignTop)
        cl.addLayout(bottom)
        cl.addWidget(self._build_payments())
        cl.addStretch(1)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.head)
        layout.addWidget(self.details)
        layout.addSpacing(8)
        layout.addWidget(scroll, 1)

    # ------------------------------------------------------------------ building

    def _build_draft(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(header_row())
        self.lines_box = QVBoxLayout()
        self.lines_box.setSpacing(4)
        layout.addLayout(self.lines_box)
        self.no_lines = muted("No lines yet. Add line, or choose a service from the catalogue.")
        layout.addWidget(self.no_lines)
        self.lines_error = ErrorLabel()
        layout.addWidget(self.lines_error)
        self.add_button = QPushButton(icons.icon("plus"), "Add line")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _build_issued(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.void_note = QLabel()
        self.void_note.setProperty("alert", "info")
        self.void_note.setWordWrap(True)
        self.void_note.setTextFormat(Qt.TextFormat.PlainText)
        self.credit_link = QPushButton()
        self.credit_link.setFlat(True)
        self.credit_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.credit_link.clicked.connect(self._on_credit_link_clicked)
        self.lines_model = TextTableModel(LINE_COLUMNS, frozenset({3, 4, 5, 7}), self)
        self.lines_table = table_view(self.lines_model, "Invoice lines")
        fit_columns(self.lines_table, 1, {0: 104, 2: 96, 3: 48, 4: 104, 5: 96, 6: 120, 7: 112})
        layout.addWidget(self.void_note)
        layout.addWidget(self.credit_link, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.lines_table)
        return page

    def _build_notes(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.notes_caption = muted("Notes (printed on the invoice)", wrap=False)
        self.notes = text_box("A note to the client, printed on the invoice", 2)
        self.notes.setAccessibleName("Notes")
        self.terms_caption = muted("Terms", wrap=False)
        self.terms = text_box("Payment terms", 2)
        self.terms.setAccessibleName("Terms")
        self.notes_caption.setBuddy(self.notes)
        self.terms_caption.setBuddy(self.terms)
        self.notes_text = QLabel()
        self.notes_text.setWordWrap(True)
        self.notes_text.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.notes, self.terms):
            widget.textChanged.connect(self._on_field_changed)
        for widget in (
            self.notes_caption,
            self.notes,
            self.terms_caption,
            self.terms,
            self.notes_text,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        return box

    def _build_payments(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(section_title("Payments"))
        top.addStretch(1)
        self.refund_button = QPushButton("Refund…")
        self.refund_button.setToolTip("Give back what of the chosen payment is credit")
        self.refund_button.clicked.connect(self._on_refund_clicked)
        top.addWidget(self.refund_button)
        layout.addLayout(top)
        self.payments_model = TextTableModel(PAYMENT_COLUMNS, frozenset({3, 4, 5}), self)
        self.payments_table = table_view(self.payments_model, "Payments of this invoice")
        fit_columns(self.payments_table, 2, {0: 104, 1: 150, 3: 120, 4: 110, 5: 110})
        self.payments_table.selectionModel().currentRowChanged.connect(self._update_refund_button)
        self.no_payments = muted("No payments yet. Record payment… adds one.")
        layout.addWidget(self.payments_table)
        layout.addWidget(self.no_payments)
        self.payments_box = box
        return box

    # ------------------------------------------------------------------ loading

    def load(self, invoice_id: int | None, then: Callable[[], None] | None = None) -> None:
        """Show an invoice once it is read on the op runner (None clears the editor at
        once); `then` after it is shown. Until then the editor shows what it showed."""
        if invoice_id is None:
            self.invoice = None
            self._show()
            if then is not None:
                then()
            return
        db = self.db

        def landed(read: InvoiceRead) -> None:
            self.show_read(read)
            if then is not None:
                then()

        QueryOp(self, lambda: read_invoice(db, invoice_id), landed).run(key="invoice")

    def show_read(self, read: InvoiceRead) -> None:
        """Show an invoice read with what its screen needs (`read_invoice`)."""
        self.money = read.money
        self.invoice = read.invoice
        self._services, self._rates = read.services, read.rates
        self._codes, self.payments = read.codes, read.payments
        self._show()
        self.shown.emit()

    def reload(self) -> None:
        if self.invoice is not None:
            self.load(self.invoice.id)

    def revert(self) -> None:
        """Drop what was typed: the invoice as last read or saved, at once."""
        self._show()

    def is_dirty(self) -> bool:
        return self._dirty and self.invoice is not None and self.invoice.editable

    def has_line(self) -> bool:
        """A line as typed that can be read: what an invoice needs before it is issued."""
        return any(row.numbers() is not None for row in self.rows)

    def leave(self) -> None:
        """The therapist moves on: a saved draft that holds no line and no note is not kept."""
        invoice = self.invoice
        if invoice is None or not invoice.editable or self.is_dirty():
            return
        if invoice.lines or invoice.notes.strip():
            return
        db = self.db
        WriteOp(
            self,
            lambda: service.delete_draft(db, invoice.id),
            lambda _none: self._on_deleted(invoice, ""),
            changes=_changes(invoice),
        ).run()

    def _show(self) -> None:
        invoice = self.invoice
        self._loading = True
        self._dirty = False
        if invoice is None:
            self.title.setText("")
            self.chip.hide()
            self.details.setText("")
            for button in self._buttons():
                button.hide()
            self._loading = False
            return
        what = "Credit note" if invoice.is_credit_note else "Invoice"
        self.title.setText(
            f"{what} {invoice.number}" if invoice.number else f"Draft {what.lower()}"
        )
        self.chip.show()
        self.chip.set_status(
            status_key(invoice.kind, invoice.status), status_label(invoice.kind, invoice.status)
        )
        self.details.setText(details_text(invoice))
        draft = invoice.editable
        self.draft_page.setVisible(draft)
        self.issued_page.setVisible(not draft)
        self.notes_caption.setVisible(draft)
        self.notes.setVisible(draft)
        self.terms_caption.setVisible(draft)
        self.terms.setVisible(draft)
        self.notes_text.setVisible(not draft and bool(invoice.notes or invoice.terms))
        if draft:
            self._fill_lines(invoice)
            self.notes.setPlainText(invoice.notes)
            self.terms.setPlainText(invoice.terms)
            self.lines_error.set_message("")
        else:
            self._fill_issued(invoice)
        self._fill_payments()
        self._update_buttons()
        self._update_totals()
        self._loading = False

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.delete_button,
            self.save_button,
            self.issue_button,
            self.void_button,
            self.print_button,
            self.receipt_button,
            self.pay_button,
        )

    def _update_buttons(self) -> None:
        invoice = self.invoice
        assert invoice is not None
        draft = invoice.editable
        open_invoice = (
            not draft and not invoice.is_credit_note and invoice.status is not InvoiceStatus.VOID
        )
        self.delete_button.setVisible(draft)
        self.save_button.setVisible(draft)
        self.issue_button.setVisible(draft)
        self.print_button.setVisible(not draft)
        self.void_button.setVisible(open_invoice)
        self.pay_button.setVisible(open_invoice)
        self.pay_button.setEnabled(invoice.balance > 0)
        self.pay_button.setToolTip(
            "Record money received for this invoice"
            if invoice.balance > 0
            else "Nothing is owed on this invoice"
        )
        self.receipt_button.setVisible(open_invoice and invoice.paid > 0)
        self.receipt_button.setToolTip(
            "Print a receipt for the payments"
            + (" (a reissue is marked DUPLICATE)" if invoice.receipts_issued else "")
        )
        self.payments_box.setVisible(not draft and not invoice.is_credit_note)

    # ------------------------------------------------------------------ draft lines

    def _fill_lines(self, invoice: Invoice) -> None:
        for row in self.rows:
            self.lines_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for line in invoice.lines:
            self._add_row(line)
        self._update_no_lines()

    def _add_row(self, line=None) -> LineRow:  # type: ignore[no-untyped-def]
        row = LineRow(self._services, self._rates, self.money, line)
        row.changed.connect(self._on_field_changed)
        row.remove_requested.connect(self._on_remove_requested)
        self.lines_box.addWidget(row)
        self.rows.append(row)
        return row

    def _update_no_lines(self) -> None:
        self.no_lines.setVisible(not self.rows)

    def add_line(self) -> LineRow:
        row = self._add_row()
        self._update_no_lines()
        self._update_totals()  # an empty line is not a change worth asking about
        row.service.setFocus()
        return row

    def current_totals(self) -> Totals:
        """Totals of the lines as typed (lines that cannot be read yet count as nothing)."""
        numbers = [n for row in self.rows if (n := row.numbers()) is not None]
        return totals_of(numbers)

    # ------------------------------------------------------------------ issued

    def _fill_issued(self, invoice: Invoice) -> None:
        rows = issued_rows(invoice, self._codes, self.money)
        self.lines_model.set_rows(rows)
        height = 30 * (len(rows) + 1) + 8
        self.lines_table.setFixedHeight(min(height, 30 * 12))
        note = ""
        link = ""
        if invoice.status is InvoiceStatus.VOID:
            note = f"Void: {invoice.void_reason}" if invoice.void_reason else "Void"
            if invoice.credit_note_id:
                link = "Open the credit note"
        elif invoice.is_credit_note and invoice.credits_invoice_number:
            note = invoice.notes or f"Credits invoice {invoice.credits_invoice_number}"
            link = f"Open invoice {invoice.credits_invoice_number}"
        self.void_note.setText(note)
        self.void_note.setVisible(bool(note))
        self.credit_link.setText(link)
        self.credit_link.setVisible(bool(link))
        extra = [invoice.notes] if invoice.notes and not invoice.is_credit_note else []
        extra += [invoice.terms] if invoice.terms else []
        self.notes_text.setText("\n\n".join(extra))

    def _fill_payments(self) -> None:
        invoice = self.invoice
        rows, keys = [], []
        for payment in self.payments:
            here = sum(
                (a.amount for a in payment.allocations if invoice and a.invoice_id == invoice.id),
                start=ZERO,
            )
            rows.append(
                (
                    dates.day(payment.received_on),
                    payment.method.label,
                    payment.reference,
                    self.money.text(here),
                    self.money.text(payment.refunded) if payment.refunded else "",
                    self.money.text(payment.unapplied) if payment.unapplied else "",
                )
            )
            keys.append(payment)
        self.payments_model.set_rows(rows, keys)
        self.payments_table.setVisible(bool(rows))
        self.payments_table.setFixedHeight(30 * (len(rows) + 1) + 8)
        self.no_payments.setVisible(not rows)
        self._update_refund_button()

    def _chosen_payment(self) -> Payment | None:
        index = self.payments_table.currentIndex()
        if not index.isValid():
            return None
        payment = self.payments_model.key(index.row())
        return payment if isinstance(payment, Payment) else None

    def _update_refund_button(self, *_args: object) -> None:
        payment = self._chosen_payment()
        can = payment is not None and payment.method.is_money and payment.unapplied > 0
        self.refund_button.setEnabled(can)
        self.refund_button.setVisible(any(p.unapplied > 0 for p in self.payments))

    # ------------------------------------------------------------------ totals

    def _update_totals(self) -> None:
        invoice = self.invoice
        if invoice is None:
            return
        totals = (
            self.current_totals()
            if invoice.editable
            else Totals(
                invoice.subtotal,
                invoice.discount_total,
                tuple((t.label, t.amount) for t in invoice.tax_lines),
                invoice.total,
            )
        )
        m = self.money.text
        rows = [("Subtotal", m(totals.subtotal), False)]
        if totals.discount:
            rows.append(("Discount", m(-totals.discount), False))
        rows += [(label, m(amount), False) for label, amount in totals.taxes]
        rows.append(("Total", m(totals.total), True))
        if not invoice.editable and not invoice.is_credit_note:
            if invoice.paid:
                rows.append(("Paid", m(invoice.paid), False))
            if invoice.credited:
                rows.append(("Credited", m(invoice.credited), False))
            rows.append(("Balance", m(invoice.balance), True))
        self.totals.show_rows(rows)
        if invoice.editable:
            self.issue_button.setEnabled(self.has_line())

    # ------------------------------------------------------------------ actions

    # The Save draft button writes on the op runner; `save()` writes at once, for Ctrl+S and
    # "Save them first?" before leaving the draft, which need to know whether it saved.

    def save(self) -> bool:
        """Save the draft's lines, notes and terms now; nothing is saved while a line is
        wrong."""
        runner().wait_idle()  # a save on its way lands first
        invoice = self.invoice
        if invoice is None or not invoice.editable:
            return True
        work = self._save_write(invoice)
        if work is None:
            return False
        return write_now(self, work, self._saved(), self._refused, changes=_changes) is not None

    def save_soon(self) -> None:
        """Save on the op runner: the Save button and Ctrl+S (the window keeps answering)."""
        invoice = self.invoice
        work = self._save_write(invoice) if invoice is not None and invoice.editable else None
        if work is not None:
            write_from(self, self.save_button, work, self._saved(), self._refused, changes=_changes)

    def _save_write(self, invoice: Invoice) -> Callable[[], Invoice] | None:
        """The write that saves the draft as typed now, or None (each wrong line marked)."""
        forms, first = [], None
        for row in self.rows:
            form, errors = row.form()
            widget = row.show_errors(errors)
            first = first or widget
            forms.append(form)
        self.lines_error.set_message("")
        if first is not None:
            first.setFocus()
            return None
        db, lines = self.db, [f for f in forms if f is not None]
        notes, terms = self.notes.toPlainText(), self.terms.toPlainText()
        version = invoice.version
        return lambda: service.update_draft(
            db, invoice.id, lines, notes=notes, terms=terms, expected_version=version
        )

    def _saved(self) -> Callable[[Invoice], None]:
        """Show the saved draft, unless the therapist typed meanwhile (the typing stays,
        unsaved) or moved on to another invoice. The write announced the change."""
        edits = self._edits

        def landed(saved: Invoice) -> None:
            if self.invoice is None or self.invoice.id != saved.id:
                return
            self.invoice = saved  # its version: the next save is not taken for someone else's
            if edits == self._edits:
                self._show()
            say(self, "Draft invoice saved")

        return landed

    def _refused(self, error: ValidationError) -> None:
        self._show_core_errors(error.errors)

    def _show_core_errors(self, errors: dict[str, str]) -> None:
        """Put each message on its line ("Line 2: …" names it; a single line is line 1)."""
        per_row: dict[int, dict[str, str]] = {}
        general = []
        for key, message in errors.items():
            index = 0 if len(self.rows) == 1 else None
            if message.startswith("Line ") and ":" in message:
                head, _, rest = message.partition(":")
                if head[5:].strip().isdigit():
                    index, message = int(head[5:]) - 1, rest.strip()
            if index is not None and 0 <= index < len(self.rows):
                per_row.setdefault(index, {})[key] = message
            else:
                general.append(message)
        first = None
        for index, row in enumerate(self.rows):
            widget = row.show_errors(per_row.get(index, {}))
            first = first or widget
        self.lines_error.set_message(" ".join(general))
        if first is not None:
            first.setFocus()

    def issue(self) -> bool:
        """Save the draft as typed, then issue it: one chain on the op runner, after the
        therapist has confirmed the number and total."""
        invoice = self.invoice
        if invoice is None or not invoice.editable:
            return False
        if not self.rows:
            self.lines_error.set_message(
                "An invoice needs at least one line before it is issued. Add line first."
            )
            self.add_button.setFocus()
            return False
        save = self._save_write(invoice)
        if save is None:
            return False
        number = service.next_number(self.db)
        total = self.money.text(self.current_totals().total)
        answer = QMessageBox.question(
            self,
            "Issue invoice",
            f"Issue invoice? It gets number {number} and can no longer be edited.\n\n"
            f"Total {total} for {invoice.client_name}. Corrections after this need a credit "
            "note.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        db = self.db

        def save_and_issue() -> InvoiceRead:
            save()
            return read_invoice(db, service.issue_invoice(db, invoice.id).id)

        # The whole editor waits: what is typed now is what is issued.
        write_from(
            self,
            self,
            save_and_issue,
            self._on_issued,
            self._refused,
            changes=lambda read: _changes(read.invoice),
        )
        return True

    def _on_issued(self, issued: InvoiceRead) -> None:
        self.show_read(issued)
        say(self, f"Invoice {issued.invoice.number} issued")

    def delete_draft(self) -> None:
        invoice = self.invoice
        if invoice is None or not invoice.editable:
            return
        answer = QMessageBox.question(
            self,
            "Delete draft",
            "Delete this draft invoice and its lines? It has no number yet, so the invoice "
            "sequence is not affected.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db = self.db
        WriteOp(
            self,
            lambda: service.delete_draft(db, invoice.id),
            lambda _none: self._on_deleted(invoice, "Draft invoice deleted"),
            changes=_changes(invoice),
        ).run()

    def _on_deleted(self, invoice: Invoice, message: str) -> None:
        if self.invoice is not None and self.invoice.id == invoice.id:
            self.invoice = None
            self._show()
        self.deleted.emit(invoice.id)
        if message:
            say(self, message)

    def record_payment(self) -> None:
        invoice = self.invoice
        if invoice is None or invoice.editable or invoice.balance <= 0:
            return
        dialog = PaymentDialog(self.db, invoice.client_id, invoice, self)
        dialog.exec()
        if dialog.recorded:
            self.reload()
            count = len(dialog.recorded)
            self._announce(invoice, f"{count} payment{'s' if count != 1 else ''} recorded")

    def void(self) -> None:
        invoice = self.invoice
        if invoice is None or invoice.editable or invoice.is_credit_note:
            return
        dialog = VoidDialog(self.db, invoice, self)
        if dialog.exec() and dialog.credit_note is not None:
            self.reload()
            number = dialog.credit_note.number
            self._announce(invoice, f"Invoice {invoice.number} voided by credit note {number}")

    def _on_refund_clicked(self) -> None:
        payment = self._chosen_payment()
        if payment is None or self.invoice is None:
            return
        dialog = RefundDialog(self.db, payment, self)
        if dialog.exec() and dialog.refund is not None:
            self.reload()
            self._announce(self.invoice, f"Refunded {self.money.text(dialog.refund.amount)}")

    def _announce(self, invoice: Invoice, message: str) -> None:
        """A write a dialog made (a payment, a void, a refund): tell every view."""
        runner().announce(_changes(invoice), self)
        say(self, message)

    # ------------------------------------------------------------------ documents

    def _documents_ready(self) -> bool:
        if clients.get_profile(self.db) is None:
            QMessageBox.information(
                self,
                "Practice profile needed",
                "Invoices and receipts print your name, address and registration. Fill in the "
                "practice profile first (Edit > Practice profile…).",
            )
            return False
        return True

    def print_pdf(self) -> QDialog | None:
        invoice = self.invoice
        if invoice is None or not self._documents_ready():
            return None
        from practice.documents.invoice import invoice_title
        from ui.documents.printing import preview_invoice

        title = invoice_title(invoice)
        return preview_invoice(self, self.db, invoice.id, title, invoice.client_name)

    def print_receipt(self) -> QDialog | None:
        """A receipt for the payments; the preview counts it, so a reissue is a duplicate."""
        invoice = self.invoice
        if invoice is None or not self._documents_ready():
            return None
        from practice.documents.receipt import receipt_number
        from ui.documents.printing import preview_receipt

        copy = " (duplicate)" if invoice.receipts_issued else ""
        preview = preview_receipt(
            self, self.db, invoice.id, f"Receipt {receipt_number(invoice)}{copy}"
        )
        preview.made.connect(self._on_receipt_made)
        return preview

    def _on_receipt_made(self, receipt: Printout) -> None:
        """A receipt was counted: show the new count, and say which copy it was."""
        invoice_id, number = receipt.records["invoice_id"], receipt.records["number"]
        if self.invoice is not None and self.invoice.id == invoice_id:
            self.reload()
        copy = " (duplicate)" if receipt.records["copy"] > 1 else ""
        runner().announce(Changes.of("invoice", "document", client_id=receipt.client_id), self)
        say(self, f"Receipt for invoice {number} printed{copy}")

    # ------------------------------------------------------------------ handlers

    def _on_field_changed(self) -> None:
        if self._loading:
            return
        self._edits += 1
        self._dirty = True
        self._update_totals()

    def _on_add_button_clicked(self) -> None:
        self.lines_error.set_message("")
        self.add_line()

    def _on_remove_requested(self, row: LineRow) -> None:
        self.rows.remove(row)
        self.lines_box.removeWidget(row)
        row.deleteLater()
        self._update_no_lines()
        self._on_field_changed()

    def _on_credit_link_clicked(self) -> None:
        invoice = self.invoice
        if invoice is None:
            return
        target = invoice.credit_note_id or invoice.credits_invoice_id
        if target:
            self.open_invoice.emit(target)


def _changes(invoice: Invoice) -> Changes:
    """What a write to an invoice touches: it, its payments, its client's account."""
    return Changes.of("invoice", "payment", client_id=invoice.client_id)
