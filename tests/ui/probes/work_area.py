"""Open a client in the real main window on a laptop screen and print each tab's work area.

Run as a script (`python work_area.py FOLDER CLIENT_ID`) under the screen the test sets up
(QT_QPA_PLATFORM=offscreen with a 1280x720 screen, QT_SCALE_FACTOR as the test wants): the
window is maximised there, as on a laptop, and the output is JSON lines, one per tab.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication


def main(folder: Path, client_id: int) -> None:
    app = QApplication([])
    QCoreApplication.setOrganizationName("FasciaProbe")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "qs"))
    from practice.store.database import open_database
    from ui import icons, theme
    from ui.main_window import MainWindow
    from ui.ops import runner

    theme.apply(app, "light", icons.lucide_style())
    db = open_database(folder)
    window = MainWindow(folder)
    window.attach(db)
    screen = app.primaryScreen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    window.clients.open_client(client_id)
    workspace = window.clients.workspace
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        for _ in range(5):
            app.processEvents()
        runner().wait_idle()
        app.processEvents()
        tab = workspace.tabs.widget(index)
        print(
            json.dumps(
                {
                    "tab": workspace.tabs.tabText(index),
                    "work_area": tab.height(),
                    "window": window.height(),
                    "window_width": window.width(),
                    "screen": [screen.width(), screen.height()],
                    "header": workspace.header.height(),
                }
            )
        )
    runner().wait_idle()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
