"""Add or edit a referring physician (or chiropractor) in a small dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from practice.clients import service
from practice.clients.records import Physician, PhysicianForm
from practice.errors import ValidationError
from practice.store import Database
from ui.widgets.forms import FormGrid, line, text_box


class PhysicianDialog(QDialog):
    def __init__(
        self, db: Database, physician: Physician | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.physician = physician
        self.saved: Physician | None = None
        self.setWindowTitle("Edit physician" if physician else "New physician")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        self.form = FormGrid()
        f = self.form
        f.add("name", "&Name", line("Dr. Amelia Chen"))
        f.add("clinic", "&Clinic", line())
        f.add("specialty", "S&pecialty", line("Family medicine, chiropractic ..."))
        f.add("phone", "P&hone", line(max_length=40))
        f.add("fax", "&Fax", line(max_length=40))
        f.add("email", "&Email", line())
        f.add("address", "&Address", text_box(lines=2))
        f.add("licence_number", "&Licence no.", line(max_length=60))
        f.add("npi", "N&PI", line("10 digits", max_length=20))
        layout.addWidget(f)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setProperty("primary", True)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if physician:
            for name, widget in f.fields.items():
                value = getattr(physician, name)
                if hasattr(widget, "setPlainText"):
                    widget.setPlainText(value)
                else:
                    widget.setText(value)

    def value(self) -> PhysicianForm:
        values = {}
        for name, widget in self.form.fields.items():
            values[name] = widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()
        return PhysicianForm(**values)

    def _on_save(self) -> None:
        try:
            if self.physician:
                self.saved = service.update_physician(self.db, self.physician.id, self.value())
            else:
                self.saved = service.create_physician(self.db, self.value())
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return
        self.accept()
