"""Screenshots of the main screens in the real window, for comparing the look before and after a
styling change: `python screens.py FOLDER OUT_DIR light|dark 1280x720`.

Run from a checkout's root (its `ui` is the one drawn) under QT_QPA_PLATFORM=offscreen, on a copy
of a demo practice (a note is started). Each PNG is the window grabbed as painted: Today, a
client on several tabs, the Visits note editor, Billing, the Schedule, the practice profile
(Preferences), a new client's form with a validation error, the alerts banner opened, and the
rail with a disabled button. Compare two folders with `python screens.py --diff A B`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def shoot(folder: Path, out: Path, scheme: str, size: str) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setCursorFlashTime(0)  # a caret that does not blink: the same pixels every time
    QCoreApplication.setOrganizationName("FasciaScreens")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(out / "qs"))
    from sqlalchemy import text

    from practice.store.database import open_database
    from ui import icons, theme
    from ui.main_window import MainWindow
    from ui.ops import runner

    theme.apply(app, scheme, icons.lucide_style())
    db = open_database(folder)
    window = MainWindow(folder)
    window.attach(db)
    width, height = (int(n) for n in size.split("x"))
    window.resize(width, height)
    window.show()
    out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(3):
            runner().wait_idle()
            for _ in range(5):
                app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # chips replaced

    def grab(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        settle()
        (widget or window).grab().save(str(out / f"{name}.png"))

    with db.read() as session:
        busiest = session.execute(
            text("SELECT client_id FROM visit GROUP BY client_id ORDER BY count(*) DESC LIMIT 1")
        ).scalar_one()
        alerted = session.execute(
            text(
                "SELECT client_id FROM intake WHERE high_risk_pregnancy OR conditions != '[]' "
                "ORDER BY high_risk_pregnancy DESC, length(conditions) DESC LIMIT 1"
            )
        ).scalar()
    grab("today")
    window.pages.setCurrentWidget(window.clients)
    page = window.clients
    page.open_client(busiest)
    workspace = page.workspace
    tabs = ("timeline", "profile", "intake", "bodymap", "consent", "progress", "plan")
    for tab in (*tabs, "documents", "billing", "visits"):
        workspace.tabs.setCurrentWidget(getattr(workspace, tab))
        grab(f"client-{tab}")
    workspace.new_visit()
    grab("client-visits-note")
    if alerted is not None:
        page.open_client(int(alerted))
        settle()
        workspace.header.alerts_button.setChecked(True)
        grab("client-alerts")
    page.open_client(None)  # a new client: Create with nothing filled in shows the errors
    settle()
    workspace.profile.save()
    grab("client-new-invalid")
    for name in ("schedule", "billing", "today"):
        window.pages.setCurrentWidget(getattr(window, name))
        grab(f"page-{name}")
    from ui.practice_profile import PracticeProfileDialog

    dialog = PracticeProfileDialog(db, window)
    dialog.show()
    grab("dialog-preferences", dialog)
    dialog.reject()
    settle()
    db.close()


def diff(before: Path, after: Path) -> None:
    """Per PNG: the share of pixels that differ and their bounding box (None: identical)."""
    from PIL import Image, ImageChops

    for path in sorted(before.glob("*.png")):
        other = after / path.name
        if not other.exists():
            print(f"{path.name:<28} missing after")
            continue
        a, b = Image.open(path).convert("RGB"), Image.open(other).convert("RGB")
        if a.size != b.size:
            print(f"{path.name:<28} size {a.size} -> {b.size}")
            continue
        delta = ImageChops.difference(a, b).convert("L")
        mask = delta.point(lambda v: 255 * (v > 24))
        share = mask.histogram()[255] / (a.size[0] * a.size[1])
        print(f"{path.name:<28} {share:8.4%} differ  box {mask.getbbox()}")


if __name__ == "__main__":
    if sys.argv[1] == "--diff":
        diff(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        shoot(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
