"""Before and around the main window: upgrading with progress, damaged files, restoring.

The upgrade (a verified backup, then migrations on a copy), the first seals of every final
record after the upgrade that brought them, and a restore run through the op runner like
every backup; before any window exists they run under a small progress dialog
while a local event loop waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from practice.errors import DamagedDatabaseError, FasciaError
from practice.paths import DB_FILENAME
from practice.progress import Progress
from practice.store import schema
from practice.store.seal.chain import first_seals_due, start_chain
from ui.ops import WriteOp

if TYPE_CHECKING:  # the backup modules load with the first restore, not at every start
    from practice.store.backups.catalog import BackupInfo
    from practice.store.backups.restore import Restored
    from practice.store.database import Database

T = TypeVar("T")


class Prepared:
    """The practice file is ready to open; `backup` is the one made before an upgrade."""

    def __init__(self, backup: Path | None, restored: Restored | None) -> None:
        self.backup = backup
        self.restored = restored


def prepare_practice(data_dir: Path) -> Prepared | None:
    """Bring the practice to the current schema, or offer the newest backup when it is damaged.

    None when it cannot be opened and the therapist was told why (or chose to quit).
    """
    db_path = data_dir / DB_FILENAME
    restored: Restored | None = None
    while True:
        try:
            if db_path.exists() and schema.work_due(db_path):
                backup = run_before_window(
                    "Upgrading the practice file (a verified backup first)…",
                    lambda _progress: schema.prepare(db_path),
                )
            else:
                backup = schema.prepare(db_path)
            if db_path.exists() and first_seals_due(db_path):
                run_before_window(
                    "Sealing the final records (once, after the upgrade)…",
                    lambda progress: start_chain(db_path, progress),
                )
            return Prepared(backup, restored)
        except DamagedDatabaseError as error:
            from ui.backup.damaged import DamagedFileDialog

            dialog = DamagedFileDialog(error, data_dir)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.restored is None:
                return None
            restored = dialog.restored
        except FasciaError as error:
            QMessageBox.critical(None, "Fascia cannot open the practice", str(error))
            return None


def run_before_window(text: str, work: Callable[[Progress], T]) -> T:
    """Run `work` through the op runner with a progress dialog and wait for it (no window yet).

    Its error, if any, is raised here on the GUI thread for the caller to explain.
    """
    holder = QWidget()  # the op's owner; its progress dialog is the only thing on screen
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        holder.setGeometry(screen.availableGeometry())  # so the dialog is centred on screen
    loop = QEventLoop()
    outcome: list[tuple[T | None, BaseException | None]] = []

    def guarded(progress: Progress) -> tuple[T | None, BaseException | None]:
        try:
            return work(progress), None
        except Exception as error:  # handed back to the GUI thread, raised below
            return None, error

    WriteOp(holder, guarded, outcome.append).after(loop.quit).with_progress(text).run()
    loop.exec()
    holder.deleteLater()
    result, error = outcome[0]
    if error is not None:
        raise error
    return result  # type: ignore[return-value]


def start_restore(
    window: QWidget,
    db: Database,
    backup: BackupInfo,
    on_restored: Callable[[Restored, object], None],
    on_failed: Callable[[], None],
) -> None:
    """Restore `backup` over the practice `db` is open on, off the GUI thread.

    Runs after every save already asked for; the database hands its folder lock over first
    (its connections closed) and gets it back if the restore is refused. `on_restored` gets
    the outcome and the lock, to open the practice again.
    """
    held: dict[str, object] = {}
    data_dir = db.data_dir

    def work(progress: Progress) -> Restored:
        from practice.store.backups.restore import restore_backup

        held["lock"] = db.hand_over()
        return restore_backup(data_dir, backup.path, progress)

    def failed(_error: BaseException) -> None:
        if "lock" in held:  # handed over, then refused: the practice stays open as it was
            db.take_back(held["lock"])  # type: ignore[arg-type]
        on_failed()

    WriteOp(window, work, lambda restored: on_restored(restored, held["lock"])).on_failed(
        failed
    ).with_progress("Restoring the backup…").run()
