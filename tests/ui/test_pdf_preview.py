"""The PDF preview: built off the GUI thread, shown page by page, saved and printed exactly."""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QThread
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from practice.clients import service as clients
from practice.clients.intake import IntakeData
from practice.clients.records import ClientForm, PracticeProfile
from practice.documents.intake_summary import intake_summary_pdf
from practice.errors import ValidationError
from practice.store import Database
from ui.documents.preview import PdfPreviewDialog, preview_document
from ui.ops import runner


def make_pdf(pages: int, label: str = "Page") -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    for number in range(1, pages + 1):
        canvas.drawString(72, 720, f"{label} {number} of {pages}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def open_preview(qtbot: QtBot, parent: QWidget, build, name: str = "Test.pdf") -> PdfPreviewDialog:  # type: ignore[no-untyped-def]
    dialog = preview_document(parent, "Test document", build, suggested_name=name)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_document_is_built_off_the_gui_thread_while_progress_shows(
    qtbot: QtBot, parent: QWidget
) -> None:
    release = threading.Event()
    threads: list[QThread] = []

    def build() -> bytes:
        threads.append(QThread.currentThread())
        assert release.wait(10)
        return make_pdf(3)

    dialog = open_preview(qtbot, parent, build)
    qtbot.waitUntil(lambda: bool(threads))
    assert dialog.pages.currentIndex() == 0
    assert dialog.busy.isVisible()
    assert "Preparing" in dialog.progress_label.text()
    assert not dialog.print_button.isEnabled()

    with qtbot.waitSignal(dialog.pages_shown, timeout=10_000):
        release.set()

    assert threads[0] is not dialog.thread()
    assert dialog.pages.currentWidget() is dialog.view
    assert dialog.page_count() == 3
    assert dialog.page_label.text() == "Page 1 of 3"
    assert dialog.print_button.isEnabled()


def test_save_writes_the_exact_bytes_shown(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_pdf(2, "Chloé 김민지 O'Brien")
    dialog = open_preview(qtbot, parent, lambda: data, name="Intake Chloé.pdf")
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    offered: list[str] = []

    def choose(_parent, _caption, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(tmp_path / "saved"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: runner().idle)

    assert Path(offered[0]).name == "Intake Chloé.pdf"
    assert (tmp_path / "saved.pdf").read_bytes() == data
    assert "Saved saved.pdf" in dialog.note.text()


def test_cancelling_save_writes_nothing(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_preview(qtbot, parent, lambda: make_pdf(1))
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert dialog.save_as() is None
    assert list(tmp_path.glob("*.pdf")) == []


def _print_to(path: Path, monkeypatch: pytest.MonkeyPatch, *, pages: tuple[int, int] | None = None):  # type: ignore[no-untyped-def]
    def accept(self: QPrintDialog) -> int:
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        if pages is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*pages)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)


def test_print_renders_every_page_onto_the_printer(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_preview(qtbot, parent, lambda: make_pdf(3))
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    printed = tmp_path / "printed.pdf"
    _print_to(printed, monkeypatch)

    assert dialog.print_()

    reader = PdfReader(printed)
    assert len(reader.pages) == 3
    # The pages are drawn as pictures at print resolution, onto A4 like the source (in points).
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(595, abs=2)
    assert "Sent 3 pages" in dialog.note.text()


def test_print_respects_the_page_range_chosen(
    qtbot: QtBot, parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_preview(qtbot, parent, lambda: make_pdf(4))
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    printed = tmp_path / "range.pdf"
    _print_to(printed, monkeypatch, pages=(2, 3))

    assert dialog.print_()

    assert len(PdfReader(printed).pages) == 2


def test_a_builder_that_fails_shows_a_plain_message_and_details_on_request(
    qtbot: QtBot, parent: QWidget
) -> None:
    def build() -> bytes:
        raise ValidationError({"client": "This client has no intake yet."})

    dialog = preview_document(parent, "Intake summary", build, suggested_name="x.pdf")
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        pass

    assert dialog.pages.currentIndex() == 2
    assert dialog.error_title.text() == "Intake summary could not be prepared."
    assert dialog.error_message.text() == "This client has no intake yet."
    assert "Traceback" not in dialog.error_message.text()
    assert not dialog.details.isVisible()
    dialog.details_button.click()
    assert dialog.details.isVisible()
    assert "ValidationError" in dialog.details.toPlainText()
    assert not dialog.print_button.isEnabled()
    assert not dialog.save_button.isEnabled()


def test_an_unexpected_error_in_the_builder_does_not_crash(qtbot: QtBot, parent: QWidget) -> None:
    dialog = preview_document(parent, "Chart", lambda: 1 / 0, suggested_name="x.pdf")  # type: ignore[arg-type,return-value]
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        pass
    assert dialog.error_message.text() == "division by zero"
    assert "ZeroDivisionError" in dialog.details.toPlainText()


def test_a_builder_may_read_the_database_from_its_worker_thread(
    qtbot: QtBot, parent: QWidget, db: Database
) -> None:
    """The pattern the module documents: a build that calls services with the Database."""
    clients.save_profile(db, PracticeProfile(therapist_name="Sam Lee", practice_name="Fascia"))
    client = clients.create_client(
        db, ClientForm("Chloé", "O'Brien", date_of_birth=date(1990, 2, 3))
    )
    clients.save_intake(db, client.id, IntakeData(recorded_on=date(2024, 5, 1)))
    reads_on: list[QThread] = []

    def build() -> bytes:
        reads_on.append(QThread.currentThread())
        profile = clients.get_profile(db)
        intake = clients.latest_intake(db, client.id)
        assert profile is not None and intake is not None
        return intake_summary_pdf(profile, clients.get_client(db, client.id), intake)

    dialog = open_preview(qtbot, parent, build)
    # The GUI thread keeps writing while the worker reads.
    clients.create_client(db, ClientForm("Other", "Client"))
    qtbot.waitUntil(lambda: dialog.pdf is not None or dialog.failure is not None, timeout=20_000)

    assert dialog.failure is None
    assert reads_on[0] is not dialog.thread()
    assert "O'Brien" in PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()


def test_zoom_buttons_leave_fit_width_and_fit_returns(qtbot: QtBot, parent: QWidget) -> None:
    dialog = open_preview(qtbot, parent, lambda: make_pdf(2))
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    assert dialog.fit_button.isChecked()
    fitted = int(dialog.zoom_label.text().removesuffix("%"))

    dialog.zoom_in_button.click()
    assert not dialog.fit_button.isChecked()
    assert abs(int(dialog.zoom_label.text().removesuffix("%")) - fitted * 1.25) <= 1
    bigger = dialog.view.zoomFactor()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() < bigger

    dialog.fit_button.click()
    assert dialog.fit_button.isChecked()
    assert dialog.zoom_label.text() == f"{fitted}%"
