"""The note editor's dialogs: signing, acknowledging an alert, amendments and templates."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients.rules import Alert
from practice.errors import ValidationError
from practice.store import Database
from practice.visits import service
from practice.visits.records import Amendment, SoapNote, TreatmentInput, VisitTemplate
from ui.ops import accept_when_written, holding, write_from
from ui.widgets.alerts import AlertBanner
from ui.widgets.forms import FormGrid, line, muted, section_title, text_box

SIGN_CONSEQUENCE = "Signed notes can no longer be edited; corrections become amendments."


def confirm_signing(parent: QWidget, visit: str) -> bool:
    """The one irreversible step of a note: ask, and say what it means."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Sign note")
    box.setText(f"Sign the note of {visit}?")
    box.setInformativeText(SIGN_CONSEQUENCE)
    sign = box.addButton("Sign note", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    signed = box.clickedButton() is sign
    box.deleteLater()
    return signed


def sign_without_consent(parent: QWidget) -> bool:
    """No current consent is on file: sign anyway only when the therapist says so."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("No consent on file")
    box.setText("This client has no current consent to treatment on file.")
    box.setInformativeText(
        "Record the consent in the Consent tab first, or sign anyway: the note will say that "
        "it was signed without a current consent, and so will the audit trail."
    )
    sign = box.addButton("Sign without consent", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    chosen = box.clickedButton() is sign
    box.deleteLater()
    return chosen


class _Dialog(QDialog):
    """24 px margins, a button box at the bottom; Enter accepts and Escape cancels."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 24, 24, 16)
        self.body.setSpacing(8)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)

    def _finish(self, accept_text: str) -> QPushButton:
        button = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setProperty("primary", True)
        button.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.body.addSpacing(8)
        self.body.addWidget(self.buttons)
        return button

    def _on_buttons_accepted(self) -> None:
        self.accept()

    def reject(self) -> None:
        """Escape waits for a save on its way: it closes the dialog when it lands."""
        if not holding(self.buttons):
            super().reject()


class AcknowledgeDialog(_Dialog):
    """Names each alert that restricts deep work, why and what to do; nothing is the default."""

    def __init__(self, technique: str, alerts: Sequence[Alert], parent: QWidget | None) -> None:
        super().__init__("Deep work despite an alert", parent)
        self.setMinimumWidth(560)
        self.body.addWidget(section_title(f"{technique} is deep work"))
        self.body.addWidget(
            muted(
                "The client's intake has alerts that restrict deep, point-pressure, friction, "
                "cupping or instrument work:"
            )
        )
        banner = AlertBanner(shown_at_once=len(alerts))
        banner.set_alerts(list(alerts))
        self.body.addWidget(banner)
        self.body.addWidget(
            muted(
                "Acknowledging records your name and the time with this treatment entry. "
                "Otherwise choose a lighter technique or pressure."
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "Choose another technique"
        )
        self.acknowledge_button = self._finish("Acknowledge and continue")
        self.acknowledge_button.setDefault(False)
        self.acknowledge_button.setAutoDefault(False)
        choose_another = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        choose_another.setDefault(True)  # Enter takes the safe way out
        # Wrapped alert text: size the dialog for its width, or the last lines are cut off.
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))


def acknowledge(parent: QWidget, technique: str, alerts: Sequence[Alert]) -> bool:
    dialog = AcknowledgeDialog(technique, alerts, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted


class AmendmentDialog(_Dialog):
    """A dated correction of a signed note: why, and what the correction says. Both required."""

    def __init__(self, db: Database, visit_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Add amendment", parent)
        self.db = db
        self.visit_id = visit_id
        self.saved: Amendment | None = None
        self.setMinimumWidth(560)
        self.body.addWidget(
            muted(
                "The signed note stays as it was; the amendment is added below it with your "
                "name and today's date."
            )
        )
        self.grid = FormGrid()
        self.reason = line("e.g. Wrong side recorded", 200)
        self.text = text_box("The correction or addition, in full", 6)
        self.grid.add("reason", "&Reason", self.reason)
        self.grid.add("text", "&Amendment", self.text)
        self.body.addWidget(self.grid)
        self._finish("Add amendment")

    def _on_buttons_accepted(self) -> None:
        db, visit_id, reason, text = (
            self.db,
            self.visit_id,
            self.reason.text(),
            self.text.toPlainText(),
        )
        accept_when_written(
            self,
            self.buttons,
            lambda: service.amend_visit(db, visit_id, reason, text),
            self._refused,
        )

    def _refused(self, error: ValidationError) -> None:
        self.grid.show_errors(error.errors)


class SaveTemplateDialog(_Dialog):
    """Keep the note's structure and treatment log under a name; scores are never kept."""

    def __init__(
        self,
        db: Database,
        note: SoapNote,
        treatments: tuple[TreatmentInput, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Save as template", parent)
        self.db = db
        self.note = note
        self.treatments = treatments
        self.saved: VisitTemplate | None = None
        self.setMinimumWidth(480)
        self.body.addWidget(
            muted(
                "A template keeps this note's text and treatment log for the next visits like "
                "it. Pain scores and the tenderness grade are never kept."
            )
        )
        self.grid = FormGrid()
        self.name = line("e.g. Low back, follow-up", 120)
        self.grid.add("name", "&Name", self.name)
        self.body.addWidget(self.grid)
        self._finish("Save template")

    def _on_buttons_accepted(self) -> None:
        db, name, note, treatments = self.db, self.name.text(), self.note, self.treatments
        accept_when_written(
            self,
            self.buttons,
            lambda: service.save_template(db, name, note, treatments),
            lambda error: self.grid.show_errors(error.errors),
            changes=Changes.of("settings"),
        )


class ApplyTemplateDialog(_Dialog):
    """Choose a template to fill the note with; templates can be deleted here too."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Apply template", parent)
        self.db = db
        self.chosen: VisitTemplate | None = None
        self.setMinimumSize(480, 400)
        self.body.addWidget(
            muted("Fills the empty fields of the note and adds the template's treatment entries.")
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Templates")
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.empty = muted(
            "No templates yet. Write a note, then use Save as template… to reuse its structure."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.body.addWidget(self.stack, 1)
        self.delete_button = QPushButton("Delete template…")
        self.delete_button.setProperty("danger", True)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.apply_button = self._finish("Apply")
        self._reload()

    def _reload(self) -> None:
        self.list.clear()
        for template in service.list_templates(self.db):
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template)
            self.list.addItem(item)
        has_templates = self.list.count() > 0
        self.stack.setCurrentWidget(self.list if has_templates else self.empty)
        self.apply_button.setEnabled(has_templates)
        self.delete_button.setEnabled(has_templates)
        if has_templates:
            self.list.setCurrentRow(0)
            self.list.setFocus()

    def _selected(self) -> VisitTemplate | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_buttons_accepted(self) -> None:
        self.chosen = self._selected()
        if self.chosen is not None:
            self.accept()

    def _on_list_item_activated(self) -> None:
        self._on_buttons_accepted()

    def _on_delete_button_clicked(self) -> None:
        template = self._selected()
        if template is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete template",
            f"Delete the template '{template.name}'? Notes made from it do not change.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            db = self.db
            write_from(
                self,
                self,  # the whole dialog waits: the list is read again when it lands
                lambda: service.delete_template(db, template.id),
                lambda _deleted: self._reload(),
                changes=Changes.of("settings"),
            )
