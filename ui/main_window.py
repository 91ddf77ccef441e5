"""The main window: navigation rail, work area, menus with every shortcut, quiet status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
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

MIN_SIZE = QSize(1100, 700)
BILLING_KEYS = "Ctrl+3"  # the Billing area's rail button (Ctrl+2 is kept for a schedule)


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
        self._closing_without_asking = False
        self._backed_up_for_close = False
        self._close_database_after = False
        self.setWindowTitle("Fascia — demo practice" if demo else "Fascia")
        self.setMinimumSize(MIN_SIZE)
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1440, screen.width()), min(900, screen.height()))

        self.pages = QStackedWidget()
        self.loading = QLabel("Opening your practice…")
        self.loading.setProperty("role", "empty")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.loading)

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
        self.nav = QButtonGroup(self)
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
        self._add_nav("Clients", "users", self.clients, "Ctrl+1")
        self.pages.setCurrentWidget(self.clients)

    def attach(self, db: Database) -> None:
        """Build the areas that need the database, once it is open."""
        if self.clients is None:
            from practice.clients.directory import ClientDirectory

            self.show_clients(ClientDirectory(db.path))
        assert self.clients is not None
        self.db = db
        self.clients.attach_db(db)
        from ui.billing.area import BillingArea

        self.billing = BillingArea(db)
        self.pages.addWidget(self.billing)
        self._add_nav("Billing", "receipt", self.billing, BILLING_KEYS)
        self.nav.buttons()[0].setChecked(True)  # the Clients area is shown first
        self.pages.setCurrentWidget(self.clients)
        for action in self._needs_db:
            action.setEnabled(True)
        self._attach_backups(db)
        # The reminder loads the visits layer: let the client list paint first (and not at all
        # if the window is gone by then).
        QTimer.singleShot(250, self, lambda: self._attach_visit_reminder(db))

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

    def _add_nav(self, text: str, icon: str, page: QWidget, shortcut: str) -> None:
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
        self.nav.addButton(button)
        self.rail.insertWidget(self.rail.count() - 1, button)

    def _action(
        self,
        menu,
        text: str,
        slot,
        shortcut=None,
        icon: str | None = None,  # type: ignore[no-untyped-def]
        *,
        needs_db: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        if needs_db:
            self._needs_db.append(action)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon:
            action.setIcon(icons.icon(icon))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(
            file, "&New client", self._on_new_client, QKeySequence.StandardKey.New, "user-plus"
        )
        self._action(file, "&Go to client…", self._on_quick_switch, "Ctrl+K", "search")
        file.addSeparator()
        self._action(file, "&Print…", self._on_print, QKeySequence.StandardKey.Print, "printer")
        self._action(file, "P&hysician summary…", self._on_physician_summary, None, "file-text")
        file.addSeparator()
        self._action(file, "&Back up now", self._on_backup, "Ctrl+Shift+B", "archive")
        self._action(file, "&Restore from backup…", self._on_restore, None, "archive-restore")
        self._action(
            file, "Explore the &demo practice…", self.open_demo_requested.emit, needs_db=False
        )
        file.addSeparator()
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
            QKeySequence.StandardKey.Preferences,
            "settings",
        )
        self._action(edit, "&Billing settings…", self._on_billing_settings, None, "receipt")
        self._action(edit, "&Consent texts…", self._on_consent_texts)
        self._action(edit, "&Technique library…", self._on_technique_library, None, "hand")
        self._action(edit, "&Audit trail…", self._on_audit, "Ctrl+Shift+A", "history")

        visit = bar.addMenu("V&isit")
        self._action(visit, "&New visit", self._on_new_visit, "Ctrl+Shift+N", "plus")
        self._action(visit, "New &plan", self._on_new_plan, "Ctrl+Shift+P", "clipboard-list")
        self._action(visit, "&Unsigned notes…", self._on_unsigned_notes, None, "file-signature")

        go = bar.addMenu("&View")
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
        self._action(help_menu, "&About Fascia", self._on_about)

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

    def _on_audit(self) -> None:
        from ui.audit.viewer import AuditViewer

        client_id = self.clients.open_client_id() if self.clients else None
        AuditViewer(self.db, self, client_id=client_id).exec()

    def _on_save(self) -> None:
        if self.billing is not None and self.pages.currentWidget() is self.billing:
            self.billing.save()
        elif self.clients is not None:
            self.clients.save()

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

    def _on_restore(self) -> None:
        from ui.backup.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.data_dir, self)
        chosen = dialog.chosen if dialog.exec() else None
        dialog.deleteLater()
        if chosen is not None:
            self.restore_requested.emit(chosen)

    def _on_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def _on_trigger_points(self) -> None:
        from ui.plans.catalogue import TriggerPointCatalogueDialog

        TriggerPointCatalogueDialog(self).exec()

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


class ShortcutsDialog(QDialog):
    """Lists every menu action with a shortcut, read from the menus so it is never out of date."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setMinimumSize(480, 420)
        rows = []
        for menu_action in window.menuBar().actions():
            menu = menu_action.menu()
            for action in menu.actions() if menu else []:
                if not action.shortcut().isEmpty():
                    rows.append(
                        (
                            action.text().replace("&", "").rstrip("…"),
                            action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                        )
                    )
        rows += [
            ("Clients area", "Ctrl+1"),
            ("Billing area", BILLING_KEYS),
            ("Hide or show the client list", "Ctrl+\\"),
            ("Possible sources beside the body map", "Ctrl+Shift+S"),
            ("Open the highlighted result", "Enter"),
            ("Close a dialog", "Esc"),
        ]
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (name, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(name))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, max(table.columnWidth(0) + 24, 260))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(table)
