"""Backups on screen: the status note, Back up now, the closing backup, the warning banner,
the restore list and the settings, driven as a therapist would."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm
from practice.dates import format_time
from practice.store import Database, open_database
from practice.store.backups.catalog import backups_dir, list_backups
from practice.store.backups.run import back_up
from practice.store.backups.status import update_status
from ui.backup.restore_dialog import RestoreDialog
from ui.backup.settings import BackupSettingsSection
from ui.main_window import MainWindow
from ui.ops import runner


def idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: runner().idle, timeout=20_000)


def window_on(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    idle(qtbot)
    return window


def action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def test_status_bar_says_when_the_practice_was_last_backed_up(qtbot: QtBot, db: Database) -> None:
    backup = back_up(db.data_dir, reason="manual").backup
    window = window_on(qtbot, db)
    text = window.backups.label.text().strip()
    assert text == f"Backed up {format_time(backup.made_at)}, verified"
    assert not window.backups.banner.isVisible()


def test_back_up_now_makes_a_verified_backup_off_the_gui_thread(qtbot: QtBot, db: Database) -> None:
    window = window_on(qtbot, db)
    assert window.backups.label.text().strip() == "Not backed up yet"
    action(window, "&Back up now").trigger()
    idle(qtbot)
    (backup,) = list_backups(backups_dir(db.data_dir))
    assert backup.verified and backup.reason == "manual"
    assert window.backups.label.text().strip().endswith(", verified")
    assert window.statusBar().currentMessage().startswith("Backed up and verified")


def test_closing_after_a_save_backs_up_with_that_save_in_it(qtbot: QtBot, data_dir: Path) -> None:
    db = open_database(data_dir, actor="test")
    window = window_on(qtbot, db)
    back_up(data_dir, reason="manual")
    service.create_client(db, ClientForm(given_name="Siobhán", family_name="O'Brien"))
    window.close_without_asking()
    idle(qtbot)
    qtbot.waitUntil(lambda: not window.isVisible())
    newest = list_backups(backups_dir(data_dir))[0]
    assert newest.reason == "close" and newest.clients == 1
    assert db._lock is None, "the database closes once the backup is done"


def test_a_save_still_under_way_when_the_window_closes_is_in_the_closing_backup(
    qtbot: QtBot, data_dir: Path
) -> None:
    import time

    from ui.ops import WriteOp

    db = open_database(data_dir, actor="test")
    window = window_on(qtbot, db)
    back_up(data_dir, reason="manual")

    def slow_save() -> None:
        time.sleep(0.3)  # still writing when the therapist closes the window
        service.create_client(db, ClientForm(given_name="Last", family_name="Save"))

    WriteOp(window, slow_save).run()
    window.close()
    idle(qtbot)
    newest = list_backups(backups_dir(data_dir))[0]
    assert newest.reason == "close" and newest.clients == 1
    db.close()


def test_closing_with_nothing_new_makes_no_backup(qtbot: QtBot, db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    window = window_on(qtbot, db)
    window.close()
    idle(qtbot)
    assert [b.reason for b in list_backups(backups_dir(db.data_dir))] == ["manual"]
    assert not window.isVisible()


def test_a_failed_check_shows_a_banner_that_can_back_up_again(qtbot: QtBot, db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    update_status(
        backups_dir(db.data_dir),
        failed_at=datetime.now(UTC),
        failure="The copy failed its check: table client: 3 rows in the practice, 2 in the copy.",
    )
    window = window_on(qtbot, db)
    banner = window.backups.banner
    assert banner.isVisible() and banner.title.text() == "The last backup failed its check"
    assert "2 in the copy" in banner.detail.text()
    assert "the last attempt failed" in window.backups.label.text()
    qtbot.mouseClick(banner.back_up_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    assert not banner.isVisible()


def test_an_unplugged_second_drive_warns_after_a_week(qtbot: QtBot, db: Database) -> None:
    import sqlite3

    conn = sqlite3.connect(db.path)
    conn.execute(
        "INSERT INTO backup_settings (second_folder, second_folder_since, every_minutes, "
        "updated_at) VALUES ('/media/usb/FASCIA', '2020-01-01 00:00:00', 30, '2020-01-01')"
    )
    conn.commit()
    conn.close()
    back_up(db.data_dir, reason="manual")
    window = window_on(qtbot, db)
    banner = window.backups.banner
    assert banner.isVisible() and "/media/usb/FASCIA" in banner.title.text()
    assert "plugged in" in banner.detail.text()
    assert banner.settings_button.isVisible()


def test_restore_list_shows_each_backup_and_its_check(
    qtbot: QtBot, db: Database, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    service.create_client(db, ClientForm(given_name="김민지"))
    back_up(db.data_dir, reason="close")
    old_style = backups_dir(db.data_dir) / "fascia-20250101-120000-manual.db"
    old_style.write_bytes(db.path.read_bytes())
    dialog = RestoreDialog(db.data_dir)
    qtbot.addWidget(dialog)
    idle(qtbot)
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[1:8] == [
        "When Fascia closed",
        cells[2],
        "1",
        "0",
        "0",
        "Verified",
        "This computer",
    ]
    assert model.data(model.index(1, 6)) == "Not verified"
    assert "not verified when it was made" in model.data(
        model.index(1, 6), Qt.ItemDataRole.ToolTipRole
    )
    assert dialog.restore_button.isEnabled()


def test_restore_list_without_backups_says_so(qtbot: QtBot, db: Database) -> None:
    dialog = RestoreDialog(db.data_dir)
    qtbot.addWidget(dialog)
    idle(qtbot)
    assert dialog.pages.currentWidget() is dialog.empty
    assert not dialog.restore_button.isEnabled()


def test_restoring_from_the_menu_reopens_the_practice_as_it_was(
    qtbot: QtBot, data_dir: Path, qapp: QApplication
) -> None:
    from ui.app import Launcher

    db = open_database(data_dir, actor="test")
    service.create_client(db, ClientForm(given_name="Chloé", family_name="Dubois"))
    from practice.clients.records import PracticeProfile

    service.save_profile(db, PracticeProfile(therapist_name="Jordan Rivera"))
    backup = back_up(data_dir, reason="manual").backup
    service.create_client(db, ClientForm(given_name="Later", family_name="Client"))
    db.close()
    launcher = Launcher(qapp)
    assert launcher.open(data_dir)
    window = launcher.windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.db is not None and window.backups is not None)
    idle(qtbot)
    launcher._restore(window, data_dir, backup)
    idle(qtbot)
    # The restore reopens the practice: on a busy machine that takes longer than the default 5 s.
    qtbot.waitUntil(lambda: launcher.windows and launcher.windows[0] is not window, timeout=20_000)
    new = launcher.windows[0]
    qtbot.addWidget(new)
    qtbot.waitUntil(lambda: new.db is not None, timeout=20_000)
    idle(qtbot)
    assert [c.display_name for c in service.search_clients(new.db)] == ["Chloé Dubois"]
    assert "kept as the backup" in new.statusBar().currentMessage()
    kept = [b for b in list_backups(backups_dir(data_dir)) if b.reason == "before-restore"]
    assert len(kept) == 1 and kept[0].clients == 2
    launcher.close_all()


def test_backup_settings_show_a_bad_folder_next_to_the_field(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    section = BackupSettingsSection(db)
    qtbot.addWidget(section)
    idle(qtbot)
    saved: list[bool] = []
    section.folder.setText("/no/such/drive")
    section.save(then=lambda: saved.append(True))
    idle(qtbot)
    assert not saved
    assert "not there" in section.grid.errors["second_folder"].message()
    usb = tmp_path / "usb"
    usb.mkdir()
    section.folder.setText(str(usb))
    section.every.setValue(45)
    section.save(then=lambda: saved.append(True))
    idle(qtbot)
    assert saved == [True]
    again = BackupSettingsSection(db)
    qtbot.addWidget(again)
    idle(qtbot)
    assert again.folder.text() == str(usb) and again.every.value() == 45


def test_open_in_system_viewer_uses_a_private_folder_emptied_on_exit(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practice.store.private import PrivateTemp
    from tests.ui.test_pdf_preview import make_pdf, open_preview
    from ui.documents import preview

    private = PrivateTemp(tmp_path / "runtime")
    monkeypatch.setattr(preview, "PRIVATE_TEMP", private)
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_preview(qtbot, parent, lambda: make_pdf(1), "Treatment summary Chloé Dubois.pdf")
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    path = dialog.open_externally()
    qtbot.waitUntil(lambda: opened != [])  # the copy is written (and audited) by a WriteOp
    assert path is not None and opened == [str(path)]
    assert tmp_path / "runtime" in path.parents and Path("/tmp") not in path.parents[:2]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    private.stop()
    assert not path.exists()
    dialog.close()


def test_status_json_is_never_shown_as_a_backup(db: Database) -> None:
    back_up(db.data_dir, reason="manual")
    status = json.loads((backups_dir(db.data_dir) / "status.json").read_text())
    assert status["last_backup"].startswith("fascia-")
    assert len(list_backups(backups_dir(db.data_dir))) == 1


def damaged_practice(data_dir: Path, *, with_backup: bool) -> None:
    db = open_database(data_dir, actor="test")
    service.create_client(db, ClientForm(given_name="Aroha", family_name="Ngata"))
    db.close()
    if with_backup:
        back_up(data_dir, reason="manual")
    data = (data_dir / "fascia.db").read_bytes()
    (data_dir / "fascia.db").write_bytes(data[: len(data) // 2])


def damaged_error(data_dir: Path):  # type: ignore[no-untyped-def]
    from practice.errors import DamagedDatabaseError
    from practice.store import schema

    with pytest.raises(DamagedDatabaseError) as raised:
        schema.current_revision(data_dir / "fascia.db")
    return raised.value


def test_damaged_file_dialog_names_the_file_and_restores_the_newest_backup(
    qtbot: QtBot, data_dir: Path
) -> None:
    from ui.backup.damaged import DamagedFileDialog

    damaged_practice(data_dir, with_backup=True)
    dialog = DamagedFileDialog(damaged_error(data_dir), data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert str(data_dir / "fascia.db") in dialog.file_label.text()
    assert "1 client," in dialog.offer.text()
    assert dialog.restore_button.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    idle(qtbot)
    assert dialog.restored is not None and dialog.restored.damaged
    assert dialog.restored.kept is not None and dialog.restored.kept.exists()
    db = open_database(data_dir)
    assert [c.display_name for c in service.search_clients(db)] == ["Aroha Ngata"]
    db.close()


def test_damaged_file_without_a_backup_offers_only_quit(qtbot: QtBot, data_dir: Path) -> None:
    from ui.backup.damaged import DamagedFileDialog

    damaged_practice(data_dir, with_backup=False)
    dialog = DamagedFileDialog(damaged_error(data_dir), data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.restore_button.isVisible() and dialog.quit_button.isVisible()
    assert "No verified backup was found" in dialog.offer.text()
    assert "will not start a new practice" in dialog.offer.text()


def test_opening_a_damaged_practice_and_choosing_quit_changes_nothing(
    qtbot: QtBot, data_dir: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import Launcher
    from ui.backup.damaged import DamagedFileDialog

    damaged_practice(data_dir, with_backup=True)
    before = (data_dir / "fascia.db").read_bytes()
    shown: list[str] = []

    def quit_at_once(dialog: DamagedFileDialog) -> int:
        shown.append(dialog.error.reason)
        return 0

    monkeypatch.setattr(DamagedFileDialog, "exec", quit_at_once)
    launcher = Launcher(qapp)
    assert not launcher.open(data_dir)
    assert shown and "cut short" in shown[0]
    assert (data_dir / "fascia.db").read_bytes() == before
    assert not launcher.windows
    from practice.store.folder import claim_folder

    claim_folder(data_dir).release()  # the folder was let go


def test_a_backup_that_fails_its_check_says_so_and_shows_the_banner(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from practice.store.backups import copy

    window = window_on(qtbot, db)
    monkeypatch.setattr(copy, "_backup", lambda live, temp: temp.write_bytes(b"\0" * 8192))
    action(window, "&Back up now").trigger()
    idle(qtbot)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "failed its check" in boxes[0].text()
    assert window.backups.label.text().strip() == "Backup failed"
    assert window.backups.banner.isVisible()
    assert list_backups(backups_dir(db.data_dir)) == []
    for box in boxes:
        box.close()
