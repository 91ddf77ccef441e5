"""The technique library editor (Edit > Technique library…): edit, add your own, archive."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.errors import ValidationError
from practice.store import Database
from practice.techniques import library as techniques
from practice.techniques.records import Technique, TechniqueCategory, TechniqueForm
from ui import icons, theme
from ui.widgets.forms import FormGrid, line, muted, section_title, text_box
from ui.widgets.tables import RowsModel

CPT_CHOICES = {
    techniques.MANUAL_THERAPY: "97140 · manual therapy",
    techniques.MASSAGE: "97124 · massage",
}


class TechniqueTableModel(RowsModel):
    NAME, CATEGORY, DEEP, POINT, CPT = range(5)
    COLUMNS = ("Technique", "Category", "Deep", "Point", "CPT")
    KEY = "code"

    def technique(self, row: int) -> Technique:
        return self.item(row)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        t = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.NAME: t.name + (" (archived)" if t.archived else ""),
                self.CATEGORY: t.category.label,
                self.DEEP: "Yes" if t.deep else "",
                self.POINT: "Yes" if t.point_pressure else "",
                self.CPT: t.default_cpt,
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return t.description or None
        if role == Qt.ItemDataRole.ForegroundRole and t.archived:
            return QColor(theme.colours().muted)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CPT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TechniqueLibraryDialog(QDialog):
    """The list on the left, the chosen technique's form on the right."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.current: Technique | None = None  # None: a new technique in the form
        self.setWindowTitle("Technique library")
        self.resize(1040, 600)
        self.model = TechniqueTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Techniques")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(TechniqueTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 170), (2, 52), (3, 52), (4, 64)):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(lambda: self._reload(self._current_code()))
        self.new_button = QPushButton(icons.icon("plus"), "New technique")
        self.new_button.clicked.connect(self._on_new_clicked)
        left_bar = QHBoxLayout()
        left_bar.addWidget(self.show_archived)
        left_bar.addStretch(1)
        left_bar.addWidget(self.new_button)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.table, 1)
        left.addLayout(left_bar)

        self.title = section_title("")
        self.form = FormGrid()
        self.name: QLineEdit = self.form.add("name", "&Name", line("Your own technique", 120))  # type: ignore[assignment]
        self.category = QComboBox()
        for category in TechniqueCategory:
            self.category.addItem(category.label, category.value)
        self.form.add("category", "Ca&tegory", self.category)
        self.cpt = QComboBox()
        self.cpt.setEditable(True)
        self.cpt.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, label in CPT_CHOICES.items():
            self.cpt.addItem(label, code)
        self.form.add("default_cpt", "Default &CPT", self.cpt)
        self.deep = QCheckBox("&Deep work: deep pressure, friction, percussion, cups or tools")
        self.point = QCheckBox("&Point pressure: sustained pressure on one spot")
        flags = QWidget()
        fl = QVBoxLayout(flags)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.setSpacing(0)
        fl.addWidget(self.deep)
        fl.addWidget(self.point)
        self.form.add("flags", "Checks", flags)
        self.form.fields["flags"] = self.deep
        self.description: QPlainTextEdit = self.form.add(  # type: ignore[assignment]
            "description", "D&escription", text_box("How you do it, in your words", 4)
        )
        self.flags_hint = muted(
            "Deep and point-pressure techniques ask for an acknowledgement when the client has "
            "an alert against deep work."
        )
        self.save_button = QPushButton("Save technique")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton()
        self.archive_button.clicked.connect(self._on_archive_clicked)
        right_bar = QHBoxLayout()
        right_bar.addWidget(self.archive_button)
        right_bar.addStretch(1)
        right_bar.addWidget(self.save_button)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.title)
        right.addWidget(self.form)
        right.addWidget(self.flags_hint)
        right.addStretch(1)
        right.addLayout(right_bar)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(columns, 1)
        layout.addWidget(close)
        techniques.seed_techniques(db)
        self._reload(None)

    # ------------------------------------------------------------------ public

    def value(self) -> TechniqueForm:
        cpt = self.cpt.currentText().strip()
        index = self.cpt.findText(cpt)
        return TechniqueForm(
            name=self.name.text(),
            category=TechniqueCategory(self.category.currentData()),
            description=self.description.toPlainText(),
            deep=self.deep.isChecked(),
            point_pressure=self.point.isChecked(),
            default_cpt=self.cpt.itemData(index) if index >= 0 else cpt,
        )

    def save(self) -> Technique | None:
        try:
            if self.current is None:
                saved = techniques.create_technique(self.db, self.value())
            else:
                saved = techniques.update_technique(self.db, self.current.code, self.value())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return None
        self._reload(saved.code)
        return saved

    def select(self, code: str) -> None:
        row = self.model.row_of(code)
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    # ------------------------------------------------------------------ helpers

    def _current_code(self) -> str | None:
        return self.current.code if self.current else None

    def _reload(self, code: str | None) -> None:
        rows = techniques.list_techniques(self.db, include_archived=self.show_archived.isChecked())
        self.model.set_rows(rows)
        if code is not None and self.model.row_of(code) is not None:
            self.select(code)
        elif rows:
            self.select(rows[0].code)
        else:
            self._show(None)

    def _show(self, technique: Technique | None) -> None:
        self.current = technique
        self.form.clear_errors()
        self.title.setText(technique.name if technique else "New technique")
        self.name.setText(technique.name if technique else "")
        category = technique.category if technique else TechniqueCategory.OTHER
        self.category.setCurrentIndex(self.category.findData(category.value))
        cpt = technique.default_cpt if technique else techniques.MANUAL_THERAPY
        index = self.cpt.findData(cpt)
        if index >= 0:
            self.cpt.setCurrentIndex(index)
        else:
            self.cpt.setEditText(cpt)
        self.deep.setChecked(technique.deep if technique else False)
        self.point.setChecked(technique.point_pressure if technique else False)
        self.description.setPlainText(technique.description if technique else "")
        self.archive_button.setVisible(technique is not None)
        if technique is not None:
            self.archive_button.setText("Restore" if technique.archived else "Archive")
            self.archive_button.setToolTip(
                "Bring it back to the pick lists"
                if technique.archived
                else "Hide it from the pick lists; plans and visits that use it keep it"
            )
        self.save_button.setText("Save technique" if technique else "Add technique")

    # ------------------------------------------------------------------ handlers

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show(self.model.technique(current.row()))

    def _on_new_clicked(self) -> None:
        self.table.clearSelection()
        self._show(None)
        self.name.setFocus()

    def _on_archive_clicked(self) -> None:
        if self.current is None:
            return
        archived = not self.current.archived
        techniques.set_technique_archived(self.db, self.current.code, archived)
        if archived and not self.show_archived.isChecked():
            self._reload(None)
        else:
            self._reload(self.current.code)
