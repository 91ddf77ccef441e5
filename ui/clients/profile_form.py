"""The Profile tab: identity, contact, emergency contact, referral and notes, with inline errors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practice.clients import service
from practice.clients.records import Client, ClientForm
from practice.errors import ConflictError, ValidationError
from practice.store import Database
from ui.ops import show_message
from ui.widgets.forms import DateField, FormGrid, line, section_title, text_box
from ui.widgets.physician_dialog import PhysicianDialog

SEX_CHOICES = ["", "female", "male", "intersex", "prefer not to say"]
PRONOUN_CHOICES = ["", "she/her", "he/him", "they/them", "she/they", "he/they"]


class ProfileForm(QWidget):
    """Edits a client (or a new one). Nothing is saved until every field is valid."""

    client_saved = Signal(object)  # Client
    dirty_changed = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self._dirty = False
        self._loading = False

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)

        self.identity = FormGrid(columns=2)
        i = self.identity
        i.add("given_name", "&Given name", line("Legal first name"))
        i.add("family_name", "&Family name", line())
        i.add("preferred_name", "P&referred name", line("What they like to be called"))
        i.add("date_of_birth", "&Birth date", DateField())
        pronouns = QComboBox()
        pronouns.setEditable(True)
        pronouns.addItems(PRONOUN_CHOICES)
        i.add("pronouns", "Pro&nouns", pronouns)
        sex = QComboBox()
        sex.addItems(SEX_CHOICES)
        i.add("sex", "Se&x", sex)
        i.add("occupation", "&Occupation", line())

        self.contact = FormGrid(columns=2)
        c = self.contact
        c.add("phone_mobile", "&Mobile", line("(416) 555-0100", 40))
        c.add("phone_other", "Other p&hone", line("", 40))
        c.add("email", "&Email", line("name@example.com"))
        c.add("address", "&Address", text_box("Street, city, postal code", 2), span=True)

        self.emergency = FormGrid(columns=2)
        e = self.emergency
        e.add("emergency_contact_name", "Na&me", line())
        e.add("emergency_contact_relation", "Re&lation", line("Partner, parent ...", 60))
        e.add("emergency_contact_phone", "Phon&e", line("", 40))

        self.referral = FormGrid(columns=2)
        r = self.referral
        physician_row = QWidget()
        pr = QHBoxLayout(physician_row)
        pr.setContentsMargins(0, 0, 0, 0)
        self.physician = QComboBox()
        self.physician.setMinimumContentsLength(24)
        self.add_physician = QPushButton("New physician…")
        self.add_physician.clicked.connect(self._on_add_physician_clicked)
        pr.addWidget(self.physician, 1)
        pr.addWidget(self.add_physician)
        r.add("physician_id", "&Physician", physician_row, span=True)
        r.fields["physician_id"] = self.physician
        r.add("referral_source", "Referred &by", line("Physician, chiropractor, friend ..."))
        r.add("found_us", "Found us &via", line("Search, walk-in, insurer list ..."))
        r.add("notes", "No&tes", text_box("Anything else worth remembering", 3), span=True)

        for title, grid in (
            ("Client", self.identity),
            ("Contact", self.contact),
            ("Emergency contact", self.emergency),
            ("Referral and notes", self.referral),
        ):
            layout.addWidget(section_title(title))
            layout.addWidget(grid)
            layout.addSpacing(8)
        layout.addStretch(1)
        scroll.setWidget(body)

        self.save_button = QPushButton("Save client")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Discard changes")
        self.revert_button.clicked.connect(self._on_revert_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 16)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)

        for grid in self._grids():
            for widget in grid.fields.values():
                _on_change(widget, self._on_field_changed)
        self._reload_physicians()
        self._set_dirty(False)

    # ------------------------------------------------------------------ state

    def _grids(self) -> tuple[FormGrid, ...]:
        return (self.identity, self.contact, self.emergency, self.referral)

    def _field(self, name: str) -> QWidget:
        for grid in self._grids():
            if name in grid.fields:
                return grid.fields[name]
        raise KeyError(name)

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.revert_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)

    def _on_field_changed(self) -> None:
        if not self._loading and not self._dirty:
            self._set_dirty(True)

    def load(self, client: Client | None) -> None:
        """Show a client, or an empty form for a new one."""
        self._loading = True
        self.client = client
        form = client.form() if client else ClientForm(given_name="")
        for name in ClientForm.__dataclass_fields__:
            widget = self._field(name)
            value = getattr(form, name)
            if name == "physician_id":
                index = self.physician.findData(value)
                self.physician.setCurrentIndex(max(index, 0))
            elif isinstance(widget, DateField):
                widget.set_value(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        for grid in self._grids():
            grid.clear_errors()
        self.save_button.setText("Save client" if client else "Create client")
        self._loading = False
        self._set_dirty(False)

    def value(self) -> ClientForm:
        """The form's contents; raises ValidationError for a date that cannot be read."""
        values: dict[str, object] = {}
        errors: dict[str, str] = {}
        for name in ClientForm.__dataclass_fields__:
            widget = self._field(name)
            if name == "physician_id":
                values[name] = self.physician.currentData()
            elif isinstance(widget, DateField):
                try:
                    values[name] = widget.value()
                except ValueError as error:
                    errors[name] = str(error)
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentText()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            else:
                assert isinstance(widget, QLineEdit)
                values[name] = widget.text()
        if errors:
            raise ValidationError(errors)
        return ClientForm(**values)  # type: ignore[arg-type]

    def save(self) -> Client | None:
        try:
            form = self.value()
            service.validate_client(form)
            if self.client is None:
                saved = service.create_client(self.db, form)
            else:
                saved = service.update_client(
                    self.db, self.client.id, form, expected_version=self.client.version
                )
        except ValidationError as error:
            self._show_errors(error.errors)
            return None
        except ConflictError as error:
            show_message(self, error)  # the form keeps what was typed
            return None
        self.load(saved)
        self.client_saved.emit(saved)
        return saved

    def _show_errors(self, errors: dict[str, str]) -> None:
        shown = False
        for grid in self._grids():
            mine = {k: v for k, v in errors.items() if k in grid.fields}
            if shown:
                grid.show_errors({})
                for name, message in mine.items():
                    grid.errors[name].set_message(message)
            else:
                shown = grid.show_errors(mine)

    def _on_revert_clicked(self) -> None:
        self.load(self.client)

    def _reload_physicians(self, select: int | None = None) -> None:
        current = select if select is not None else self.physician.currentData()
        self.physician.blockSignals(True)
        self.physician.clear()
        self.physician.addItem("No referring physician", None)
        for p in service.list_physicians(self.db):
            self.physician.addItem(p.display, p.id)
        index = self.physician.findData(current)
        self.physician.setCurrentIndex(max(index, 0))
        self.physician.blockSignals(False)

    def _on_add_physician_clicked(self) -> None:
        dialog = PhysicianDialog(self.db, parent=self)
        if dialog.exec() and dialog.saved:
            self._reload_physicians(select=dialog.saved.id)
            self._on_field_changed()


def _on_change(widget: QWidget, slot) -> None:  # type: ignore[no-untyped-def]
    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)
    elif isinstance(widget, QPlainTextEdit | QLineEdit):
        widget.textChanged.connect(slot)
