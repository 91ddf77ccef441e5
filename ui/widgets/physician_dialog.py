"""Add or edit a referring physician (or chiropractor) in a small dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from practice.changes import Changes
from practice.clients import service
from practice.clients.records import Physician, PhysicianForm
from practice.store import Database
from ui.ops import accept_when_written, holding
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
        self.buttons = buttons
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
        db, physician, form = self.db, self.physician, self.value()
        if physician is not None:
            work = lambda: service.update_physician(db, physician.id, form)  # noqa: E731
        else:
            work = lambda: service.create_physician(db, form)  # noqa: E731
        refused = lambda error: self.form.show_errors(error.errors)  # noqa: E731
        accept_when_written(self, self.buttons, work, refused, changes=Changes.of("settings"))

    def reject(self) -> None:
        """Escape waits for a save on its way: the dialog closes once it has landed."""
        if not holding(self.buttons):
            super().reject()
