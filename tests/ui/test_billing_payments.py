"""Payments on screen: partial and split payments, overpayment, account credit, refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from practice.billing import service
from practice.billing.records import (
    Invoice,
    InvoiceStatus,
    LineForm,
    PaymentForm,
    PaymentMethod,
    ServiceForm,
)
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.store import Database
from ui.billing.dialogs import PaymentDialog, RefundDialog
from ui.billing.invoice_editor import InvoiceEditor
from ui.ops import runner


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Ana", "Peña"))


@pytest.fixture
def invoice(db: Database, client: Client) -> Invoice:
    item = service.save_service(db, ServiceForm("Massage 60 min", Decimal("100.00"), 60))
    draft = service.create_invoice(db, client.id, [LineForm(service_id=item.id)])
    return service.issue_invoice(db, draft.id)


def landed(qtbot: QtBot) -> None:
    """Until the dialog's write (on the op runner) has landed."""
    qtbot.waitUntil(lambda: runner().idle, timeout=10_000)


def payment_dialog(qtbot: QtBot, db: Database, invoice: Invoice) -> PaymentDialog:
    dialog = PaymentDialog(db, invoice.client_id, service.get_invoice(db, invoice.id))
    qtbot.addWidget(dialog)
    landed(qtbot)  # what is owed, read on the op runner
    return dialog


def test_amount_defaults_to_the_balance(qtbot: QtBot, db: Database, invoice: Invoice) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    assert dialog.amount.text() == "100.00"
    assert "Owed: $100.00" in dialog.summary.text()


def test_partial_payment_then_the_rest_makes_the_invoice_paid(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    first = payment_dialog(qtbot, db, invoice)
    first.amount.setText("40.00")
    first.reference.insert("Chèque nº 12 — Peña")
    first._on_record()
    landed(qtbot)
    assert first.result() == PaymentDialog.DialogCode.Accepted
    partly = service.get_invoice(db, invoice.id)
    assert partly.status is InvoiceStatus.PARTLY_PAID
    assert partly.balance == Decimal("60.00")

    rest = payment_dialog(qtbot, db, invoice)
    assert rest.amount.text() == "60.00"
    rest.method.setCurrentIndex(rest.method.findData(PaymentMethod.CARD))
    rest._on_record()
    landed(qtbot)

    paid = service.get_invoice(db, invoice.id)
    assert paid.status is InvoiceStatus.PAID and paid.balance == 0
    payments = service.list_payments(db, invoice_id=invoice.id)
    assert {p.method for p in payments} == {PaymentMethod.CASH, PaymentMethod.CARD}
    assert "Chèque nº 12 — Peña" in {p.reference for p in payments}


def test_split_payment_records_several_parts_in_one_dialog(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    dialog.amount.setText("30.00")
    dialog._on_record_another()
    landed(qtbot)
    assert dialog.amount.text() == "70.00"
    assert dialog.result() != PaymentDialog.DialogCode.Accepted
    dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.E_TRANSFER))
    dialog._on_record_another()  # the rest: nothing left, the dialog closes
    landed(qtbot)

    assert dialog.result() == PaymentDialog.DialogCode.Accepted
    assert [p.amount for p in dialog.recorded] == [Decimal("30.00"), Decimal("70.00")]
    assert service.get_invoice(db, invoice.id).status is InvoiceStatus.PAID


def test_overpayment_is_explained_next_to_the_amount_and_nothing_is_saved(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    dialog.amount.setText("120.00")
    assert dialog.as_credit.isVisibleTo(dialog)

    dialog._on_record()
    landed(qtbot)

    message = dialog.grid.errors["amount"].message()
    assert "$20.00 more than the $100.00 owed" in message
    assert dialog.amount.property("invalid") is True
    assert service.list_payments(db, invoice.client_id) == []
    assert service.get_invoice(db, invoice.id).balance == Decimal("100.00")


def test_overpayment_kept_as_account_credit_when_asked(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    dialog.amount.setText("120.00")
    dialog.as_credit.setChecked(True)
    dialog._on_record()
    landed(qtbot)

    assert service.get_invoice(db, invoice.id).status is InvoiceStatus.PAID
    account = service.client_account(db, invoice.client_id)
    assert account.account_credit == Decimal("20.00")
    assert account.owed == 0


def test_unreadable_amount_is_refused_in_place(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    for text, words in (("abc", "not an amount"), ("0", "above zero"), ("1.005", "two decimals")):
        dialog.amount.setText(text)
        dialog._on_record()
        landed(qtbot)
        assert words in dialog.grid.errors["amount"].message()
    assert service.list_payments(db, invoice.client_id) == []


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1e30", "not an amount"),
        ("1E+5", "not an amount"),
        ("nan", "not an amount"),
        ("Infinity", "not an amount"),
        ("-inf", "not an amount"),
        ("2,000,000.00", "above $1,000,000.00 are surely a typo"),
        ("99999999999999", "above $1,000,000.00 are surely a typo"),
    ],
)
def test_exponents_nan_infinity_and_absurd_amounts_get_a_message_next_to_the_field(
    qtbot: QtBot, db: Database, invoice: Invoice, typed: str, words: str
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    dialog.show()
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, typed)
    dialog._on_record()
    landed(qtbot)
    error = dialog.grid.errors["amount"]
    assert words in error.message()
    assert error.isVisible()
    assert dialog.amount.property("invalid") is True
    assert dialog.result() != PaymentDialog.DialogCode.Accepted
    assert service.list_payments(db, invoice.client_id) == []


def test_a_payment_dated_tomorrow_gets_a_message_next_to_the_date(
    qtbot: QtBot, db: Database, invoice: Invoice
) -> None:
    dialog = payment_dialog(qtbot, db, invoice)
    dialog.show()
    dialog.received_on.setDate(dialog.received_on.date().addDays(1))
    dialog._on_record()
    landed(qtbot)
    assert dialog.grid.errors["received_on"].message() == "The payment date is in the future."
    assert dialog.grid.errors["received_on"].isVisible()
    assert service.list_payments(db, invoice.client_id) == []


def test_refund_of_credit_after_a_void(
    qtbot: QtBot, db: Database, client: Client, invoice: Invoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    payment = service.record_payment(
        db, client.id, PaymentForm(Decimal("100.00"), PaymentMethod.CARD, invoice_id=invoice.id)
    )
    service.void_invoice(db, invoice.id, "Cancelled visit")
    editor = InvoiceEditor(db)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.shown):
        editor.load(invoice.id)
    editor.show()
    assert editor.refund_button.isVisible()
    editor.payments_table.selectRow(0)
    assert editor.refund_button.isEnabled()

    def run(dialog: RefundDialog) -> int:
        assert dialog.amount.text() == "100.00"
        dialog._on_refund()  # a reason is required
        landed(qtbot)
        assert "Say why" in dialog.grid.errors["reason"].message()
        dialog.amount.setText("150.00")
        dialog.reason.insertPlainText("Visit cancelled — remboursé")
        dialog._on_refund()
        landed(qtbot)
        assert "Only 100.00 of this payment is credit" in dialog.grid.errors["amount"].message()
        dialog.amount.setText("100.00")
        dialog._on_refund()
        landed(qtbot)
        return dialog.result()

    monkeypatch.setattr(RefundDialog, "exec", run)
    editor._on_refund_clicked()

    refunded = service.get_payment(db, payment.id)
    assert refunded.refunded == Decimal("100.00")
    assert refunded.refunds[0].reason == "Visit cancelled — remboursé"
    account = service.client_account(db, client.id)
    assert account.account_credit == 0 and account.owed == 0
