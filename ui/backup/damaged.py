"""The practice file cannot be opened: say which file and why, and offer the newest backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from practice.dates import format_moment
from practice.errors import DamagedDatabaseError
from practice.progress import Progress
from practice.store.backups.catalog import BackupInfo, describe
from practice.store.backups.restore import Restored, restore_backup
from ui import icons, theme
from ui.ops import WriteOp
from ui.widgets.forms import muted


class DamagedFileDialog(QDialog):
    """ "Restore newest backup" runs the restore (off the GUI thread) and accepts; "Quit"
    rejects. The damaged file is set aside under a dated name by the restore, never deleted."""

    def __init__(
        self, error: DamagedDatabaseError, data_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.error = error
        self.data_dir = data_dir
        self.restored: Restored | None = None
        self.newest: BackupInfo | None = (
            describe(Path(error.newest_backup)) if error.newest_backup else None
        )
        self.setWindowTitle("Fascia cannot open the practice")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(16)
        icon = QLabel()
        icon.setPixmap(icons.pixmap("octagon-alert", 32, theme.colours().danger))
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"The practice file cannot be opened: {error.reason}.")
        title.setWordWrap(True)
        title.setProperty("role", "title")
        head.addWidget(title, 1)
        layout.addLayout(head)
        self.file_label = muted(f"File: {error.path}")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.file_label)
        self.offer = QLabel(self._offer_text())
        self.offer.setWordWrap(True)
        self.offer.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.offer)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            "Restore newest backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setIcon(icons.icon("archive-restore", theme.colours().accent_text))
        self.restore_button.setProperty("primary", True)
        self.restore_button.setVisible(self.newest is not None)
        self.quit_button = self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_restore_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.restore_button if self.newest else self.quit_button).setFocus()

    def _offer_text(self) -> str:
        if self.newest is None:
            return (
                f"No verified backup was found in {self.data_dir / 'backups'}. The file has not "
                "been changed. If you keep a copy elsewhere (a USB drive), restore it with "
                "fascia-cli restore PATH; Fascia will not start a new practice over this file."
            )
        return (
            f"The newest verified backup was made on {format_moment(self.newest.made_at)} and "
            f"holds {self.newest.contents}. Restoring it keeps the damaged file beside it "
            f"under a dated name ({self.error.path.name}.damaged-…), never deletes it, and puts "
            "the backup in its place. Anything recorded after the backup was made is not in it."
        )

    def _on_restore_clicked(self) -> None:
        if self.newest is None:
            return
        source = self.newest.path
        data_dir = self.data_dir
        self.restore_button.setEnabled(False)
        self.quit_button.setEnabled(False)

        def work(progress: Progress) -> Restored:
            return restore_backup(data_dir, source, progress)

        WriteOp(self, work, self._on_restored).after(self._on_finished).with_progress(
            "Restoring the newest backup…"
        ).run()

    def _on_restored(self, restored: Restored) -> None:
        self.restored = restored
        self.accept()

    def _on_finished(self) -> None:
        self.restore_button.setEnabled(True)
        self.quit_button.setEnabled(True)
