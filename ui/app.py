"""Startup: arguments, QApplication and theme, opening the practice folder, first-run welcome."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from practice import __version__
from practice.errors import FasciaError
from practice.paths import APP_NAME, resolve_data_dir
from practice.store import Database, open_database
from ui import theme


def _args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fascia", description="Fascia practice manager")
    parser.add_argument("--data-dir", metavar="DIR", help="practice folder to open")
    parser.add_argument("--scheme", choices=("light", "dark"), help="force a colour scheme")
    parser.add_argument("--version", action="version", version=f"Fascia {__version__}")
    return parser.parse_args(argv)


def demo_dir_for(data_dir: Path) -> Path:
    """The demo practice lives beside the real one, never inside it."""
    return data_dir.with_name(f"{data_dir.name} Demo")


def _open(data_dir: Path) -> Database | None:
    try:
        return open_database(data_dir)
    except FasciaError as error:
        QMessageBox.critical(None, "Fascia cannot open the practice", str(error))
        return None


def _open_demo(data_dir: Path) -> Database | None:
    from practice.demo import generate

    db = _open(demo_dir_for(data_dir))
    if db is None:
        return None
    from practice.clients import service

    if not service.search_clients(db, limit=1):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            generate(db, clients_count=60, seed=7)
        finally:
            QGuiApplication.restoreOverrideCursor()
    return db


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationDisplayName(APP_NAME)
    theme.apply(app, args.scheme)

    data_dir = resolve_data_dir(args.data_dir)
    db = _open(data_dir)
    if db is None:
        return 1
    demo = False
    from practice.clients import service

    # Benchmarks and the bundle smoke test start the app, wait for the window, and quit.
    exit_after_show = bool(os.environ.get("FASCIA_EXIT_AFTER_SHOW"))
    if service.get_profile(db) is None and not exit_after_show:
        from ui.welcome import WelcomeDialog

        welcome = WelcomeDialog(db)
        if not welcome.exec():
            db.close()
            return 0
        if welcome.choice == "demo":
            db.close()
            db = _open_demo(data_dir)
            if db is None:
                return 1
            demo = True

    from ui.main_window import MainWindow

    window = MainWindow(db, demo=demo)
    window.open_demo_requested.connect(lambda: _switch_to_demo(window, data_dir))
    window.show()
    if exit_after_show:
        QTimer.singleShot(0, lambda: (print("main window shown", flush=True), app.quit()))
    code = app.exec()
    window.db.close()
    return code


def _switch_to_demo(window, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    if not window.close():
        return
    window.db.close()
    db = _open_demo(data_dir)
    if db is None:
        QApplication.quit()
        return
    demo_window = MainWindow(db, demo=True)
    demo_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    demo_window.show()
    QApplication.instance().setProperty("fascia_window", demo_window)


if __name__ == "__main__":
    raise SystemExit(main())
