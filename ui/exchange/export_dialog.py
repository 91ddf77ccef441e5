"""File > Export practice… and a client's "Export records…": where to, then the archive made
off the GUI thread with progress and cancel, and what was written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.errors import ValidationError
from practice.exchange import export
from practice.progress import Progress
from practice.store import Database
from ui import icons
from ui.ops import WriteOp
from ui.widgets.forms import FormGrid, line, muted, section_title

PRACTICE_TEXT = (
    "Everything in the practice goes into one zip file you can open without Fascia: a CSV "
    "file per kind of record (clients, visits and notes, invoices, payments, the audit "
    "trail …), every body chart as JSON, every issued document as the exact PDF handed over, "
    "a README that explains every column, and a manifest with a SHA-256 checksum of each "
    "file. The archive is checked before it gets its name."
)
CLIENT_TEXT = (
    "For {name}'s request for their records: their documents as PDF (the intake, the body "
    "chart history, every signed visit note, every issued invoice) and all of their records "
    "as machine-readable files (CSV and JSON, explained in a README inside). The export is "
    "recorded in the audit trail."
)


class ExportDialog(QDialog):
    """Export the whole practice (`client_id` None) or one client's records to a zip file."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        client_id: int | None = None,
        client_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.client_id = client_id
        self.exported: export.Exported | None = None
        whose = "Fascia export" if client_id is None else f"Records of {client_name}"
        self.setWindowTitle("Export practice" if client_id is None else "Export client records")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(section_title(self.windowTitle()))
        text = PRACTICE_TEXT if client_id is None else CLIENT_TEXT.format(name=client_name)
        layout.addWidget(muted(text))
        self.form = FormGrid()
        self.path = line(max_length=4000)
        self.path.setText(str(_default_folder() / f"{whose} {date.today().isoformat()}.zip"))
        choose = QPushButton("Choose…")
        choose.setIcon(icons.icon("folder-open"))
        choose.setAutoDefault(False)  # Enter exports; it never opens the file chooser
        choose.clicked.connect(self._on_choose_clicked)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path, 1)
        row_layout.addWidget(choose)
        self.form.add("out", "Save to", row)
        self.form.fields["out"] = self.path
        layout.addWidget(self.form)
        self.result = muted("")
        self.result.hide()
        layout.addWidget(self.result)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = self.buttons.addButton(
            "Show in folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.setIcon(icons.icon("folder-open"))
        self.show_button.hide()
        self.show_button.clicked.connect(self._on_show_clicked)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setIcon(icons.icon("file-archive"))
        self.export_button.setProperty("primary", True)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_choose_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), "Zip archives (*.zip)"
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".zip") else chosen + ".zip")

    def _on_export_clicked(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.form.show_errors({"out": "Choose the file to export to."})
            return
        self.form.clear_errors()
        out = Path(text).expanduser()
        db, client_id = self.db, self.client_id

        def work(progress: Progress) -> export.Exported:
            if client_id is None:
                return export.export_practice(db, out, progress)
            return export.export_client(db, client_id, out, progress)

        self.export_button.setEnabled(False)
        WriteOp(self, work, self._on_exported, changes=lambda made: made.changes).on_invalid(
            self._on_invalid
        ).after(lambda: self.export_button.setEnabled(True)).with_progress(
            "Exporting…", cancellable=True
        ).run()

    def _on_invalid(self, error: ValidationError) -> None:
        self.form.show_errors({"out": " ".join(error.errors.values())})

    def _on_exported(self, made: export.Exported) -> None:
        self.exported = made
        rows = sum(made.counts.values())
        self.result.setText(
            f"Exported {rows:,} records and {made.files:,} files to {made.path} "
            f"({made.size / 1_000_000:.1f} MB). Every file was read back and matches its "
            "checksum."
        )
        self.result.setProperty("muted", False)
        self.result.show()
        self.show_button.show()
        self.export_button.setText("Export again")
        self.adjustSize()  # room for the result, whatever the wrapped text needs

    def _on_show_clicked(self) -> None:
        if self.exported is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported.path.parent)))


def _default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents else Path.home()
    return folder if folder.is_dir() else Path.home()
