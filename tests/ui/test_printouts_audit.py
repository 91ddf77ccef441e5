"""Printing from the screens leaves an audit entry; saving a copy records an export; a changed
issued document never prints."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from practice import printouts
from practice.billing import service as billing
from practice.billing.records import LineForm, PaymentForm, PaymentMethod, ServiceForm
from practice.clients import service as clients
from practice.clients.intake import IntakeData
from practice.clients.records import Client
from practice.store import Database, audit
from practice.store.audit import AuditRecord
from practice.summaries import demo
from practice.summaries import service as summaries
from practice.visits import service as visits
from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm, VisitStatus
from tests.conftest import Made, made_once, made_result, own_practice
from tests.pdftext import pdf_text
from tests.practice.printouts.conftest import tamper
from ui.billing.client_tab import ClientBillingTab
from ui.billing.dialogs import PeriodDialog
from ui.billing.invoice_editor import InvoiceEditor
from ui.billing.reports import ReportsPage
from ui.documents.documents_tab import DocumentsTab
from ui.documents.preview import PdfPreviewDialog
from ui.main_window import MainWindow
from ui.ops import runner

TODAY = date.today()


@pytest.fixture(scope="module")
def made(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> Made[demo.SummaryClients]:
    """The summary's example clients, made once for the module; each test gets a copy (`db`)."""
    build = lambda db: demo.build(db, TODAY, visits_count=6)  # noqa: E731
    return made_once(tmp_path_factory, migrated_db_file, "printouts-audit", build)


@pytest.fixture
def db(
    request: pytest.FixtureRequest, made: Made[demo.SummaryClients], tmp_path: Path
) -> Iterator[Database]:
    yield from own_practice(request, made, tmp_path)


@pytest.fixture
def people(request: pytest.FixtureRequest, made: Made[demo.SummaryClients]) -> demo.SummaryClients:
    return made_result(request, made)


@pytest.fixture
def client(db: Database, people: demo.SummaryClients) -> Client:
    clients.save_intake(db, people.rich, IntakeData(recorded_on=TODAY, goals="Lift my grandson"))
    return clients.get_client(db, people.rich)


def entries_since(db: Database, mark: int) -> list[AuditRecord]:
    with db.read() as session:
        return [e for e in reversed(audit.entries(session, limit=50)) if e.id > mark]


def last_id(db: Database) -> int:
    with db.read() as session:
        found = audit.entries(session, limit=1)
    return found[0].id if found else 0


def the_preview(qtbot: QtBot, owner: QWidget) -> PdfPreviewDialog:
    [preview] = owner.findChildren(PdfPreviewDialog)
    qtbot.waitUntil(lambda: preview.pdf is not None or preview.failure is not None, timeout=20_000)
    qtbot.waitUntil(lambda: runner().idle)
    return preview


def press_ctrl_p(qtbot: QtBot, db: Database, client: Client, tab: str) -> PdfPreviewDialog:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    window.attach(db)
    window.clients.open_client(client.id)
    workspace = window.clients.workspace
    workspace.tabs.setCurrentWidget(getattr(workspace, tab))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    return the_preview(qtbot, window)


@pytest.mark.parametrize(
    ("tab", "title", "entity"),
    [("bodymap", "Pain chart", "body_chart"), ("intake", "Intake and health history", "intake")],
)
def test_ctrl_p_on_the_tab_prints_through_the_preview_and_leaves_one_audit_entry(
    qtbot: QtBot, db: Database, client: Client, tab: str, title: str, entity: str
) -> None:
    mark = last_id(db)

    preview = press_ctrl_p(qtbot, db, client, tab)

    assert preview.failure is None, preview.failure.details
    assert preview.windowTitle() == title
    assert client.legal_name in pdf_text(preview.pdf)
    [entry] = entries_since(db, mark)
    assert (entry.action, entry.entity, entry.client_id) == ("print", entity, client.id)


def test_save_as_and_open_in_the_viewer_each_record_one_export_of_the_bytes_shown(
    qtbot: QtBot, db: Database, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = press_ctrl_p(qtbot, db, client, "intake")
    assert preview.suggested_name.startswith("Intake ")
    mark = last_id(db)
    target = tmp_path / "intake copy.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "PDF (*.pdf)"))
    )
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()))
    )

    preview.save_button.click()
    qtbot.waitUntil(lambda: runner().idle)
    assert f"Saved {target.name}" in preview.note.text()
    preview.open_button.click()
    qtbot.waitUntil(lambda: bool(opened))

    assert target.read_bytes() == preview.pdf
    assert Path(opened[0]).read_bytes() == preview.pdf
    saved, viewed = entries_since(db, mark)
    for entry, path in ((saved, str(target)), (viewed, opened[0])):
        assert (entry.action, entry.entity, entry.client_id) == ("export", "intake", client.id)
        assert entry.changes["file"] == [None, path]


def test_a_changed_issued_document_refuses_to_reprint_from_the_documents_tab(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = printouts.issue_summary(db, summaries.summary_draft(db, client.id))
    tamper(db.path, document.id)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: told.append(box.text()))
    tab = DocumentsTab(db)
    qtbot.addWidget(tab)
    tab.show()
    tab.load(client)
    mark = last_id(db)

    tab.open_button.click()

    preview = the_preview(qtbot, tab)
    assert preview.pdf is None
    assert "has been changed since it was issued" in preview.error_message.text()
    assert "has been changed since it was issued" in told[0]
    assert not preview.print_button.isEnabled()
    assert entries_since(db, mark) == []


def _paid_invoice(db: Database, client: Client) -> int:
    massage = billing.save_service(db, ServiceForm("Massage 60 min", Decimal("90.00"), 60))
    invoice = billing.issue_invoice(
        db, billing.create_invoice(db, client.id, [LineForm(service_id=massage.id)]).id
    )
    billing.record_payment(
        db, client.id, PaymentForm(invoice.total, PaymentMethod.CASH, invoice_id=invoice.id)
    )
    return invoice.id


def test_printing_an_invoice_and_its_receipts_from_the_editor_is_audited_each_time(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    invoice_id = _paid_invoice(db, client)
    editor = InvoiceEditor(db)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.shown):
        editor.load(invoice_id)
    editor.show()
    mark = last_id(db)

    for make in (editor.print_pdf, editor.print_receipt, editor.print_receipt):
        preview = make()
        assert preview is not None
        qtbot.waitUntil(lambda p=preview: p.pdf is not None, timeout=20_000)
        qtbot.waitUntil(lambda: runner().idle)
        preview.close()
        qtbot.waitUntil(lambda: not editor.findChildren(PdfPreviewDialog))

    printed = [(e.action, e.entity, e.client_id) for e in entries_since(db, mark)]
    assert printed == [
        ("print", "invoice", client.id),
        ("print", "receipt", client.id),
        ("print", "receipt", client.id),
    ]
    assert "2 receipts printed" in editor.details.text()


def test_a_superbill_from_the_billing_tab_is_audited(
    qtbot: QtBot, db: Database, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = datetime.combine(TODAY - timedelta(days=2), time(10)).astimezone()
    record = visits.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(starts, 60, status=VisitStatus.COMPLETED),
            SoapNote(complaint="Neck pain"),
            (TreatmentInput("effleurage", 30, ("B_UPPER_BACK_R",)),),
        ),
    )
    visits.sign_visit(db, record.visit.id)
    massage = billing.save_service(db, ServiceForm("Massage 60 min", Decimal("90.00"), 60))
    billing.bill_visit(db, record.visit.id, massage.id)
    monkeypatch.setattr(PeriodDialog, "exec", lambda _self: 1)
    monkeypatch.setattr(PeriodDialog, "range", lambda _self: (TODAY - timedelta(days=7), TODAY))
    tab = ClientBillingTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    mark = last_id(db)

    tab.superbill()

    preview = the_preview(qtbot, tab)
    assert preview.failure is None, preview.failure.details
    assert client.legal_name in pdf_text(preview.pdf)
    [entry] = entries_since(db, mark)
    assert (entry.action, entry.entity, entry.client_id) == ("print", "client", client.id)
    assert entry.changes["document"] == [None, "superbill"]


def test_exporting_a_billing_report_as_csv_is_audited(
    qtbot: QtBot, db: Database, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _paid_invoice(db, client)
    target = tmp_path / "revenue.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(target), "CSV files (*.csv)")
    )
    page = ReportsPage(db)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    mark = last_id(db)

    assert page.export_csv() == target
    qtbot.waitUntil(lambda: runner().idle)

    assert "Massage 60 min" in target.read_text(encoding="utf-8-sig")
    [entry] = entries_since(db, mark)
    assert (entry.action, entry.entity) == ("export", "billing_report")
    assert entry.changes["report"] == [None, "revenue"]
