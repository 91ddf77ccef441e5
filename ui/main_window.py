"""The main window: navigation rail, work area, menus with every shortcut, quiet status bar."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSettings, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice import __version__
from practice.changes import Changes
from ui import icons
from ui.ops import runner
from ui.widgets.status import status_line

if TYPE_CHECKING:
    from practice.clients.directory import ClientDirectory
    from practice.store.database import Database
    from ui.backup.controller import BackupController
    from ui.billing.area import BillingArea
    from ui.clients.page import ClientsPage
    from ui.lock.controller import LockController

MIN_SIZE = QSize(1100, 700)
RECORDS_CHECK_AFTER_MS = 2000  # the seal check at open waits for the first screens to load
INVOICE_WINDOW_AFTER_MS = 50  # after the Billing page, built while idle: a click comes first
# The rail's buttons in order: Ctrl+N is the Nth (Clients is listed first, before the database
# opens, and moves to the end once the others are in).
TODAY_KEYS = "Ctrl+1"
SCHEDULE_KEYS = "Ctrl+2"
BILLING_KEYS = "Ctrl+3"
CLIENTS_KEYS = "Ctrl+4"


def _preferences_keys() -> list[QKeySequence]:
    """The platform's Preferences keys, and Ctrl+, everywhere: Linux desktops define none."""
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    comma = QKeySequence("Ctrl+,")
    return [k for k in keys if not k.isEmpty() and k != comma] + [comma]


class MainWindow(QMainWindow):
    open_demo_requested = Signal()
    restore_requested = Signal(object)  # the BackupInfo to restore (the launcher reopens)

    def __init__(self, data_dir: Path, *, demo: bool = False) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.db: Database | None = None
        self.clients: ClientsPage | None = None
        self.billing: BillingArea | None = None
        self.backups: BackupController | None = None
        self.locker: LockController | None = None
        self._closing_without_asking = False
        self._backed_up_for_close = False
        self._close_database_after = False
        self.setWindowTitle("Fascia — demo practice" if demo else "Fascia")
        screen = QGuiApplication.primaryScreen().availableGeometry()
        # Never larger than the screen: 1280x720 at 125% scaling leaves 1024x576 points.
        self.setMinimumSize(MIN_SIZE.boundedTo(screen.size()))
        self.resize(min(1440, screen.width()), min(900, screen.height()))

        self.pages = QStackedWidget()
        self.loading = QLabel("Opening your practice…")
        self.loading.setProperty("role", "empty")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.loading)
        # The rail follows whatever shows a page (a button, a menu, Ctrl+N): it never lies.
        self.pages.currentChanged.connect(self._on_pages_current_changed)

        rail = QWidget()
        rail.setObjectName("NavRail")
        rail.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        rail.setFixedWidth(96)
        self.rail = QVBoxLayout(rail)
        self.rail.setContentsMargins(0, 8, 0, 8)
        self.rail.setSpacing(4)
        brand = QLabel("Fascia")
        brand.setObjectName("NavBrand")
        brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rail.addWidget(brand)
        self.warmed_up = False  # set once the warm-up and the building while idle are done
        self.nav = QButtonGroup(self)
        self._nav_pages: dict[QWidget, QToolButton] = {}
        self.rail.addStretch(1)

        central = QWidget()
        cl = QHBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(rail)
        work = QWidget()
        self.work_area = QVBoxLayout(work)  # a backup warning goes above the pages
        self.work_area.setContentsMargins(0, 0, 0, 0)
        self.work_area.addWidget(self.pages, 1)
        cl.addWidget(work, 1)
        self.setCentralWidget(central)

        status_line().said.connect(self._on_said)
        self._needs_db: list[QAction] = []
        self._role_actions: list[tuple[QAction, str]] = []
        self._build_menus()
        for action in self._needs_db:
            action.setEnabled(False)
        if demo:
            tag = QLabel("  Demo practice: made-up clients, kept apart from your real records  ")
            tag.setProperty("alert", "info")
            self.statusBar().addPermanentWidget(tag)
        self.statusBar().showMessage(f"Practice folder: {data_dir}", 8000)
        self._restore()

    def show_clients(self, directory: ClientDirectory) -> None:
        """List the clients before the database engine is open (it loads right after)."""
        from ui.clients.page import ClientsPage

        self.clients = ClientsPage(None, directory=directory)
        self.clients.status.connect(self.show_status)
        self.pages.addWidget(self.clients)
        self._add_nav("Clients", "users", self.clients, CLIENTS_KEYS)
        self.pages.setCurrentWidget(self.clients)

    def attach(self, db: Database) -> None:
        """Build the areas that need the database, once it is open."""
        if self.clients is None:
            from practice.clients.directory import ClientDirectory

            self.show_clients(ClientDirectory.of(db))
        assert self.clients is not None
        self.db = db
        from practice.clients import service as clients
        from practice.store import staff
        from ui.widgets import dates

        profile = clients.get_profile(db)
        dates.use_locale(profile.locale if profile else None)  # every screen's date style
        self.clients.attach_db(db)
        from ui.billing.area import BillingArea
        from ui.schedule.page import SchedulePage
        from ui.today.page import TodayPage

        self.today = TodayPage(db)
        self.today.status.connect(self.show_status)
        self.today.visit_started.connect(self._on_visit_started)
        self.today.record_requested.connect(self._on_today_record)
        self.today.schedule_requested.connect(self._on_schedule_day)
        self.today.reports_requested.connect(self._on_billing_reports)
        self.today.backup_requested.connect(self._on_profile)
        self.pages.addWidget(self.today)
        self._add_nav("Today", "house", self.today, TODAY_KEYS, position=1)
        self.schedule = SchedulePage(db)
        self.schedule.status.connect(self.show_status)
        self.schedule.visit_started.connect(self._on_visit_started)
        self.today.slot_freed.connect(self.schedule.offer_slot)  # a no-show marked on Today
        self.pages.addWidget(self.schedule)
        self._add_nav("Schedule", "calendar", self.schedule, SCHEDULE_KEYS, position=2)
        from ui.schedule.calendar_feed import CalendarFeed

        self.calendar_feed = CalendarFeed(db, self)
        self.calendar_feed.status.connect(self.show_status)
        from ui.schedule.reminder_sender import ReminderSender

        self.reminder_sender = ReminderSender(db, self)
        self.reminder_sender.status.connect(self.show_status)
        self.billing = BillingArea(db)
        self.pages.addWidget(self.billing)
        self._add_nav("Billing", "receipt", self.billing, BILLING_KEYS, position=3)
        # Today once the practice has clients (UI.md); a new practice starts on its client list.
        home = self.today if self.clients.model.rowCount() else self.clients
        self._nav_button(home).setChecked(True)
        self.pages.setCurrentWidget(home)
        for action in self._needs_db:
            action.setEnabled(True)
        self._offer_by_role(db)
        self._attach_backups(db)
        from practice.store.keyfile import is_protected

        if is_protected(self.data_dir):
            self.start_locking()
        # The reminder loads the visits layer: let the client list paint first (and not at all
        # if the window is gone by then).
        if staff.sees_clinical(db):  # the front desk writes no notes
            QTimer.singleShot(250, self, lambda: self._attach_visit_reminder(db))
        QTimer.singleShot(RECORDS_CHECK_AFTER_MS, self, lambda: self._check_records(db))

    def _offer_by_role(self, db: Database) -> None:
        """Hide what the person signed in may not do (the front desk: anything clinical), so no
        menu leads to a screen the server would refuse. The title says who is signed in."""
        from practice.store import staff

        allowed = {
            "clinical": staff.sees_clinical(db),
            "everything": staff.reads_everything(db),
        }
        for action, needs in self._role_actions:
            action.setVisible(allowed[needs])
            action.setEnabled(allowed[needs])  # and its keys do nothing
        self.visit_menu.menuAction().setVisible(allowed["clinical"])
        user = db.clinic_user
        if user is not None:
            who = f"{user.display_name or user.login} ({staff.ROLE_NAMES[user.role]})"
            self.setWindowTitle(f"Fascia — {who}")
            signed_in = QLabel(f"Signed in as {who}")
            signed_in.setProperty("muted", True)
            self.statusBar().addPermanentWidget(signed_in)

    def _check_records(self, db: Database) -> None:
        from ui.records.check import check_at_open

        if self.db is db and not (self.locker is not None and self.locker.locked):
            check_at_open(self, db)

    def _attach_backups(self, db: Database) -> None:
        from ui.backup.controller import BackupController

        self.backups = BackupController(db, self)
        self.backups.status.connect(self.show_status)
        self.backups.banner.settings_clicked.connect(self._on_profile)
        holder = QWidget()
        margins = QVBoxLayout(holder)
        margins.setContentsMargins(16, 12, 16, 0)
        margins.addWidget(self.backups.banner)
        self.backups.banner.visibility_changed.connect(holder.setVisible)
        holder.hide()
        self.work_area.insertWidget(0, holder)
        self.statusBar().addPermanentWidget(self.backups.label)

    def _attach_visit_reminder(self, db: Database) -> None:
        from ui.visits.reminders import UnsignedNotesButton

        self.unsigned_notes = UnsignedNotesButton()
        self.unsigned_notes.clicked.connect(self._on_unsigned_notes)
        self.statusBar().addPermanentWidget(self.unsigned_notes)
        self.unsigned_notes.refresh(db)
        runner().changed.connect(self._on_changed)  # a note saved, signed or discarded

    def _add_nav(
        self, text: str, icon: str, page: QWidget, shortcut: str, *, position: int | None = None
    ) -> None:
        button = QToolButton()
        button.setText(text)
        button.setIcon(icons.icon(icon))
        button.setIconSize(QSize(22, 22))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setCheckable(True)
        button.setChecked(True)
        button.setToolTip(f"{text} ({shortcut})")
        button.setShortcut(QKeySequence(shortcut))
        button.setAccessibleName(text)
        button.setSizePolicy(
            button.sizePolicy().horizontalPolicy(), button.sizePolicy().verticalPolicy()
        )
        button.setMinimumWidth(80)
        button.clicked.connect(lambda: self.pages.setCurrentWidget(page))
        button.setProperty("page", page)
        self.nav.addButton(button)
        self._nav_pages[page] = button
        self.rail.insertWidget(self.rail.count() - 1 if position is None else position, button)

    def _nav_button(self, page: QWidget) -> QToolButton:
        return self._nav_pages[page]

    def _on_pages_current_changed(self, _index: int) -> None:
        button = self._nav_pages.get(self.pages.currentWidget())
        if button is not None:
            button.setChecked(True)

    def _action(
        self,
        menu,
        text: str,
        slot,
        shortcut=None,
        icon: str | None = None,  # type: ignore[no-untyped-def]
        *,
        needs_db: bool = True,
        needs: str = "",
    ) -> QAction:
        """`needs`: "clinical" for an action on clinical records, "everything" for one that
        reads every record (a backup; shown only to those the server lets read them:
        `_offer_by_role`)."""
        action = QAction(text, self)
        if needs_db:
            self._needs_db.append(action)
        if needs:
            self._role_actions.append((action, needs))
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(keys) for keys in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:  # drawn when its menu first opens (34 icons drawn at start cost ~50 ms)
            self._menu_icons[action] = icon
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _dress(self, menu: QMenu) -> None:
        """Give a menu's actions their icons, the first time it opens."""
        for action in menu.actions():
            name = self._menu_icons.pop(action, None)
            if name is not None:
                action.setIcon(icons.icon(name))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menu_icons: dict[QAction, str] = {}
        file = bar.addMenu("&File")
        self._action(
            file, "&New client", self._on_new_client, QKeySequence.StandardKey.New, "user-plus"
        )
        self._action(file, "&Go to client…", self._on_quick_switch, "Ctrl+K", "search")
        file.addSeparator()
        self._action(file, "&Print…", self._on_print, QKeySequence.StandardKey.Print, "printer")
        self._action(
            file,
            "P&hysician summary…",
            self._on_physician_summary,
            None,
            "file-text",
            needs="clinical",
        )
        file.addSeparator()
        self._action(
            file, "&Back up now", self._on_backup, "Ctrl+Shift+B", "archive", needs="everything"
        )
        self._action(file, "&Restore from backup…", self._on_restore, None, "archive-restore")
        file.addSeparator()
        self._action(
            file, "&Export practice…", self._on_export, None, "file-archive", needs="everything"
        )
        self._action(
            file, "&Import clients or visits…", self._on_import, None, "import", needs="clinical"
        )
        self._action(
            file, "Explore the &demo practice…", self.open_demo_requested.emit, needs_db=False
        )
        file.addSeparator()
        self._action(file, "&Lock now", self._on_lock, "Ctrl+L", "lock")
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit, needs_db=False)

        edit = bar.addMenu("&Edit")
        self._action(
            edit,
            "&Save",
            self._on_save,
            QKeySequence.StandardKey.Save,
            "save",
        )
        self._action(edit, "&Find client", self._on_find, QKeySequence.StandardKey.Find, "search")
        edit.addSeparator()
        self._action(
            edit,
            "Practice &profile…",
            self._on_profile,
            _preferences_keys(),
            "settings",
        )
        self._action(edit, "&Billing settings…", self._on_billing_settings, None, "receipt")
        self._action(edit, "Sc&hedule settings…", self._on_schedule_settings, None, "calendar")
        self._action(edit, "&Consent texts…", self._on_consent_texts)
        self._action(edit, "&Technique library…", self._on_technique_library, None, "hand")
        self._action(edit, "&Audit trail…", self._on_audit, "Ctrl+Shift+A", "history")
        self._action(edit, "Securit&y…", self._on_security, None, "lock")

        visit = self.visit_menu = bar.addMenu("V&isit")
        self._action(
            visit, "&New visit", self._on_new_visit, "Ctrl+Shift+N", "plus", needs="clinical"
        )
        self._action(
            visit,
            "New &plan",
            self._on_new_plan,
            "Ctrl+Shift+P",
            "clipboard-list",
            needs="clinical",
        )
        self._action(
            visit,
            "&Unsigned notes…",
            self._on_unsigned_notes,
            None,
            "file-signature",
            needs="clinical",
        )

        go = bar.addMenu("&View")
        self._action(go, "&Today", lambda: self._nav_button(self.today).click(), None, "house")
        self._action(
            go, "&Schedule", lambda: self._nav_button(self.schedule).click(), None, "calendar"
        )
        # L and R on the Schedule page; no window-wide keys here (they would clash with them).
        self._action(
            go, "&Waitlist…", lambda: self._on_schedule_tool("waitlist"), None, "hourglass"
        )
        self._action(go, "R&eminders…", lambda: self._on_schedule_tool("reminders"), None, "bell")
        self._action(
            go, "&Clients", lambda: self.pages.setCurrentWidget(self.clients), None, "users"
        )
        self._action(go, "&Billing", self._on_billing, None, "receipt")
        self._action(go, "Billing &reports", self._on_billing_reports, None, "chart-column")

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu,
            "&Keyboard shortcuts",
            self._on_shortcuts,
            QKeySequence.StandardKey.HelpContents,
            "keyboard",
        )
        self._action(
            help_menu, "&Trigger point catalogue…", self._on_trigger_points, needs_db=False
        )
        self._action(help_menu, "&Verify records…", self._on_verify_records, needs="everything")
        self._action(help_menu, "&About Fascia", self._on_about)
        for menu in (file, edit, visit, go, help_menu):
            menu.aboutToShow.connect(partial(self._dress, menu))

    # ------------------------------------------------------------------ actions

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(f"{message} · {QTime.currentTime().toString('HH:mm')}", 6000)

    def _on_said(self, window: QWidget, message: str) -> None:
        if window is self:
            self.show_status(message)

    def _on_changed(self, changes: Changes, _origin: object) -> None:
        if self.db is not None and changes.touches({"visit"}):
            self.unsigned_notes.refresh(self.db)

    def _on_new_client(self) -> None:
        self.pages.setCurrentWidget(self.clients)
        self.clients.new_client()

    def _on_find(self) -> None:
        self.pages.setCurrentWidget(self.clients)
        self.clients.focus_search()

    def _on_quick_switch(self) -> None:
        from ui.quick_switcher import QuickSwitcher

        switcher = QuickSwitcher(self.db, self)
        if switcher.exec() and switcher.chosen is not None:
            self.pages.setCurrentWidget(self.clients)
            self.clients.open_client(switcher.chosen)

    def _on_profile(self) -> None:
        from ui.practice_profile import PracticeProfileDialog

        if PracticeProfileDialog(self.db, self).exec():
            self.show_status("Practice profile saved")

    def _on_schedule_tool(self, tool: str) -> None:
        self._nav_button(self.schedule).click()
        if tool == "waitlist":
            self.schedule.show_waitlist()
        else:
            self.schedule.show_reminders()

    def _on_schedule_settings(self) -> None:
        self.schedule.show_settings()

    def _on_consent_texts(self) -> None:
        from ui.clients.consent_tab import ConsentTextsDialog

        ConsentTextsDialog(self.db, self).exec()

    def _on_new_visit(self) -> None:
        if self.clients.open_client_id() is None:
            self.show_status("Open a client first; then start the new visit")
            return
        self.pages.setCurrentWidget(self.clients)
        self.clients.workspace.new_visit()

    def _on_new_plan(self) -> None:
        if self.clients.open_client_id() is None:
            self.show_status("Open a client first; then start the new plan")
            return
        self.pages.setCurrentWidget(self.clients)
        self.clients.workspace.new_plan()

    def _on_technique_library(self) -> None:
        from ui.plans.library import TechniqueLibraryDialog

        dialog = TechniqueLibraryDialog(self.db, self)
        dialog.exec()
        dialog.deleteLater()

    def _on_unsigned_notes(self) -> None:
        from ui.visits.reminders import StaleDraftsDialog

        dialog = StaleDraftsDialog(self.db, self)
        chosen = dialog.chosen if dialog.exec() else None
        dialog.deleteLater()
        if chosen is None:
            return
        self.pages.setCurrentWidget(self.clients)
        self.clients.open_client(chosen.client_id)
        if self.clients.open_client_id() == chosen.client_id:
            self.clients.workspace.open_visit(chosen.visit_id)

    def _on_today_record(self, kind, item) -> None:  # type: ignore[no-untyped-def]
        from ui.today.routes import open_record

        self._nav_button(self.clients).click()
        open_record(self.clients, kind, item)

    def _on_schedule_day(self, day) -> None:  # type: ignore[no-untyped-def]
        self._nav_button(self.schedule).click()
        self.schedule.go_to(day)

    def _on_visit_started(self, start) -> None:  # type: ignore[no-untyped-def]
        """An appointment became its visit note: open it in the client's record."""
        client_id = start.appointment.client_id
        self._nav_button(self.clients).click()
        self.clients.open_client(client_id)
        if self.clients.open_client_id() == client_id:
            self.clients.workspace.open_visit(start.visit.visit.id)

    def _on_audit(self) -> None:
        from ui.audit.viewer import AuditViewer

        client_id = self.clients.open_client_id() if self.clients else None
        AuditViewer(self.db, self, client_id=client_id).exec()

    def _on_save(self) -> None:
        """Ctrl+S: what is open is saved on the op runner, as its Save button does."""
        if self.billing is not None and self.pages.currentWidget() is self.billing:
            self.billing.save_soon()
        elif self.clients is not None:
            self.clients.save_soon()

    def save_open_work(self) -> None:
        """Save what is open now, before the window locks."""
        runner().wait_idle()  # a save on its way lands first
        if self.billing is not None and self.pages.currentWidget() is self.billing:
            self.billing.save()
        elif self.clients is not None:
            self.clients.save()

    def start_locking(self) -> None:
        """A practice protected by a passphrase locks when idle and with Ctrl+L."""
        from ui.lock.controller import LockController

        if self.locker is None:
            self.locker = LockController(self, self.data_dir)

    def _on_lock(self) -> None:
        if self.locker is not None:
            self.locker.lock()
        else:
            self.show_status("Protect the practice with a passphrase first (Edit > Security).")

    def _on_security(self) -> None:
        from ui.lock.settings import SecurityDialog

        if self.db is not None:
            SecurityDialog(self.db, self, on_protected=self.start_locking).open()

    def prepare_billing(self) -> None:
        """Build the Billing page while the window is idle (after the client workspace), so the
        first visit to Billing only reads its invoices; then an invoice window."""
        usable = self.db is not None and not self.db.replacing
        if usable and self.billing is not None and shiboken6.isValid(self.billing):
            _ = self.billing.page
            QTimer.singleShot(INVOICE_WINDOW_AFTER_MS, self, self._prepare_invoice_window)

    def _prepare_invoice_window(self) -> None:
        """An invoice window, built while idle: billing a visit opens it without building."""
        if self.db is not None and not self.db.replacing and shiboken6.isValid(self):
            from ui.billing import invoice_dialog

            invoice_dialog.prepare(self.db, self)

    def _on_billing(self) -> None:
        button = next(b for b in self.nav.buttons() if b.accessibleName() == "Billing")
        button.click()

    def _on_billing_reports(self) -> None:
        self._on_billing()
        self.billing.page.show_reports()

    def _on_billing_settings(self) -> None:
        self.billing.open_settings()

    def _on_print(self) -> None:
        if self.pages.currentWidget() is self.billing and self.billing.print_current():
            return
        if self.clients is None or self.clients.open_client_id() is None:
            self.show_status("Open a client first; then print from its tab")
            return
        self.pages.setCurrentWidget(self.clients)
        self.clients.workspace.print_current()

    def _on_physician_summary(self) -> None:
        if self.clients is None or self.clients.open_client_id() is None:
            self.show_status("Open a client first; then write the physician summary")
            return
        self.pages.setCurrentWidget(self.clients)
        self.clients.workspace.new_summary()

    def _on_backup(self) -> None:
        self.backups.back_up_now()

    def _on_export(self) -> None:
        from ui.exchange.export_dialog import ExportDialog

        ExportDialog(self.db, self).exec()

    def _on_import(self) -> None:
        from ui.exchange.import_dialog import ImportDialog

        ImportDialog(self.db, self).exec()

    def _on_restore(self) -> None:
        from ui.backup.restore_dialog import RestoreDialog

        if self.db is not None and self.db.on_server:
            QMessageBox.information(
                self,
                "Restore from backup",
                "A clinic's backup is restored by the server's administrator into a new, empty "
                "database, never over the practice in use:\n\n"
                "fascia-cli --server postgresql://ADMIN@HOST/NEWDATABASE restore FILE\n\n"
                "Then everyone opens the new database.",
            )
            return

        dialog = RestoreDialog(self.data_dir, self)
        chosen = dialog.chosen if dialog.exec() else None
        dialog.deleteLater()
        if chosen is not None:
            self.restore_requested.emit(chosen)

    def _on_shortcuts(self) -> None:
        if self.clients is not None and self.db is not None:
            # The workspace and its tabs are built on first use: build them all now so every
            # tab's keys are listed too.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.clients.workspace.build_all_tabs()
            finally:
                QApplication.restoreOverrideCursor()
        from ui.widgets.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.exec()
        dialog.deleteLater()

    def _on_trigger_points(self) -> None:
        from ui.plans.catalogue import TriggerPointCatalogueDialog

        TriggerPointCatalogueDialog(self).exec()

    def _on_verify_records(self) -> None:
        from ui.records.check import verify_now

        if self.db is not None:
            verify_now(self, self.db)

    def _on_about(self) -> None:
        QMessageBox.about(
            self,
            "About Fascia",
            f"Fascia {__version__}\nPractice manager for medical massage therapists.\n\n"
            f"Practice folder: {self.data_dir}\nIcons: Lucide (ISC licence).",
        )

    # ------------------------------------------------------------------ window state

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main/state")
        if state is not None:
            self.restoreState(state)

    def confirm_close(self) -> bool:
        return (self.clients is None or self.clients.confirm_leave()) and (
            self.billing is None or self.billing.confirm_leave()
        )

    def close_without_asking(self, *, back_up: bool = True) -> None:
        """Close (after the closing backup, unless `back_up` is False) and close the database."""
        self._closing_without_asking = True
        self._backed_up_for_close = not back_up
        self._close_database_after = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_without_asking and not self.confirm_close():
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        if self.clients is not None:
            self.clients.save_state()
        if self.backups is not None and not self._backed_up_for_close:
            # Saves asked for are queued before the backup, so the last one is in it.
            event.ignore()
            self._closing_without_asking = True
            self._backed_up_for_close = True
            self.backups.back_up_before_close(then=self.close)
            return
        if self.backups is not None:
            self.backups.stop()
        if self.clients is not None:
            self.clients.directory.close()
        event.accept()
        if self._close_database_after and self.db is not None:
            self.db.close()
