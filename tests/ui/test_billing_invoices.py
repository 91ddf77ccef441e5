"""The Billing area: the invoice list, live totals of a draft, issuing, voiding, the list model."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from practice.billing import service
from practice.billing.records import (
    InvoiceKind,
    InvoiceStatus,
    InvoiceSummary,
    LineForm,
    Service,
    ServiceForm,
    TaxRate,
    TaxRateForm,
)
from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.store import Database
from ui.billing.dialogs import VoidDialog
from ui.billing.invoice_editor import InvoiceEditor
from ui.billing.list_model import InvoiceListModel
from ui.billing.money import MoneyFormat
from ui.billing.page import BillingPage, InvoicesView, matches
from ui.billing.widgets import CHIP_ROLE
from ui.ops import runner


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Chloé", "O'Brien"))


@pytest.fixture
def hst(db: Database) -> TaxRate:
    return service.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))


@pytest.fixture
def massage(db: Database, hst: TaxRate) -> Service:
    return service.save_service(
        db,
        ServiceForm(
            "Medical massage 60 min",
            Decimal("95.00"),
            60,
            tax_rate_ids=(hst.id,),
            billing_codes=("97124",),
            modifier="59",
        ),
    )


def landed(qtbot: QtBot) -> None:
    """Until the dialog's write (on the op runner) has landed."""
    qtbot.waitUntil(lambda: runner().idle, timeout=10_000)


def editor_for(qtbot: QtBot, db: Database, invoice_id: int) -> InvoiceEditor:
    editor = InvoiceEditor(db)
    qtbot.addWidget(editor)
    editor.resize(1150, 700)
    with qtbot.waitSignal(editor.shown):  # read on the op runner
        editor.load(invoice_id)
    editor.show()
    return editor


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Make QMessageBox.question answer `button`; returns the texts it was asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_draft_totals_update_exactly_as_lines_are_typed(
    qtbot: QtBot, db: Database, client: Client, hst: TaxRate
) -> None:
    draft = service.create_invoice(db, client.id, [])
    editor = editor_for(qtbot, db, draft.id)
    row = editor.add_line()
    row.description.insert("Suivi thérapeutique — 김민지 😊")
    row.quantity.setValue(3)
    row.unit_price.insert("33.33")
    row._tax_actions[hst.id].setChecked(True)

    assert editor.totals.values["Subtotal"] == "$99.99"
    assert editor.totals.values["HST 13%"] == "$13.00"  # 12.9987 rounded half up
    assert editor.totals.values["Total"] == "$112.99"
    assert row.amount.text() == "$99.99"

    row.discount.insert("9.99")
    assert editor.totals.values["Discount"] == "-$9.99"
    assert editor.totals.values["HST 13%"] == "$11.70"
    assert editor.totals.values["Total"] == "$101.70"

    assert editor.save()
    saved = service.get_invoice(db, draft.id)
    assert saved.total == Decimal("101.70")
    assert saved.tax_total == Decimal("11.70")
    assert saved.lines[0].description == "Suivi thérapeutique — 김민지 😊"
    assert not editor.is_dirty()


def test_choosing_a_service_fills_the_line_from_the_catalogue(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    draft = service.create_invoice(db, client.id, [])
    editor = editor_for(qtbot, db, draft.id)
    row = editor.add_line()
    row.service.setCurrentIndex(row.service.findData(massage.id))

    assert row.description.text() == "Medical massage 60 min"
    assert row.unit_price.text() == "95.00"
    assert row.tax.text() == "HST 13%"
    assert row.codes.text() == "97124 59"
    assert editor.totals.values["Total"] == "$107.35"


def test_a_wrong_amount_is_shown_on_its_line_and_nothing_is_saved(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    draft = service.create_invoice(
        db, client.id, [LineForm(service_id=massage.id), LineForm(service_id=massage.id)]
    )
    editor = editor_for(qtbot, db, draft.id)
    second = editor.rows[1]
    second.unit_price.setText("12.345")
    second.quantity.setValue(2)

    assert not editor.save()
    assert "two decimals" in second.error.message()
    assert second.unit_price.property("invalid") is True
    assert editor.rows[0].error.message() == ""
    stored = service.get_invoice(db, draft.id)
    assert [line.quantity for line in stored.lines] == [1, 1]


def test_errors_from_the_core_land_on_the_line_they_name(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    draft = service.create_invoice(
        db, client.id, [LineForm(service_id=massage.id), LineForm(service_id=massage.id)]
    )
    editor = editor_for(qtbot, db, draft.id)
    editor.rows[1].discount.setText("500.00")  # more than the line

    assert not editor.save()
    assert "discount" in editor.rows[1].error.message().lower()
    assert editor.rows[1].discount.property("invalid") is True
    assert editor.rows[0].error.message() == ""


def test_issuing_an_empty_invoice_says_why_and_changes_nothing(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    draft = service.create_invoice(db, client.id, [])
    editor = editor_for(qtbot, db, draft.id)

    assert not editor.issue()

    assert "at least one line" in editor.lines_error.message()
    assert asked == []
    stored = service.get_invoice(db, draft.id)
    assert stored.status is InvoiceStatus.DRAFT and stored.number is None
    assert editor.issue_button.isVisible()


def test_issue_confirms_with_the_number_and_locks_the_invoice(
    qtbot: QtBot, db: Database, client: Client, massage: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    draft = service.create_invoice(db, client.id, [LineForm(service_id=massage.id)])
    editor = editor_for(qtbot, db, draft.id)
    expected = service.next_number(db)
    editor.rows[0].quantity.setValue(2)

    with qtbot.waitSignal(runner().changed) as announced:
        assert editor.issue()
    qtbot.waitUntil(lambda: runner().idle)

    assert announced.args[0] == Changes.of("invoice", "payment", client_id=client.id)
    assert f"It gets number {expected} and can no longer be edited" in asked[0]
    issued = service.get_invoice(db, draft.id)
    assert issued.number == expected
    assert issued.total == Decimal("214.70")
    assert editor.title.text() == f"Invoice {expected}"
    assert editor.issued_page.isVisible() and not editor.draft_page.isVisible()
    assert not editor.save_button.isVisible()
    assert editor.pay_button.isVisible() and editor.void_button.isVisible()
    assert editor.lines_model.cell(0, 2) == "97124 59"
    assert editor.totals.values["Balance"] == "$214.70"


def test_typing_while_a_draft_saves_stays_unsaved_and_is_kept(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    draft = service.create_invoice(db, client.id, [LineForm(service_id=massage.id)])
    editor = editor_for(qtbot, db, draft.id)
    editor.rows[0].quantity.setValue(2)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.save_button.isEnabled()  # a second click cannot save twice
    editor.notes.insertPlainText("Paid by e-transfer")  # typed while the draft is written
    landed(qtbot)
    assert editor.is_dirty() and editor.notes.toPlainText().endswith("Paid by e-transfer")
    saved = service.get_invoice(db, draft.id)
    assert saved.lines[0].quantity == 2 and "e-transfer" not in saved.notes
    assert editor.save()  # Ctrl+S keeps the typing too
    assert service.get_invoice(db, draft.id).notes.endswith("Paid by e-transfer")
    assert not editor.is_dirty()


def test_cancelling_the_issue_keeps_the_draft(
    qtbot: QtBot, db: Database, client: Client, massage: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    draft = service.create_invoice(db, client.id, [LineForm(service_id=massage.id)])
    editor = editor_for(qtbot, db, draft.id)

    assert not editor.issue()
    assert service.get_invoice(db, draft.id).status is InvoiceStatus.DRAFT


def test_void_issues_a_credit_note_and_the_balance_follows(
    qtbot: QtBot, db: Database, client: Client, massage: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = service.issue_invoice(
        db, service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    editor = editor_for(qtbot, db, invoice.id)
    dialogs: list[VoidDialog] = []

    def run(dialog: VoidDialog) -> int:
        dialogs.append(dialog)
        dialog._on_void()  # no reason yet
        landed(qtbot)
        assert "Say why" in dialog.grid.errors["reason"].message()
        assert service.get_invoice(db, invoice.id).status is InvoiceStatus.ISSUED
        dialog.reason.insertPlainText("Billed twice — doublon")
        dialog._on_void()
        landed(qtbot)
        return dialog.result()

    monkeypatch.setattr(VoidDialog, "exec", run)
    editor.void()
    landed(qtbot)  # the invoice read again

    voided = service.get_invoice(db, invoice.id)
    assert voided.status is InvoiceStatus.VOID and voided.balance == 0
    note = dialogs[0].credit_note
    assert note is not None and note.kind is InvoiceKind.CREDIT_NOTE
    assert note.total == invoice.total
    assert service.client_account(db, client.id).owed == 0
    assert editor.chip.text() == "Void"
    assert "Billed twice — doublon" in editor.void_note.text()
    assert not editor.pay_button.isVisible() and not editor.void_button.isVisible()
    with qtbot.waitSignal(editor.open_invoice) as opened:
        editor.credit_link.click()
    assert opened.args == [note.id]


def test_invoice_list_shows_money_status_chips_and_filters(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    other = clients.create_client(db, ClientForm("Minji", "Kim", preferred_name="민지"))
    service.create_invoice(db, other.id, [LineForm(service_id=massage.id)])
    issued = service.issue_invoice(
        db,
        service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id,
        issued_on=date.today() - timedelta(days=45),
    )
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: runner().idle)
    model = view.model

    assert model.rowCount() == 2
    row = model.row_of(issued.id)
    assert row is not None
    total = model.index(row, InvoiceListModel.TOTAL)
    assert total.data() == "$107.35"
    assert total.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    status = model.index(row, InvoiceListModel.STATUS)
    assert status.data() == "Issued, overdue"
    assert status.data(CHIP_ROLE) == "overdue"

    view.outstanding.setChecked(True)
    assert model.rowCount() == 1 and model.invoice(0).id == issued.id
    view.outstanding.setChecked(False)
    view.search.insert("o'bri")
    assert [model.invoice(r).client_name for r in range(model.rowCount())] == [issued.client_name]
    view.search.clear()
    view.search.insert(issued.number or "")
    assert model.rowCount() == 1
    view.search.clear()
    view.status_filter.setCurrentIndex(view.status_filter.findData("draft"))
    assert model.rowCount() == 1 and model.invoice(0).status is InvoiceStatus.DRAFT
    view.search.insert("zzz")
    assert view.empty.isVisibleTo(view) and "No invoice matches" in view.empty.text()


def test_empty_billing_area_says_what_belongs_there(qtbot: QtBot, db: Database) -> None:
    page = BillingPage(db)
    qtbot.addWidget(page)
    page.invoices.refresh()
    qtbot.waitUntil(lambda: runner().idle)
    assert "No invoices yet" in page.invoices.empty.text()
    assert page.invoices.empty.isVisibleTo(page.invoices)


def test_status_filter_matching() -> None:
    from practice.billing.records import InvoiceSummary

    def row(kind: InvoiceKind, status: InvoiceStatus, balance: str) -> InvoiceSummary:
        today = date.today().isoformat()
        return InvoiceSummary(
            1, kind, 1, "Ana Peña", "2026-0001", status, today, today, None,
            1000, 0, int(Decimal(balance) * 100),
        )  # fmt: skip

    note = row(InvoiceKind.CREDIT_NOTE, InvoiceStatus.ISSUED, "0.00")
    assert matches(note, "credit_note", False, "")
    assert not matches(note, "issued", False, "")
    partly = row(InvoiceKind.INVOICE, InvoiceStatus.PARTLY_PAID, "4.00")
    assert matches(partly, "partly_paid", True, "peña")
    assert not matches(row(InvoiceKind.INVOICE, InvoiceStatus.PAID, "0.00"), "any", True, "")


def test_invoice_list_model_passes_the_model_tester(
    qtmodeltester, db: Database, client: Client, massage: Service
) -> None:  # type: ignore[no-untyped-def]
    service.issue_invoice(
        db, service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    model = InvoiceListModel(MoneyFormat())
    model.set_rows(service.list_invoices(db))
    qtmodeltester.check(model)


def test_a_long_list_shows_the_newest_first_then_fills_in(
    qtbot: QtBot,
    db: Database,
    client: Client,
    massage: Service,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from ui.billing import page

    monkeypatch.setattr(page, "FIRST_ROWS", 2)
    for _ in range(3):
        service.create_invoice(db, client.id, [LineForm(service_id=massage.id)])
    rest = threading.Event()
    list_invoices = service.list_invoices

    def gated(db: Database, *args: object, limit: int | None = None) -> list[InvoiceSummary]:
        if limit is None:
            rest.wait(10)  # the whole list waits until the test has seen the first rows
        return list_invoices(db, *args, limit=limit)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "list_invoices", gated)
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert "loading the rest" in view.count.text()
    assert not view.is_complete()
    rest.set()
    qtbot.waitUntil(view.is_complete, timeout=10000)
    assert view.model.rowCount() == 3
    assert view.count.text() == "3 invoices"


def test_print_and_receipts_go_through_the_preview_and_reissues_are_duplicates(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    from practice.billing.records import PaymentForm, PaymentMethod
    from practice.clients.records import PracticeProfile

    clients.save_profile(db, PracticeProfile("Sam Rivera", registration_number="RMT-4411"))
    invoice = service.issue_invoice(
        db, service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    editor = editor_for(qtbot, db, invoice.id)
    assert not editor.receipt_button.isVisible()  # nothing paid yet
    preview = editor.print_pdf()
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_count() > 0, timeout=20000)
    assert preview.windowTitle().startswith(f"Invoice {invoice.number}")
    preview.close()

    service.record_payment(
        db, client.id, PaymentForm(invoice.total, PaymentMethod.CASH, invoice_id=invoice.id)
    )
    with qtbot.waitSignal(editor.shown):
        editor.reload()
    assert editor.receipt_button.isVisible()
    original = editor.print_receipt()
    assert original is not None and "duplicate" not in original.windowTitle()
    qtbot.waitUntil(lambda: original.page_count() > 0, timeout=20000)
    original.close()
    qtbot.waitUntil(lambda: "1 receipt printed" in editor.details.text())  # read again
    copy = editor.print_receipt()
    assert copy is not None and "(duplicate)" in copy.windowTitle()
    qtbot.waitUntil(lambda: copy.page_count() > 0, timeout=20000)
    copy.close()
    assert [r.duplicate for r in service.receipts_for(db, invoice.id)] == [False, True]
    qtbot.waitUntil(lambda: "2 receipts printed" in editor.details.text())


def test_a_credit_note_lists_as_money_off_the_account(
    qtbot: QtBot, db: Database, client: Client, massage: Service
) -> None:
    invoice = service.issue_invoice(
        db, service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    note = service.void_invoice(db, invoice.id, "Booked twice")
    model = InvoiceListModel(MoneyFormat.of(db))
    model.set_rows(service.list_invoices(db, client.id))
    totals = {
        model.invoice(r).id: model.index(r, InvoiceListModel.TOTAL).data()
        for r in range(model.rowCount())
    }
    assert totals == {invoice.id: "$107.35", note.id: "-$107.35"}


def test_voiding_in_the_clients_invoice_window_refreshes_the_billing_list_and_the_clients_tab(
    qtbot: QtBot, db: Database, client: Client, massage: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.billing.client_tab import ClientBillingTab

    invoice = service.issue_invoice(
        db, service.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    view = InvoicesView(db)
    qtbot.addWidget(view)
    view.show()
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    qtbot.waitUntil(
        lambda: view.model.rowCount() == 1 and tab.owed.value.text() == "$107.35", timeout=20_000
    )

    def run(dialog: VoidDialog) -> int:
        dialog.reason.insertPlainText("Billed twice")
        dialog._on_void()
        landed(qtbot)
        return dialog.result()

    monkeypatch.setattr(VoidDialog, "exec", run)
    dialog = tab.open_invoice(invoice.id)
    qtbot.waitUntil(dialog.isVisible)  # opens once its invoice is read
    dialog.editor.void()

    # Nothing connects the three: the void's change reaches both views through the runner.
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=20_000)  # the credit note
    row = view.model.row_of(invoice.id)
    assert row is not None and view.model.invoice(row).status is InvoiceStatus.VOID
    qtbot.waitUntil(lambda: tab.owed.value.text() == "$0.00", timeout=20_000)
    assert tab.invoices_model.rowCount() == 2
