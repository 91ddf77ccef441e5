"""The recovery code dialog prints the code: a one-page sheet in the preview, saved to the file
chosen, and no copy opened from a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import PracticeProfile
from practice.store import connection, keyfile, open_database
from practice.store.database import Database
from practice.store.encryption import protect_practice
from practice.store.private import PRIVATE_TEMP
from ui.lock.passphrase import RecoveryCodeDialog
from ui.ops import runner


@pytest.fixture
def protected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Database, str]]:
    monkeypatch.setattr(keyfile, "COST", keyfile.Argon2Cost(1, 1024, 1))
    folder = tmp_path / "practice"
    db = open_database(folder, actor="jordan")
    service.save_profile(db, PracticeProfile("Jordan Lee", "Hands & Healing"))
    db.close()
    code = protect_practice(folder, "correct horse battery staple")
    db = open_database(folder, actor="jordan")
    yield db, code
    runner().wait_idle()
    db.close()
    connection.forget_all()


def test_the_recovery_code_prints_as_a_sheet_saved_to_the_file_chosen(
    qtbot: QtBot, protected: tuple[Database, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, code = protected

    def private_pdfs() -> set[Path]:  # copies other tests of this process opened stay listed
        private = PRIVATE_TEMP.folder
        return set(Path(private).rglob("*.pdf")) if private is not None else set()

    before = private_pdfs()
    dialog = RecoveryCodeDialog(code, db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=10_000)
    assert preview.page_count() == 1
    assert preview.print_button.isEnabled()
    assert preview.open_button.isHidden() and preview.open_externally() is None
    chosen = tmp_path / "chosen" / "sheet.pdf"
    chosen.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(chosen), "PDF (*.pdf)"))
    )
    preview.save_as()
    qtbot.waitUntil(lambda: runner().idle)
    text = PdfReader(BytesIO(chosen.read_bytes())).pages[0].extract_text()
    assert "-".join(code.split("-")[:4]) in text and "Hands & Healing" in text
    assert private_pdfs() <= before  # no temporary copy of the sheet was made
    preview.close()
    dialog.written.setChecked(True)
    dialog.accept()
