"""The Profile tab: identity, contact, emergency contact, referral and notes, with inline errors."""

from __future__ import annotations

from collections.abc import Callable

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

from practice.changes import Changes
from practice.clients import service
from practice.clients.records import Client, ClientForm
from practice.errors import ValidationError
from practice.store import Database, staff
from ui.clients.care_team import CareTeamPanel
from ui.ops import runner, save_now, save_soon
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
        self._edits = 0  # changes typed so far: a save landing knows whether typing came after
        self._shown = 0  # which client the form shows: a save landing knows if it moved on

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
        self.care_team: CareTeamPanel | None = None
        if staff.may_share(db):  # clinic mode: who sees the client's clinical records
            self.care_team = CareTeamPanel(db)
            layout.addWidget(self.care_team)
        layout.addStretch(1)
        scroll.setWidget(body)

        self.save_button = QPushButton("Save client")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save_soon)
        self.revert_button = QPushButton("Discard changes")
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.buttons = QWidget()  # held, disabled, while a save is on its way
        bar = QHBoxLayout(self.buttons)
        bar.setContentsMargins(16, 8, 16, 16)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.buttons)

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
        if self._loading:
            return
        self._edits += 1
        if not self._dirty:
            self._set_dirty(True)

    def load(self, client: Client | None) -> None:
        """Show a client, or an empty form for a new one."""
        self._loading = True
        self._shown += 1
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
        if self.care_team is not None:
            self.care_team.setVisible(client is not None)
            self.care_team.load(client)
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

    # The Save button writes on the op runner (the window keeps answering while SQLite
    # commits); `save()` writes at once, for the flows that need its outcome before going on:
    # Ctrl+S through `ClientWorkspace.save()`, "Save them first?" before leaving the client.

    def save(self) -> Client | None:
        """Save now (Ctrl+S). None, with the reason next to its field, when nothing was saved."""
        runner().wait_idle()  # a save on its way lands first: this one then updates, not creates
        if self.client is not None and not self._dirty:
            return self.client
        return save_now(self, self._save_write, self._landed, self._refused, _changes)

    def save_soon(self) -> None:
        """Save on the op runner: the Save button and Ctrl+S (the window keeps answering)."""
        save_soon(self, self.buttons, self._save_write, self._landed, self._refused, _changes)

    def _save_write(self) -> Callable[[], Client] | None:
        """The write that saves the form as it is now, or None (with the errors shown)."""
        try:
            form = self.value()
            service.validate_client(form)
        except ValidationError as error:
            self._refused(error)
            return None
        db, client = self.db, self.client
        if client is None:
            return lambda: service.create_client(db, form)
        return lambda: service.update_client(db, client.id, form, expected_version=client.version)

    def _landed(self) -> Callable[[Client], None]:
        """What to do when the save lands: show the client as saved, unless the therapist
        typed meanwhile (the form stays unsaved) or moved on to another client."""
        shown, edits = self._shown, self._edits

        def landed(saved: Client) -> None:
            if shown != self._shown:
                return
            if edits == self._edits:
                self.load(saved)
            else:
                self.client = saved  # created: the next save updates it
                self.save_button.setText("Save client")
            self.client_saved.emit(saved)

        return landed

    def _refused(self, error: ValidationError) -> None:
        self._show_errors(error.errors)

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


def _changes(client: Client) -> Changes:
    return Changes.of("client", client_id=client.id)


def _on_change(widget: QWidget, slot) -> None:  # type: ignore[no-untyped-def]
    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)
    elif isinstance(widget, QPlainTextEdit | QLineEdit):
        widget.textChanged.connect(slot)
