"""File > Import clients or visits…: a CSV from another tool, its columns mapped to the client
profile (or to past visits of clients on file), every row checked and shown before anything is
saved, then saved at once (or not at all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.errors import ValidationError
from practice.exchange import importing, visit_import
from practice.exchange.formats import FIELDS_OF, FORMATS, Target
from practice.exchange.importing import Preview, RowOutcome, RowState, SourceFile, clients_text
from practice.exchange.visit_import import ERROR_LABELS, VisitOutcome, VisitPreview, visits_text
from practice.progress import Progress
from practice.store import Database
from ui import icons, theme
from ui.ops import QueryOp, WriteOp
from ui.widgets import dates
from ui.widgets.forms import ErrorLabel, line, muted, section_title
from ui.widgets.tables import Index, RowsModel

LEAVE_OUT = "(leave out)"
STATE_TEXT = {
    RowState.NEW: "New",
    RowState.DUPLICATE: "Already on file",
    RowState.INVALID: "Not imported",
}


def _client_cells(row: RowOutcome) -> tuple[str, ...]:
    form = row.form
    born = dates.day(form.date_of_birth) if form and form.date_of_birth else ""
    return (row.name, born, form.email if form else "")


def _visit_cells(row: VisitOutcome) -> tuple[str, ...]:
    visit = row.draft.visit if row.draft else None
    return (
        row.name,
        dates.moment(visit.starts_at) if visit else "",
        f"{visit.duration_minutes} min, {visit.status.label.lower()}" if visit else "",
    )


# What the preview shows of a row, besides its line, result and reasons.
SHOWN = {
    Target.CLIENTS: (("Name", "Born", "Email"), _client_cells),
    Target.VISITS: (("Client", "When", "Visit"), _visit_cells),
}
NOUN = {Target.CLIENTS: clients_text, Target.VISITS: visits_text}


class PreviewModel(RowsModel):
    """The checked rows of a file of clients or of past visits."""

    RIGHT_ALIGNED = frozenset({0})
    KEY = "line"
    RESULT, WHY = 4, 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = Target.CLIENTS
        self.COLUMNS = self._columns(self.target)

    def set_target(self, target: Target) -> None:
        self.beginResetModel()
        self.target = target
        self.COLUMNS = self._columns(target)
        self._rows = []
        self.endResetModel()

    @staticmethod
    def _columns(target: Target) -> tuple[str, ...]:
        return ("Line", *SHOWN[target][0], "Result", "Why")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: RowOutcome | VisitOutcome = self.item(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.RESULT, self.WHY):
            colours = theme.colours()
            colour = {RowState.INVALID: colours.danger, RowState.DUPLICATE: colours.warning}
            return QColor(colour[row.state]) if row.state in colour else None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHY:
            return self._text(row, self.WHY)
        return None

    def _text(self, row: RowOutcome | VisitOutcome, column: int) -> str:
        if column == 0:
            return str(row.line)
        if column < self.RESULT:
            return SHOWN[self.target][1](row)[column - 1]  # type: ignore[operator]
        if column == self.RESULT:
            return STATE_TEXT[row.state]
        if row.state is RowState.DUPLICATE:
            return (
                f"Same name and birth date as {row.duplicate_of}"
                if self.target is Target.CLIENTS
                else f"Same client and time as {row.duplicate_of}"
            )
        labels = FIELDS_OF[self.target] if self.target is Target.CLIENTS else ERROR_LABELS
        return " ".join(f"{labels.get(k, k)}: {v}" for k, v in row.errors.items())


class ImportDialog(QDialog):
    """Choose the file and its tool, check the mapping, preview, then import the new rows."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.source: SourceFile | None = None
        self.preview: Preview | VisitPreview | None = None
        self.imported: importing.Imported | visit_import.ImportedVisits | None = None
        self.setWindowTitle("Import clients or past visits")
        self.setMinimumSize(900, 600)
        self.resize(1040, 680)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(section_title("Import clients or past visits"))
        layout.addWidget(
            muted(
                "Clients, or the past visits of clients on file, from a CSV file another tool "
                "exported (Jane, Cliniko, SimplePractice, ClinicSense) or any spreadsheet saved "
                "as CSV. Check where each column goes, then Check rows: nothing is saved until "
                "you press Import. Rows already on file are left out; the practice is backed up "
                "first. Imported visits are kept as they came, marked imported: they are not "
                "signed by you, and corrections are amendments."
            )
        )
        layout.addLayout(self._file_row())
        self.file_error = ErrorLabel()
        layout.addWidget(self.file_error)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "First value", "Goes to"])
        self.mapping.verticalHeader().hide()
        self.mapping.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 8)
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping.setAccessibleName("Columns")
        layout.addWidget(self.mapping, 2)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.rows = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.rows)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAccessibleName("Rows")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 3)
        layout.addWidget(self._buttons())
        self._enable()

    def _file_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.path = line(max_length=4000)
        self.path.setPlaceholderText("The CSV file to import")
        self.path.returnPressed.connect(self._on_path_return_pressed)
        choose = QPushButton("Choose…")
        choose.setIcon(icons.icon("folder-open"))
        choose.setAutoDefault(False)
        choose.clicked.connect(self._on_choose_clicked)
        self.format = QComboBox()
        for form in FORMATS.values():
            self.format.addItem(form.label, form.key)
        self.format.setCurrentIndex(self.format.findData("generic"))
        self.format.setAccessibleName("Made by")
        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.target = QComboBox()
        self.target.addItem("Clients", Target.CLIENTS)
        self.target.addItem("Past visits", Target.VISITS)
        self.target.setAccessibleName("Rows are")
        self.target.currentIndexChanged.connect(self._on_target_changed)
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        row.addWidget(QLabel("Made by"))
        row.addWidget(self.format)
        row.addWidget(QLabel("Rows are"))
        row.addWidget(self.target)
        return row

    def chosen_target(self) -> Target:
        return Target(self.target.currentData())

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = buttons.addButton("&Check rows", QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setIcon(icons.icon("import"))
        self.import_button.setProperty("primary", True)
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self._on_import_clicked)
        buttons.rejected.connect(self.reject)
        return buttons

    # ------------------------------------------------------------------ the file

    def _on_choose_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import from", self.path.text(), "CSV files (*.csv *.txt);;All (*)"
        )
        if chosen:
            self.path.setText(chosen)
            self.open_file(Path(chosen))

    def _on_path_return_pressed(self) -> None:
        if self.path.text().strip():
            self.open_file(Path(self.path.text().strip()).expanduser())

    def open_file(self, path: Path) -> None:
        self.path.setText(str(path))
        QueryOp(self, lambda: importing.read_source(path), self._show_source).on_invalid(
            self._on_file_invalid
        ).run(key="file")

    def _on_file_invalid(self, error: ValidationError) -> None:
        self.file_error.set_message(" ".join(error.errors.values()))

    def _show_source(self, source: SourceFile) -> None:
        self.file_error.set_message("")
        self.source = source
        self._forget_preview()
        self._fill_mapping()

    def _on_format_changed(self, _index: int) -> None:
        if self.source is not None:
            self._forget_preview()
            self._fill_mapping()

    def _on_target_changed(self, _index: int) -> None:
        self.rows.set_target(self.chosen_target())
        self._on_format_changed(_index)

    def _fill_mapping(self) -> None:
        assert self.source is not None
        source = self.source
        target = self.chosen_target()
        guessed = importing.guess_mapping(source, FORMATS[self.format.currentData()], target)
        self.mapping.setRowCount(len(source.headings))
        for column, heading in enumerate(source.headings):
            self.mapping.setItem(column, 0, QTableWidgetItem(heading))
            sample = source.rows[0][column] if source.rows else ""
            self.mapping.setItem(column, 1, QTableWidgetItem(sample[:80]))
            choice = QComboBox()
            choice.addItem(LEAVE_OUT, None)
            for name, label in FIELDS_OF[target].items():
                choice.addItem(label, name)
            choice.setCurrentIndex(max(0, choice.findData(guessed.get(column))))
            choice.setAccessibleName(f"Where {heading} goes")
            choice.currentIndexChanged.connect(self._forget_preview)
            self.mapping.setCellWidget(column, 2, choice)
        self.summary.setText(f"{len(source.rows):,} rows in {source.path.name}.")
        self._enable()

    def chosen_mapping(self) -> dict[int, str]:
        mapping = {}
        for column in range(self.mapping.rowCount()):
            choice = self.mapping.cellWidget(column, 2)
            if isinstance(choice, QComboBox) and choice.currentData():
                mapping[column] = choice.currentData()
        return mapping

    # ------------------------------------------------------------------ preview and save

    def _forget_preview(self) -> None:
        self.preview = None
        self.rows.set_rows([])
        self._enable()

    def _on_check_clicked(self) -> None:
        if self.source is None:
            return
        db, source, mapping = self.db, self.source, self.chosen_mapping()
        form = FORMATS[self.format.currentData()]
        check = (
            visit_import.preview_visits
            if self.chosen_target() is Target.VISITS
            else importing.preview_import
        )

        def work(progress: Progress) -> Preview | VisitPreview:
            return check(db, source, mapping, form, progress)

        QueryOp(self, work, self._show_preview).on_invalid(self._on_mapping_invalid).with_progress(
            "Checking the rows…", cancellable=True
        ).run(key="preview")

    def _on_mapping_invalid(self, error: ValidationError) -> None:
        self.summary.setText(" ".join(error.errors.values()))
        self.summary.setProperty("role", "error")
        self._repolish(self.summary)

    def _show_preview(self, preview: Preview | VisitPreview) -> None:
        self.preview = preview
        self.rows.set_rows(preview.rows)
        new, same, bad = (preview.count(state) for state in RowState)
        self.summary.setProperty("role", "")
        self._repolish(self.summary)
        self.summary.setText(
            f"{len(preview.rows):,} rows: {new:,} new, {same:,} already on file, "
            f"{bad:,} with problems (listed below; fix them in the file and check again, or "
            "import the others now)."
        )
        self._enable()

    def _on_import_clicked(self) -> None:
        if self.preview is None or not self.preview.new:
            return
        db, preview = self.db, self.preview

        def work(progress: Progress) -> importing.Imported | visit_import.ImportedVisits:
            if isinstance(preview, VisitPreview):
                return visit_import.save_visits(db, preview, progress)
            return importing.save_import(db, preview, progress)

        visits = isinstance(preview, VisitPreview)
        self.import_button.setEnabled(False)
        WriteOp(
            self, work, self._on_imported, changes=Changes.of("visit" if visits else "client")
        ).after(self._enable).with_progress(
            f"Importing {'past visits' if visits else 'clients'}…", cancellable=True
        ).run()

    def _on_imported(self, made: importing.Imported | visit_import.ImportedVisits) -> None:
        self.imported = made
        self.preview = None
        self.rows.set_rows([])
        noun = visits_text if isinstance(made, visit_import.ImportedVisits) else clients_text
        self.summary.setText(
            f"Imported {noun(made.created)} from {made.source.name}; {made.skipped:,} rows "
            "left out. The practice was backed up first."
        )
        self._enable()

    def _enable(self) -> None:
        self.check_button.setEnabled(self.source is not None)
        new = len(self.preview.new) if self.preview is not None else 0
        self.import_button.setEnabled(new > 0)
        noun = NOUN[self.chosen_target()]
        self.import_button.setText(f"Import {noun(new)}" if new else "Import")

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
