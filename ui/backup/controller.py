"""Backing up the open practice from the app: automatically, on request and before closing.

Every backup runs off the GUI thread through the op runner: the periodic one as a query (it
only reads, so saves go on meanwhile), the closing one as a write, queued after every save
that was asked for, so the last save is in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from practice.changes import Changes
from practice.errors import BackupError
from practice.progress import Progress
from practice.store import Database
from practice.store.backups.auto import AutoBackup
from practice.store.backups.catalog import backups_dir
from practice.store.backups.overview import BackupOverview, backup_overview
from practice.store.backups.run import BackupOutcome
from practice.store.backups.settings import get_backup_settings
from ui.backup.text import status_text, when_text
from ui.backup.widgets import BackupBanner, BackupStatusLabel
from ui.ops import QueryOp, WriteOp, runner

CHECK_EVERY_MS = 60_000  # how often to ask whether a backup is due (the interval is minutes)
BACKED_UP = Changes.of("backup")


class BackupController(QObject):
    """Owns the automatic backups of one window's practice and shows how they stand."""

    status = Signal(str)  # a one-off message for the status bar

    def __init__(self, db: Database, window: QWidget) -> None:
        super().__init__(window)
        self.db = db
        self.window = window
        self.auto: AutoBackup | None = None
        self.label = BackupStatusLabel()
        self.banner = BackupBanner()
        self.banner.back_up_clicked.connect(self.back_up_now)
        self.overview: BackupOverview | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        QueryOp(window, lambda: AutoBackup(db), self._on_auto_ready).run()

    # ------------------------------------------------------------------ when to back up

    def _on_auto_ready(self, auto: AutoBackup) -> None:
        self.auto = auto
        if auto.refusal:  # a clinic login that makes no backups: the owner's Fascia does
            self.label.show_state("Backed up by the owner", auto.refusal)
            return
        self.timer.start()
        self.refresh()

    def _on_timer_timeout(self) -> None:
        if self.auto is None or self.running:
            return
        self.running = True
        auto = self.auto
        QueryOp(self.window, lambda: _quietly(auto.tick), self._on_backed_up).after(
            self._on_finished
        ).run()

    def back_up_now(self) -> None:
        """File > Back up now: a verified backup whatever changed, with progress."""
        if self.running:
            self.status.emit("A backup is already under way")
            return
        self.running = True
        self.label.show_state("Backing up…")
        auto, db = self.auto, self.db

        def work(progress: Progress) -> BackupOutcome:
            return (auto or AutoBackup(db)).now(progress)

        QueryOp(self.window, work, self._on_backed_up).after(self._on_finished).with_progress(
            "Backing up and checking the copy…"
        ).run()

    def back_up_before_close(self, then: Callable[[], None]) -> None:
        """The closing backup (if anything changed), then `then`, whatever happened."""
        self.timer.stop()
        auto, db = self.auto, self.db

        def work(progress: Progress) -> BackupOutcome | BackupError | None:
            return _quietly(lambda: (auto or AutoBackup(db)).on_close(progress))

        WriteOp(self.window, work).after(then).with_progress("Backing up before closing…").run()

    def stop(self) -> None:
        self.timer.stop()

    # ------------------------------------------------------------------ what to show

    def _on_backed_up(self, outcome: BackupOutcome | BackupError | None) -> None:
        if isinstance(outcome, BackupOutcome):
            runner().announce(BACKED_UP)
            second = outcome.second
            extra = f"; not copied to {second.folder}" if second and second.path is None else ""
            self.status.emit(f"Backed up and verified{extra}")

    def _on_finished(self) -> None:
        """After every attempt, whether it worked or not: show how backing up now stands."""
        self.running = False
        self.refresh()

    def refresh(self) -> None:
        """Read how backing up stands (off the GUI thread) and show it."""
        if self.auto is not None and self.auto.refusal:
            return
        db = self.db

        def work() -> BackupOverview:
            settings = get_backup_settings(db) if db.on_server else None
            return backup_overview(db.data_dir, settings)

        QueryOp(self.window, work, self._show).run(key="backups")

    def _show(self, overview: BackupOverview) -> None:
        self.overview = overview
        status = overview.status
        newest = overview.newest
        tips = [f"Backups are kept in {backups_dir(self.db.data_dir)}"]
        if newest is not None:
            tips.insert(0, f"{newest.path.name}: verified {when_text(newest.made_at)}")
        if overview.settings.second_folder:
            reached = status.second_reached_at
            tips.append(
                f"Second copy: {overview.settings.second_folder}"
                + (f", last reached {when_text(reached)}" if reached else ", not reached yet")
            )
        self.label.show_state(status_text(newest, failed=status.last_failed), "\n".join(tips))
        self.banner.show_warning(overview.warning(datetime.now().astimezone()))


def _quietly(work: Callable[[], BackupOutcome | None]) -> BackupOutcome | BackupError | None:
    """Automatic backups never interrupt with a message: a failure is in the banner instead."""
    try:
        return work()
    except BackupError as error:
        return error
