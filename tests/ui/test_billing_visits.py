"""Billing from the client's record: Bill this visit, the client's Billing tab, settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from practice.billing import service
from practice.billing.records import (
    InvoiceStatus,
    LineForm,
    PaymentForm,
    PaymentMethod,
    ServiceForm,
    ServiceKind,
    TaxRateForm,
)
from practice.clients import service as clients
from practice.clients.records import Client, ClientForm, PracticeProfile
from practice.store import Database
from practice.visits import service as visits
from practice.visits.imported import PastVisit, add_imported_visits, check_past_visit
from practice.visits.records import (
    NOT_BILLED_HERE,
    SoapNote,
    TreatmentInput,
    VisitDraft,
    VisitForm,
    VisitStatus,
)
from ui.billing.client_tab import ClientBillingTab
from ui.billing.dialogs import SellPackageDialog
from ui.billing.settings import BillingSettingsDialog
from ui.clients.workspace import ClientWorkspace
from ui.ops import runner
from ui.visits.tab import VisitsTab


@pytest.fixture
def client(db: Database, consent: Callable[[int], None]) -> Client:
    """A client who consented to treatment a year ago."""
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    consent(client.id)
    return client


@pytest.fixture
def catalogue(db: Database) -> None:
    hst = service.save_tax_rate(db, TaxRateForm("HST", Decimal("13")))
    service.save_service(db, ServiceForm("Massage 30 min", Decimal("60.00"), 30, (hst.id,)))
    service.save_service(db, ServiceForm("Massage 60 min", Decimal("95.00"), 60, (hst.id,)))


def landed(qtbot: QtBot) -> None:
    """Until the dialog's write (on the op runner) has landed."""
    qtbot.waitUntil(lambda: runner().idle, timeout=10_000)


def completed_visit(
    db: Database, client: Client, days: int = 3, minutes: int = 60, *, signed: bool = False
) -> int:
    """A completed visit; signed only when asked (billing a draft is allowed)."""
    starts = datetime.combine(date.today() - timedelta(days=days), time(10)).astimezone()
    record = visits.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(starts, minutes, status=VisitStatus.COMPLETED),
            SoapNote(complaint="Neck pain"),
            (TreatmentInput("effleurage", 30, ("B_UPPER_BACK_R",)),),
        ),
    )
    if signed:
        visits.sign_visit(db, record.visit.id)
    return record.visit.id


def visit_open(qtbot: QtBot, db: Database, client: Client, visit_id: int) -> VisitsTab:
    """The Visits tab showing a completed visit, once its billing button is known."""
    tab = VisitsTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.open_visit(visit_id)
    qtbot.waitUntil(tab.billing.bill_button.isVisible)  # once the visit's invoices are read
    return tab


def test_bill_this_visit_issues_the_invoice_and_opens_it(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    visit_id = completed_visit(db, client)
    tab = visit_open(qtbot, db, client, visit_id)

    tab.billing.bill_button.click()
    qtbot.waitUntil(lambda: runner().idle)

    assert tab.billing.invoice is not None
    invoice = service.get_invoice(db, tab.billing.invoice.id)
    assert invoice.status is InvoiceStatus.ISSUED
    assert invoice.total == Decimal("107.35")  # the 60-minute service plus 13 % HST
    assert invoice.lines[0].visit_id == visit_id
    dialog = tab.billing.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.editor.title.text() == f"Invoice {invoice.number}"
    assert dialog.editor.totals.values["Total"] == "$107.35"
    assert not tab.billing.bill_button.isVisible()
    assert tab.billing.billed_button.text() == f"Billed: {invoice.number}"
    dialog.close()


def test_billing_a_visit_opens_a_prepared_window_once_its_invoice_is_read_off_the_gui_thread(
    qtbot: QtBot, db: Database, client: Client, catalogue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from ui.billing import invoice_dialog, invoice_editor

    visit_id = completed_visit(db, client)
    tab = visit_open(qtbot, db, client, visit_id)
    invoice_dialog.prepare(db, tab.window())  # as the main window does while idle
    spare = invoice_dialog._spares[-1]
    readers: list[str] = []
    read = invoice_editor.read_invoice

    def reading(db_: Database, invoice_id: int):  # type: ignore[no-untyped-def]
        readers.append(threading.current_thread().name)
        return read(db_, invoice_id)

    monkeypatch.setattr(invoice_editor, "read_invoice", reading)
    tab.billing.bill_button.click()
    qtbot.waitUntil(lambda: runner().idle)

    assert tab.billing.dialog is spare and spare.isVisible()
    assert spare.windowTitle() == f"Invoice {tab.billing.invoice.number}"
    assert readers and threading.main_thread().name not in readers
    spare.close()


def test_a_visit_billed_already_shows_its_invoice_number(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    visit_id = completed_visit(db, client)
    invoice = service.bill_visit(db, visit_id)
    tab = VisitsTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.open_visit(visit_id)
    qtbot.waitUntil(tab.billing.billed_button.isVisible)  # once the visit's invoices are read
    assert tab.billing.billed_button.text() == f"Billed: {invoice.number}"
    assert not tab.billing.bill_button.isVisible()


def test_an_imported_visit_is_not_offered_for_billing_and_says_why(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    starts = datetime.combine(date.today() - timedelta(days=5), time(10)).astimezone()
    draft = check_past_visit(
        VisitDraft(VisitForm(starts, 60, status=VisitStatus.COMPLETED), SoapNote("Neck pain")),
        date.today(),
    )
    with db.transaction() as session:
        (visit_id,) = add_imported_visits(
            db, session, [PastVisit(client.id, draft, "Jane export visits.csv, line 2")]
        )
    tab = VisitsTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.open_visit(visit_id)
    button = tab.billing.bill_button
    qtbot.waitUntil(button.isVisible)  # once the visit's invoices are read
    assert not button.isEnabled()
    assert button.toolTip() == NOT_BILLED_HERE
    assert "billed" in button.accessibleDescription()
    button.click()  # a disabled button does nothing
    qtbot.waitUntil(lambda: runner().idle)
    assert service.list_invoices(db, client.id) == []

    own_id = completed_visit(db, client, days=1)
    tab.open_visit(own_id)
    qtbot.waitUntil(tab.billing.bill_button.isEnabled)
    assert "Issue an invoice" in tab.billing.bill_button.toolTip()


def test_billing_without_a_catalogue_explains_and_bills_nothing(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text)
    )
    visit_id = completed_visit(db, client)
    tab = visit_open(qtbot, db, client, visit_id)
    tab.billing.bill_button.click()
    qtbot.waitUntil(lambda: runner().idle)
    assert "Add a service with a duration" in shown[0]
    assert service.list_invoices(db, client.id) == []


def test_workspace_billing_tab_shows_balance_credit_invoices_and_payments(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    first = service.bill_visit(db, completed_visit(db, client, days=10))
    service.bill_visit(db, completed_visit(db, client, days=3))
    service.record_payment(
        db, client.id, PaymentForm(Decimal("50.00"), PaymentMethod.CASH, invoice_id=first.id)
    )
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.open_client(client.id)
    workspace.show()
    workspace.tabs.setCurrentWidget(workspace.billing)
    tab = workspace.billing
    qtbot.waitUntil(lambda: tab.owed.value.text() != "")  # read once the tab is shown

    assert tab.owed.value.text() == "$164.70"  # 2 x 107.35 - 50.00
    assert tab.credit.value.text() == "$0.00"
    assert tab.invoices_model.rowCount() == 2
    assert tab.payments_model.rowCount() == 1
    assert tab.payments_model.cell(0, 4) == first.number
    assert not tab.packages_table.isVisibleTo(tab)


def test_selling_a_package_shows_visits_left_and_credit(
    qtbot: QtBot, db: Database, client: Client, catalogue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sixty = next(s for s in service.list_services(db) if s.name == "Massage 60 min")
    service.save_service(
        db,
        ServiceForm(
            "Five 60-minute visits",
            Decimal("400.00"),
            kind=ServiceKind.PACKAGE,
            package_visits=5,
            package_service_id=sixty.id,
        ),
    )
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()

    def run(dialog: SellPackageDialog) -> int:
        dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.CARD))
        dialog._on_sell()
        landed(qtbot)
        return dialog.result()

    monkeypatch.setattr(SellPackageDialog, "exec", run)
    tab.sell_package()

    qtbot.waitUntil(lambda: tab.packages_card.value.text() == "5")  # read in the background
    landed(qtbot)  # and the balance, read on its own
    assert tab.packages_card.value.text() == "5"
    assert tab.packages_model.cell(0, 2) == "5 of 5"
    assert tab.credit.value.text() == "$400.00"
    assert tab.packages_table.isVisibleTo(tab)


def test_new_invoice_from_the_client_tab_opens_an_editable_draft(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.new_invoice()
    landed(qtbot)  # the draft is created on the op runner, then opens
    dialog = tab.dialog
    assert dialog is not None
    editor = dialog.editor
    assert editor.invoice is not None and editor.invoice.editable
    assert len(editor.rows) == 1
    row = editor.rows[0]
    row.service.setCurrentIndex(1)
    assert editor.save()
    assert service.get_invoice(db, editor.invoice.id).total == Decimal("67.80")
    qtbot.waitUntil(lambda: tab.invoices_model.rowCount() == 1)  # read again in the background
    dialog.close()


def test_a_double_click_on_new_invoice_starts_one_draft(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.new_button.click()
    tab.new_button.click()  # held until the draft exists: this click does nothing
    landed(qtbot)
    assert len(service.list_invoices(db, client_id=client.id)) == 1
    assert tab.dialog is not None and tab.dialog.isVisible()
    tab.dialog.editor.rows[0].service.setCurrentIndex(1)
    assert tab.dialog.editor.save()


def test_issue_waits_for_a_line_and_an_empty_new_invoice_leaves_no_draft(
    qtbot: QtBot,
    db: Database,
    client: Client,
    catalogue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    tab.new_invoice()
    landed(qtbot)  # the draft is created on the op runner, then opens
    dialog = tab.dialog
    assert dialog is not None
    editor = dialog.editor
    assert not editor.issue_button.isEnabled()
    editor.rows[0].service.setCurrentIndex(1)
    assert editor.issue_button.isEnabled()
    editor.rows[0].service.setCurrentIndex(0)
    editor._on_remove_requested(editor.rows[0])
    assert not editor.issue_button.isEnabled()
    asked: list[str] = []

    def discard(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", discard)
    dialog.reject()
    assert asked, "typing was discarded only after asking"
    landed(qtbot)  # the empty draft is deleted on the op runner
    assert service.list_invoices(db, client_id=client.id) == []
    assert tab.invoices_model.rowCount() == 0


def test_superbill_needs_the_practice_profile_then_previews(
    qtbot: QtBot, db: Database, client: Client, catalogue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.billing.dialogs import PeriodDialog

    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text)
    )
    service.bill_visit(db, completed_visit(db, client, signed=True))
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    assert tab.superbill() is None
    assert "practice profile" in shown[0]

    clients.save_profile(db, PracticeProfile("Sam Rivera", npi="1234567893", tax_id="12-3456789"))
    monkeypatch.setattr(PeriodDialog, "exec", lambda _self: 1)
    preview = tab.superbill()
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_count() > 0, timeout=20000)
    preview.close()


def test_settings_dialog_saves_a_tax_rate_a_service_and_numbering(
    qtbot: QtBot, db: Database
) -> None:
    dialog = BillingSettingsDialog(db)
    qtbot.addWidget(dialog)
    rates = dialog.tax_rates
    rates.new_item()
    rates.name.insert("TVQ")
    rates.rate.insert("9,975")
    rates.registration.insert("1234567890TQ0001")
    rates.save()
    landed(qtbot)
    assert service.list_tax_rates(db)[0].rate == Decimal("9.975")

    services = dialog.services
    services.refresh()
    services.new_item()
    services.name.insert("Massage thérapeutique — 60 min")
    services.price.insert("abc")
    services.save()
    landed(qtbot)
    assert "not an amount" in services.grid.errors["price"].message()
    assert service.list_services(db) == []
    services.price.setText("95.00")
    services.codes.insert("97124")
    services.taxes.item(0).setCheckState(services.taxes.item(0).checkState().Checked)
    services.save()
    landed(qtbot)
    saved = service.list_services(db)[0]
    assert saved.name == "Massage thérapeutique — 60 min"
    assert saved.billing_codes == ("97124",) and len(saved.tax_rate_ids) == 1

    invoicing = dialog.invoicing
    invoicing.credit_note_prefix.setText(invoicing.invoice_prefix.text())
    before = service.get_settings(db)
    invoicing.save()
    landed(qtbot)
    assert "prefix of their own" in invoicing.grid.errors["credit_note_prefix"].message()
    assert service.get_settings(db) == before
    invoicing.credit_note_prefix.setText("AV-")
    invoicing.payment_terms.setValue(14)
    invoicing.save()
    landed(qtbot)
    assert service.get_settings(db).payment_terms_days == 14
    assert dialog.saved


def test_an_issued_line_keeps_its_invoice_when_the_catalogue_changes(
    qtbot: QtBot, db: Database, client: Client, catalogue: None
) -> None:
    item = service.list_services(db)[0]
    draft = service.create_invoice(db, client.id, [LineForm(service_id=item.id)])
    issued = service.issue_invoice(db, draft.id)
    service.save_service(
        db, ServiceForm(item.name, Decimal("1.00"), item.duration_minutes), item.id
    )
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    dialog = tab.open_invoice(issued.id)
    landed(qtbot)  # opens once read
    assert dialog.editor.totals.values["Total"] == "$67.80"
    dialog.close()


def test_the_clients_billing_tab_reads_on_a_worker_and_shows_only_the_client_on_screen(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    other = clients.create_client(db, ClientForm(given_name="Noémie", family_name="Girard"))
    readers: list[str] = []
    account = service.client_account

    def reading(db_: Database, client_id: int):  # type: ignore[no-untyped-def]
        readers.append(threading.current_thread().name)
        return account(db_, client_id)

    monkeypatch.setattr(service, "client_account", reading)
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.show()
    tab.load(client)
    tab.load(other)  # the therapist moves on before the first read is back
    qtbot.waitUntil(lambda: runner().idle and tab.owed.value.text() != "")
    assert readers and threading.main_thread().name not in readers
    assert tab.client is other and tab.account.client_id == other.id  # never the first one's
