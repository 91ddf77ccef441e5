"""The Backups section of the practice profile: a second destination and how often."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.errors import ValidationError
from practice.store import Database
from practice.store.backups.settings import (
    EVERY_MINUTES,
    PATH_LIMIT,
    BackupSettings,
    get_backup_settings,
    save_backup_settings,
)
from ui.ops import QueryOp, WriteOp
from ui.widgets.forms import FormGrid, line, muted, section_title


class BackupSettingsSection(QWidget):
    """Loads the settings off the GUI thread; `save` writes them through the op runner."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(section_title("Backups"))
        where = db.data_dir / "backups"
        made = (
            f"The owner's Fascia backs up the clinic's server (pg_dump, each dump checked by "
            f"restoring it into a scratch database) to {where} on this computer"
            if db.on_server
            else f"Fascia keeps verified backups in {where}"
        )
        layout.addWidget(
            muted(
                f"{made}, made when it closes and while you work. A second copy on a USB drive "
                "or a synced folder survives losing this computer."
            )
        )
        self.grid = FormGrid()
        self.folder = line("No second copy", PATH_LIMIT)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(8)
        row_layout.addWidget(self.folder, 1)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._on_choose_clicked)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.folder.clear)
        row_layout.addWidget(choose)
        row_layout.addWidget(clear)
        self.grid.add("second_folder", "Second &copy to", row)
        self.grid.fields["second_folder"] = self.folder  # errors show under the folder row
        self.folder.setAccessibleName("Second copy to")
        every = QWidget()
        every_layout = QHBoxLayout(every)
        every_layout.setContentsMargins(0, 0, 0, 0)
        self.every = QSpinBox()
        self.every.setRange(*EVERY_MINUTES)
        self.every.setValue(30)
        self.every.setSuffix(" minutes")
        self.every.setAccessibleName("Back up every")
        every_layout.addWidget(self.every)
        every_layout.addWidget(QLabel("while you work, and whenever Fascia closes"), 1)
        self.grid.add("every_minutes", "Back up &every", every)
        self.grid.fields["every_minutes"] = self.every
        layout.addWidget(self.grid)
        QueryOp(self, lambda: get_backup_settings(db), self.load).run()

    def load(self, settings: BackupSettings) -> None:
        self.folder.setText(settings.second_folder)
        self.every.setValue(settings.every_minutes)

    def save(self, then: Callable[[], None]) -> None:
        """Store the settings; `then` once stored, errors next to the fields otherwise."""
        db, folder, every = self.db, self.folder.text(), self.every.value()
        WriteOp(
            self,
            lambda: save_backup_settings(db, folder, every),
            lambda _settings: self._saved(then),
            changes=Changes.of("settings"),
        ).on_invalid(self._on_invalid).run()

    def _saved(self, then: Callable[[], None]) -> None:
        self.grid.clear_errors()
        then()

    def _on_invalid(self, error: ValidationError) -> None:
        self.grid.show_errors(error.errors)

    def _on_choose_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Second copy of each backup", self.folder.text()
        )
        if folder:
            self.folder.setText(folder)
