"""The Documents tab and the New physician summary dialog: draft, edit, preview, issue, reopen."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.intake import IntakeData
from practice.clients.records import Client, ClientForm
from practice.store import Database
from practice.summaries import demo
from practice.summaries.service import document_pdf, list_documents
from practice.visits.service import visit_history
from tests.conftest import Made, made_once, made_result, own_practice
from tests.pdftext import pdf_text
from ui.bodymap.tab import BodyMapTab
from ui.clients.workspace import ClientWorkspace
from ui.documents.documents_tab import DocumentsModel, DocumentsTab
from ui.documents.preview import PdfPreviewDialog
from ui.documents.summary_dialog import SummaryDialog
from ui.ops import runner
from ui.visits.tab import VisitsTab

TODAY = date(2025, 6, 2)
ASSESSMENT = "Chloé's neck pain eased steadily; she sleeps through the night again."
RECOMMENDATIONS = "Continue fortnightly for 4 weeks, then re-assess with O'Brien's protocol."


@pytest.fixture(scope="module")
def made(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> Made[demo.SummaryClients]:
    """The summary's example clients, made once for the module; each test gets a copy (`db`)."""
    build = lambda db: demo.build(db, TODAY, visits_count=6)  # noqa: E731
    return made_once(tmp_path_factory, migrated_db_file, "documents-tab", build)


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
    return clients.get_client(db, people.rich)


@pytest.fixture
def tab(qtbot: QtBot, db: Database, client: Client) -> DocumentsTab:
    widget = DocumentsTab(db)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.load(client)
    return widget


def open_dialog(qtbot: QtBot, db: Database, client: Client, tab: DocumentsTab) -> SummaryDialog:
    dialog = SummaryDialog(db, client, tab, today=TODAY)
    dialog.issued.connect(tab._on_dialog_issued)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=20_000)
    return dialog


def accept_confirmation(monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> None:
    def exec_(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        accept = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        )
        accept.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_an_empty_tab_says_what_belongs_there(tab: DocumentsTab) -> None:
    assert tab.pages.currentIndex() == 1
    assert tab.empty_new_button.isEnabled()
    assert not tab.open_button.isEnabled()


def test_the_dialog_prefills_the_facts_and_the_narrative_from_the_plan(
    qtbot: QtBot, db: Database, client: Client, tab: DocumentsTab
) -> None:
    dialog = open_dialog(qtbot, db, client, tab)

    assert dialog.plan_choice.isChecked()
    assert dialog.plan_combo.currentData() == dialog.draft.plan_id
    assert dialog.facts["Physician"].text() == dialog.draft.physician.display
    assert "completed" in dialog.facts["Visits"].text()
    assert dialog.fields["assessment"].toPlainText() == dialog.draft.assessment
    assert dialog.fields["recommendations"].toPlainText() == dialog.draft.recommendations
    assert dialog.issue_button.isEnabled()


def test_issuing_through_the_dialog_stores_the_edited_text_and_reopens_identically(
    qtbot: QtBot,
    db: Database,
    client: Client,
    tab: DocumentsTab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_dialog(qtbot, db, client, tab)
    dialog.fields["assessment"].setPlainText(ASSESSMENT)
    dialog.fields["recommendations"].clear()
    qtbot.keyClicks(dialog.fields["recommendations"], RECOMMENDATIONS)
    asked: list[str] = []
    accept_confirmation(monkeypatch, asked)

    with qtbot.waitSignal(dialog.issued, timeout=20_000) as issued:
        dialog.issue_button.click()

    assert "can no longer be changed" in asked[0]
    document = issued.args[0]
    stored = document_pdf(db, document.id)
    text = pdf_text(stored)
    assert ASSESSMENT in text
    assert RECOMMENDATIONS in text
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert dialog.issued_banner.isVisible()
    assert "reprints exactly" in dialog.issued_text.text()
    assert not dialog.issue_button.isVisible()

    # The list refreshed, newest first, with the issued document selected.
    assert tab.pages.currentWidget() is tab.list_page
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, DocumentsModel.KIND).data() == "Physician summary"
    assert tab.model.index(0, DocumentsModel.PHYSICIAN).data() == document.physician
    assert tab.selected_document() == document

    # Open shows the stored bytes exactly as issued.
    tab.open_button.click()
    preview = tab.findChild(PdfPreviewDialog)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=20_000)
    assert preview.pdf == stored
    assert preview.page_count() == len(PdfReader(io.BytesIO(stored)).pages)


def test_preview_renders_the_edited_draft_and_stores_nothing(
    qtbot: QtBot, db: Database, client: Client, tab: DocumentsTab
) -> None:
    dialog = open_dialog(qtbot, db, client, tab)
    dialog.fields["adverse_events"].setPlainText("2025-05-01: mild soreness for a day.")

    preview = dialog.show_preview()

    assert preview is not None
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=20_000)
    assert "mild soreness for a day" in pdf_text(preview.pdf)
    assert list_documents(db, client.id) == []


def test_a_second_summary_lists_first(
    qtbot: QtBot,
    db: Database,
    client: Client,
    tab: DocumentsTab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accept_confirmation(monkeypatch, [])
    for words in ("First summary text.", "Second summary text."):
        dialog = open_dialog(qtbot, db, client, tab)
        dialog.fields["assessment"].setPlainText(words)
        with qtbot.waitSignal(dialog.issued, timeout=20_000):
            dialog.issue_button.click()
        dialog.close()

    assert tab.model.rowCount() == 2
    newest = tab.model.document(0)
    assert "Second summary text." in pdf_text(document_pdf(db, newest.id))


def test_dates_instead_of_a_plan_redraw_the_period(
    qtbot: QtBot, db: Database, client: Client, tab: DocumentsTab
) -> None:
    dialog = open_dialog(qtbot, db, client, tab)
    dialog.dates_choice.setChecked(True)
    assert not dialog.issue_button.isEnabled()  # nothing typed yet
    dialog.since.setText("2025-05-20")
    dialog.until.setText("2025-05-01")
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.error.message() != "", timeout=20_000)
    assert dialog.error.message() == "The period starts after it ends."
    assert not dialog.issue_button.isEnabled()

    dialog.since.setText("2025-05-01")
    dialog.until.setText("2025-05-31")
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=20_000)
    assert dialog.draft.period_start == date(2025, 5, 1)
    assert dialog.facts["Period"].text() == "May 1, 2025 – May 31, 2025"
    assert dialog.error.message() == ""


def test_a_practice_without_a_profile_is_told_what_to_do(
    qtbot: QtBot, db: Database, tmp_path: object
) -> None:
    from practice.store import open_database

    other = open_database(tmp_path / "empty", actor="test")  # type: ignore[operator]
    try:
        person = clients.create_client(other, ClientForm("Min-ji", "Kim"))
        dialog = SummaryDialog(other, person, today=TODAY)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.error.message() != "", timeout=20_000)
        assert "practice profile" in dialog.error.message()
        assert not dialog.preview_button.isEnabled()
        assert not dialog.issue_button.isEnabled()
    finally:
        other.close()


def test_documents_model_passes_the_model_checks(
    qtmodeltester,  # type: ignore[no-untyped-def]
    db: Database,
    client: Client,
) -> None:
    from dataclasses import replace

    from practice.printouts import issue_summary
    from practice.summaries.service import summary_draft

    draft = summary_draft(db, client.id, today=TODAY)
    issue_summary(db, replace(draft, assessment="Checked."))
    model = DocumentsModel()
    model.set_rows(list_documents(db, client.id))
    qtmodeltester.check(model)


def test_file_print_on_the_intake_tab_previews_the_intake(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    clients.save_intake(
        db, client.id, IntakeData(recorded_on=TODAY, goals="Play the violin for an hour")
    )
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    workspace.open_client(client.id)
    workspace.tabs.setCurrentWidget(workspace.intake)

    workspace.print_current()

    preview = workspace.findChild(PdfPreviewDialog)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=20_000)
    assert preview.windowTitle() == "Intake and health history"
    text = pdf_text(preview.pdf)
    assert client.family_name in text
    assert "Play the violin for an hour" in text


def test_file_print_without_an_intake_says_so_in_the_preview(
    qtbot: QtBot, db: Database, people: demo.SummaryClients
) -> None:
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_client(people.new)
    workspace.tabs.setCurrentWidget(workspace.intake)

    workspace.print_current()

    preview = workspace.findChild(PdfPreviewDialog)
    with qtbot.waitSignal(preview.failed, timeout=20_000):
        pass
    assert preview.error_message.text() == "Noah Tremblay has no intake on file yet."


def wait_for_pdf(qtbot: QtBot, owner: QWidget) -> PdfPreviewDialog:
    previews = owner.findChildren(PdfPreviewDialog)
    assert len(previews) == 1
    preview = previews[0]
    qtbot.waitUntil(lambda: preview.pdf is not None or preview.failure is not None, timeout=20_000)
    assert preview.failure is None, preview.failure.details
    return preview


def test_printing_a_visit_note_from_the_visits_tab_previews_it(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    tab = VisitsTab(db)
    qtbot.addWidget(tab)
    tab.show()
    tab.load(client)
    visit = next(v for v in visit_history(db, client.id) if v.signed)
    tab.open_visit(visit.id)
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner

    tab.print_button.click()

    preview = wait_for_pdf(qtbot, tab)
    assert preview.windowTitle() == "Visit note"
    assert "Low back ache, worse sitting" in pdf_text(preview.pdf)
    assert visit.starts_at.astimezone().date().isoformat() in preview.suggested_name


def test_the_body_map_tab_prints_the_chart_the_comparison_and_the_history(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    tab = BodyMapTab(db)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    tab.load(client)
    qtbot.waitUntil(lambda: runner().idle)  # the charts are read on the op runner
    titles = []
    for action in (
        tab.print_button.click,
        lambda: (tab.compare_button.setChecked(True), tab.print_button.click()),
        tab.history_print_button.click,
    ):
        action()
        preview = wait_for_pdf(qtbot, tab)
        assert "Dubois" in pdf_text(preview.pdf)
        titles.append(preview.windowTitle())
        preview.close()
        qtbot.waitUntil(lambda: not tab.findChildren(PdfPreviewDialog))
    assert titles == ["Pain chart", "Pain chart comparison", "Body chart history"]
