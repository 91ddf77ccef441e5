"""Exporting on screen: File > Export practice… and a client's Records > Export records,
driven as a therapist would; the archive is made off the GUI thread and checked."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.exchange.archive import verify_archive
from practice.store import Database
from ui.clients.workspace import ClientWorkspace
from ui.exchange.export_dialog import ExportDialog
from ui.ops import runner


def idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)


def a_practice(db: Database) -> int:
    clients.save_profile(db, PracticeProfile("Jordan Rivera", practice_name="Fascia Massage"))
    clients.create_client(db, ClientForm("Chloé", "Dubois"))
    return clients.create_client(db, ClientForm("지민", "Kim", notes="=1+1")).id


def test_export_practice_writes_a_checked_archive_and_says_what_it_wrote(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    a_practice(db)
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    out = tmp_path / "everything.zip"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    manifest = verify_archive(out)
    assert manifest.counts["client"] == 2
    assert dialog.result.isVisibleTo(dialog) and str(out) in dialog.result.text()
    assert "matches its checksum" in dialog.result.text()
    with zipfile.ZipFile(out) as archive:
        assert "'=1+1" in archive.read("tables/client.csv").decode("utf-8-sig")


def test_a_target_that_cannot_be_written_is_shown_next_to_the_field(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(tmp_path / "no such folder" / "p.zip"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    assert "not a file in an existing folder" in dialog.form.errors["out"].message()
    assert not dialog.result.isVisibleTo(dialog)
    dialog.path.clear()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.form.errors["out"].message() == "Choose the file to export to."
    assert list(tmp_path.iterdir()) == [db.data_dir]


def test_the_file_menu_opens_the_export(qtbot: QtBot, db: Database) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.attach(db)
    idle(qtbot)
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, answer)
    next(a for a in window.findChildren(QAction) if a.text() == "&Export practice…").trigger()
    assert seen == ["Export practice"]


def test_a_clients_records_export_from_their_workspace(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    client_id = a_practice(db)
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.open_client(client_id)
    idle(qtbot)
    out = tmp_path / "records.zip"
    results: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        results.append(dialog.windowTitle())
        dialog.path.setText(str(out))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        idle(qtbot)
        results.append(dialog.result.text())
        dialog.accept()

    QTimer.singleShot(0, answer)
    workspace.header.export_records.trigger()
    assert results[0] == "Export client records" and str(out) in results[1]
    manifest = verify_archive(out)
    assert manifest.counts["client"] == 1 and manifest.data["client_id"] == client_id


def jane_file(folder: Path) -> Path:
    path = folder / "jane patients.csv"
    path.write_text(
        "First Name,Last Name,Birth Date,Email,Mobile Phone\n"
        "Chloé,Dubois,1984-03-05,chloe@example.ca,416 555 0101\n"
        "지민,Kim,1990-13-45,jimin@example.com,\n"
        "Chloé,Dubois,1984-03-05,,\n",
        encoding="utf-8",
    )
    return path


def test_import_maps_the_columns_previews_every_row_and_saves_only_on_import(
    qtbot: QtBot, db: Database, tmp_path: Path, qtmodeltester
) -> None:
    from ui.exchange.import_dialog import ImportDialog

    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jane"))
    dialog.open_file(jane_file(tmp_path))
    idle(qtbot)
    assert dialog.chosen_mapping() == {
        0: "given_name",
        1: "family_name",
        2: "date_of_birth",
        3: "email",
        4: "phone_mobile",
    }
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    qtmodeltester.check(dialog.rows)
    results = [dialog.rows.index(r, 4).data() for r in range(dialog.rows.rowCount())]
    assert results == ["New", "Not imported", "Already on file"]
    assert "Date of birth" in dialog.rows.index(1, 5).data()
    assert "3 rows: 1 new, 1 already on file, 1 with problems" in dialog.summary.text()
    assert clients.search_clients(db, "") == []  # nothing saved before Import
    assert dialog.import_button.text() == "Import 1 client"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    assert len(clients.search_clients(db, "")) == 1
    assert "Imported 1 client" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_import_says_what_is_wrong_with_a_file_or_a_mapping(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QComboBox

    from ui.exchange.import_dialog import ImportDialog

    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\x00\x00")
    dialog.open_file(binary)
    idle(qtbot)
    assert "not a text (CSV) file" in dialog.file_error.message()
    dialog.open_file(jane_file(tmp_path))
    idle(qtbot)
    assert dialog.file_error.message() == ""
    first: QComboBox = dialog.mapping.cellWidget(0, 2)
    first.setCurrentIndex(0)  # leave the first names out
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    assert "first name" in dialog.summary.text() and not dialog.import_button.isEnabled()


def test_past_visits_import_finds_each_client_previews_and_saves_them_marked_imported(
    qtbot: QtBot, db: Database, tmp_path: Path, qtmodeltester
) -> None:
    from practice.visits import service as visits
    from ui.exchange.import_dialog import ImportDialog

    chloe = clients.create_client(db, ClientForm("Chloé", "Dubois")).id
    path = tmp_path / "jane-appointments.csv"
    path.write_text(
        "Start At,End At,Patient,Treatment,State\n"
        "2024-03-05 14:30,2024-03-05 15:30,Chloé Dubois,Massage 60 🙂,Arrived\n"
        "2024-03-06 10:00,2024-03-06 11:00,Nobody Known,Massage 60,Arrived\n"
        "2099-01-01 10:00,2099-01-01 11:00,Chloé Dubois,Massage 60,Arrived\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(db)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jane"))
    dialog.target.setCurrentIndex(dialog.target.findData("visits"))
    dialog.open_file(path)
    idle(qtbot)
    assert dialog.chosen_mapping() == {
        0: "starts_at",
        1: "ends_at",
        2: "full_name",
        3: "service",
        4: "status",
    }
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    qtmodeltester.check(dialog.rows)
    assert dialog.rows.headerData(1, Qt.Orientation.Horizontal) == "Client"
    results = [dialog.rows.index(r, 4).data() for r in range(dialog.rows.rowCount())]
    assert results == ["New", "Not imported", "Not imported"]
    assert "No client named Nobody Known" in dialog.rows.index(1, 5).data()
    assert "after today" in dialog.rows.index(2, 5).data()
    assert dialog.rows.index(0, 3).data() == "60 min, completed"
    assert visits.visit_history(db, chloe) == []  # nothing saved before Import
    assert dialog.import_button.text() == "Import 1 past visit"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    (saved,) = visits.visit_history(db, chloe)
    assert saved.imported and saved.duration_minutes == 60
    record = visits.get_visit(db, saved.id)
    assert record.visit.signature_line().startswith("Imported by ")
    assert record.note.complaint == "Massage 60 🙂"
    assert "Imported 1 past visit from jane-appointments.csv" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()

    from ui.visits.tab import VisitsTab

    tab = VisitsTab(db)
    qtbot.addWidget(tab)
    tab.show()
    tab.load(clients.get_client(db, chloe))
    idle(qtbot)
    assert tab.model.index(0, tab.model.NOTE).data() == "Imported"
    tab.open_visit(saved.id)
    idle(qtbot)
    editor = tab.editor
    assert editor.signed_chip.text() == "↓ Imported" and editor.is_read_only()
    assert "Imported visits are kept as they came" in editor.locked_note.text()
    assert "not signed in Fascia" in editor.note_view.toPlainText()
