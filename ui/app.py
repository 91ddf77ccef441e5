"""Startup: arguments, QApplication and theme, opening the practice folder, first-run welcome."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from practice import __version__
from practice.errors import FasciaError, ServerGoneError
from practice.paths import APP_NAME, resolve_data_dir
from practice.store.private import PRIVATE_TEMP
from ui import icons, theme
from ui.collector import collect_on_gui_thread

if TYPE_CHECKING:
    from practice.store.database import Database


def _args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fascia", description="Fascia practice manager")
    parser.add_argument("--data-dir", metavar="DIR", help="practice folder to open")
    parser.add_argument(
        "--server", metavar="URL", help="a clinic's practice on a PostgreSQL server to open"
    )
    parser.add_argument("--scheme", choices=("light", "dark"), help="force a colour scheme")
    parser.add_argument("--version", action="version", version=f"Fascia {__version__}")
    return parser.parse_args(argv)


def demo_dir_for(data_dir: Path) -> Path:
    """The demo practice lives beside the real one, never inside it."""
    return data_dir.with_name(f"{data_dir.name} Demo")


class Launcher:
    """Opens practice folders in windows: the real one, or the separate demo practice."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.windows: list = []  # type: ignore[type-arg]
        self.live_updates: list = []  # type: ignore[type-arg]  # one per server window
        self.signing_in: list = []  # type: ignore[type-arg]  # sign-in dialogs still open
        # Benchmarks and the bundle smoke test: "shown" quits once the window is up, "ready"
        # once the client list is filled, any other value once the database engine is open too.
        self.exit_after = os.environ.get("FASCIA_EXIT_AFTER_SHOW", "")

    def open(self, data_dir: Path, *, demo: bool = False, lock=None, message: str = "") -> bool:  # type: ignore[no-untyped-def]
        """Show a window on data_dir. False if the folder cannot be opened or setup was left.

        `lock` is the folder's lock when the caller already holds it (after a restore).
        """
        from practice.paths import DB_FILENAME
        from practice.store.folder import claim_folder, table_has_rows
        from practice.store.keyfile import needs_unlock
        from ui.backup.opening import prepare_practice

        if needs_unlock(data_dir):  # nothing of an encrypted practice is read before this
            return self._unlock_first(data_dir, demo=demo, lock=lock, message=message)

        db_path = data_dir / DB_FILENAME
        try:
            lock = lock or claim_folder(data_dir)
        except FasciaError as error:
            QMessageBox.critical(None, "Fascia cannot open the practice", str(error))
            return False
        prepared = prepare_practice(data_dir)  # upgrades; a damaged file offers the backup
        if prepared is None:
            lock.release()
            return False
        backup = prepared.backup
        if prepared.restored is not None:
            message = _restored_message(prepared.restored)
        db = None
        needs_setup = not demo and not table_has_rows(db_path, "practice_profile")
        if needs_setup and not self.exit_after:
            from practice.store.database import connect
            from ui.welcome import WelcomeDialog

            db = connect(data_dir, lock, backup_path=backup)
            welcome = WelcomeDialog(db)
            if not welcome.exec():
                db.close()
                return False
            if welcome.choice == "demo":
                db.close()
                return self.open(demo_dir_for(data_dir), demo=True)
            if welcome.passphrase:
                from ui.lock.gate import protect_new_practice

                protect_new_practice(db, welcome.passphrase)

        # Show the window first; the database engine and the client list load right after.
        from ui.main_window import MainWindow

        window = MainWindow(data_dir, demo=demo)
        window.open_demo_requested.connect(lambda: self._switch_to_demo(window, data_dir))
        window.restore_requested.connect(lambda chosen: self._restore(window, data_dir, chosen))
        window.show()
        if message:
            window.show_status(message)
        self.windows.append(window)
        if self.exit_after:
            print("main window shown", flush=True)
            if self.exit_after == "shown":
                QTimer.singleShot(0, self.app.quit)
                return True
        QTimer.singleShot(0, lambda: self._attach(window, data_dir, lock, backup, db, demo))
        return True

    def open_server(self, url: str, data_dir: Path) -> bool:
        """Sign in to a clinic's PostgreSQL server (`ui.signin`: the dialog shows only when the
        server wants a password or cannot be used), then show its practice in a window.
        Quitting the sign-in with no window open quits Fascia."""
        from ui.signin import SignInDialog

        signing_in = SignInDialog(url, data_dir)
        signing_in.signed_in.connect(self._show_server_window)
        signing_in.rejected.connect(self._on_sign_in_left)
        signing_in.finished.connect(lambda _result: self._sign_in_finished(signing_in))
        self.signing_in.append(signing_in)
        signing_in.start()
        return True

    def _sign_in_finished(self, signing_in) -> None:  # type: ignore[no-untyped-def]
        self.signing_in.remove(signing_in)
        signing_in.deleteLater()

    def _on_sign_in_left(self) -> None:
        if not self.windows:
            self.app.quit()

    def _show_server_window(self, db: Database) -> None:
        from ui.main_window import MainWindow

        window = MainWindow(db.data_dir)
        window.show()
        self.windows.append(window)
        if self.exit_after:
            print("main window shown", flush=True)
        QTimer.singleShot(0, lambda: self._open_engine(window, db.data_dir, None, None, db))

    def _unlock_first(self, data_dir: Path, **options) -> bool:  # type: ignore[no-untyped-def]
        from ui.lock.gate import UnlockWindow

        gate = UnlockWindow(data_dir)

        def unlocked() -> None:
            gate.hide()
            if not self.open(data_dir, **options) and not self.windows:
                self.app.quit()
            gate.deleteLater()

        gate.unlocked.connect(unlocked)
        gate.show()
        self.gate = gate
        return True

    def _attach(self, window, data_dir: Path, lock, backup, db, demo: bool) -> None:  # type: ignore[no-untyped-def]
        if db is None and not demo:
            # List the clients with sqlite3 alone; SQLAlchemy (~300 ms) loads right after.
            from practice.clients.directory import ClientDirectory
            from practice.paths import DB_FILENAME

            window.show_clients(ClientDirectory(data_dir / DB_FILENAME))
            if self.exit_after:
                print("client list ready", flush=True)
                if self.exit_after == "ready":
                    QTimer.singleShot(0, self.app.quit)
                    return
            QTimer.singleShot(0, lambda: self._open_engine(window, data_dir, lock, backup, None))
            return
        self._open_engine(window, data_dir, lock, backup, db, demo=demo)

    def _open_engine(self, window, data_dir: Path, lock, backup, db, *, demo: bool = False) -> None:  # type: ignore[no-untyped-def]
        from practice.store.database import connect

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if db is None:
                db = connect(data_dir, lock, backup_path=backup)
            if demo:
                _fill_demo(db)
            window.attach(db)
            if db.on_server:  # clinic mode: what others save appears here without a click
                from ui.live import LiveUpdates

                self.live_updates.append(LiveUpdates(db, window))
        finally:
            QGuiApplication.restoreOverrideCursor()
        if backup is not None:
            window.show_status(f"Practice file upgraded; the previous version is in {backup}")
        if not self.exit_after:
            QTimer.singleShot(WARM_UP_AFTER_MS, lambda: _start_warm_up(window, db))
        if self.exit_after:
            if window.clients is not None and demo:
                print("client list ready", flush=True)  # listed with the engine (demo fill)
            print("database open", flush=True)
            QTimer.singleShot(0, self.app.quit)

    def _switch_to_demo(self, window, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
        if not window.confirm_close():
            return
        if self.open(demo_dir_for(data_dir), demo=True):
            window.close_without_asking()
            self.windows.remove(window)

    def _restore(self, window, data_dir: Path, chosen) -> None:  # type: ignore[no-untyped-def]
        """Restore a backup over the open practice, then open it again in a new window."""
        from ui.backup.opening import start_restore

        if window.db is None or not window.confirm_close():
            return
        window.backups.stop()
        window.clients.directory.close()

        def reopen(restored, lock) -> None:  # type: ignore[no-untyped-def]
            window.close_without_asking(back_up=False)
            self.windows.remove(window)
            self.open(data_dir, lock=lock, message=_restored_message(restored))

        start_restore(window, window.db, chosen, reopen, window.backups.timer.start)

    def close_all(self) -> None:
        for live in self.live_updates:
            live.close()
        for window in self.windows:
            if window.db is not None:
                window.db.close()


WARM_UP_AFTER_MS = 400  # after the list has painted and the reminder has loaded


def _start_warm_up(window, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Load what the first opened client needs in the background (see practice.warmup), then
    build the client workspace while the window is idle, so the first client opens as quickly
    as the next."""
    import contextlib

    import shiboken6

    from practice.warmup import warm_up
    from ui.ops import QueryOp

    def run() -> None:
        with contextlib.suppress(Exception):  # only a head start: the click loads it otherwise
            warm_up(db)
            # The Progress tab's charts (pyqtgraph, about 0.6 s to import): loaded here, off
            # the GUI thread, before the idle building makes them.
            import ui.visits.progress  # noqa: F401

    def build_workspace(_result: object) -> None:
        page = window.clients if shiboken6.isValid(window) else None
        if page is not None:
            page.prepare_workspace(lambda: _last_of_warm_up(window))

    if shiboken6.isValid(window):  # not closed within the moment before
        QueryOp(window, run, build_workspace).run()


def _last_of_warm_up(window) -> None:  # type: ignore[no-untyped-def]
    """The Billing page, the ICD-10-CM index, then what lives on set aside from the garbage
    collector."""
    import shiboken6

    from ui.collector import set_aside_what_lives_on
    from ui.ops import QueryOp

    if not shiboken6.isValid(window):
        return
    window.prepare_billing()

    def settled(_result: object) -> None:
        set_aside_what_lives_on()
        if shiboken6.isValid(window):
            window.warmed_up = True  # what is built while idle is built (the frame probe waits)

    # The ICD-10-CM index: its file opened now (a few ms; on the first start ever, made from
    # the package: about 3 s off the GUI thread), at the end of the start-up work, not when a
    # plan is first shown while the therapist is working.
    QueryOp(window, _load_code_list, settled).run()


def _load_code_list() -> None:
    import contextlib

    from practice.plans.icd10 import LOADER

    with contextlib.suppress(Exception):  # the picker says so, and tries again, when opened
        LOADER.load()


def _restored_message(restored) -> str:  # type: ignore[no-untyped-def]
    kept = restored.kept.name if restored.kept is not None else "nothing to keep"
    how = "set aside as" if restored.damaged else "kept as the backup"
    return f"Backup restored; the practice as it was is {how} {kept}"


def _fill_demo(db: Database) -> None:
    from practice.clients import service
    from practice.demo import generate

    if not service.search_clients(db, limit=1):
        generate(db, clients_count=60, seed=7)


def _install_error_hook(app: QApplication, exit_after: bool) -> None:
    """An unexpected error is logged and explained, never a silent hang or a raw traceback."""
    import traceback

    def hook(kind, value, tb) -> None:  # type: ignore[no-untyped-def]
        text = "".join(traceback.format_exception(kind, value, tb))
        print(text, file=sys.stderr, flush=True)
        if exit_after:
            app.exit(1)
            return
        if isinstance(value, ServerGoneError):  # a read on the GUI thread while it is away:
            _say_everywhere(app, str(value))  # no box per read (saves offer their Retry)
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Something went wrong",
            "Fascia hit an unexpected problem. Your saved records are safe; "
            "the last action may not have completed.",
        )
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


def _say_everywhere(app: QApplication, message: str) -> None:
    for widget in app.topLevelWidgets():
        if widget.isVisible() and hasattr(widget, "show_status"):
            widget.show_status(message)


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationDisplayName(APP_NAME)
    theme.apply(app, args.scheme, icons.lucide_style())
    collect_on_gui_thread(app)  # Qt objects are never destroyed on an op's worker thread

    launcher = Launcher(app)
    _install_error_hook(app, bool(launcher.exit_after))
    try:
        data_dir = resolve_data_dir(args.data_dir)
        opened = (
            launcher.open_server(args.server, data_dir) if args.server else launcher.open(data_dir)
        )
        if not opened:
            return 0 if not launcher.windows else 1
        QTimer.singleShot(WARM_UP_AFTER_MS, PRIVATE_TEMP.sweep)  # what a crashed Fascia left
        code = app.exec()
        launcher.close_all()
    finally:
        PRIVATE_TEMP.stop()  # previews and viewer copies never outlive Fascia
    return code


if __name__ == "__main__":
    raise SystemExit(main())
