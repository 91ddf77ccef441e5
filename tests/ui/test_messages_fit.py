"""No message is ever clipped: a field's error shows whole, however long, in any dialog."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from practice.billing import service as billing
from practice.billing.records import LineForm, ServiceForm
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from ui.billing.dialogs import PaymentDialog
from ui.ops import runner
from ui.welcome import WelcomeDialog
from ui.widgets.forms import ErrorLabel


def _settle(widget: QWidget) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.layout().activate()
    QApplication.processEvents()


def assert_shown_whole(error: ErrorLabel) -> None:
    """The message is visible and its label is as tall as its text needs at its width."""
    assert error.isVisible() and error.message()
    text = error.findChild(QLabel, "ErrorText")
    needed = text.heightForWidth(text.width())
    assert text.height() >= needed, (text.height(), needed, text.text())
    assert error.height() >= error.sizeHint().height() or error.height() >= needed
    bottom = error.mapTo(error.window(), error.rect().bottomLeft()).y()
    assert bottom <= error.window().height()


def test_the_payment_dialogs_over_balance_error_shows_whole(qtbot: QtBot, db: Database) -> None:
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    item = billing.save_service(db, ServiceForm("Massage 60 min", Decimal("100.00"), 60))
    draft = billing.create_invoice(db, client.id, [LineForm(service_id=item.id)])
    invoice = billing.issue_invoice(db, draft.id)
    dialog = PaymentDialog(db, client.id, billing.get_invoice(db, invoice.id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: runner().idle)  # what is owed, read on the op runner
    dialog.amount.setText("1250.00")
    assert dialog.form() is None
    _settle(dialog)
    assert_shown_whole(dialog.grid.errors["amount"])


def test_the_welcomes_name_error_shows_whole(qtbot: QtBot, db: Database) -> None:
    dialog = WelcomeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.form.grid.fields["therapist_name"].clear()
    dialog._on_start_clicked()
    _settle(dialog)
    assert_shown_whole(dialog.form.grid.errors["therapist_name"])
