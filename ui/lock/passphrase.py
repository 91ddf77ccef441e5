"""Choosing a passphrase (typed twice), and showing the recovery code once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.errors import ValidationError
from practice.store.keyfile import MAX_SECRET, check_passphrase
from ui import icons

if TYPE_CHECKING:
    from practice.store.database import Database
    from ui.documents.preview import PdfPreviewDialog


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_SECRET)
    field.setPlaceholderText(placeholder)
    return field


class NewPassphrase(QWidget):
    """Two fields for a new passphrase and the message when they are not usable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = password_field("At least 8 characters; a few words are easy to type")
        self.second = password_field("The same again")
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Passphrase", self.first)
        form.addRow("Repeat it", self.second)
        form.addRow("", self.message)

    def value(self) -> str | None:
        """The passphrase when both fields agree and it is long enough; else says why."""
        try:
            text = check_passphrase(self.first.text())
        except ValidationError as error:
            return self._refuse(error.errors["passphrase"], self.first)
        if self.second.text() != self.first.text():
            return self._refuse("The two passphrases differ.", self.second)
        self.message.hide()
        return text

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.message.setText(text)
        self.message.show()
        field.setFocus()
        return None


class ProtectChoice(QWidget):
    """Welcome's "Protect with a passphrase" (on by default) and its two fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox("Protect this practice with a passphrase (recommended)")
        self.enabled.setChecked(True)
        note = QLabel(
            "Your records are encrypted on disk and in backups; Fascia asks for the passphrase "
            "when it starts and after 10 idle minutes. A recovery code, shown once, opens the "
            "practice if you forget it."
        )
        note.setWordWrap(True)
        note.setProperty("muted", True)
        self.fields = NewPassphrase()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(note)
        layout.addWidget(self.fields)
        self.enabled.toggled.connect(self.fields.setVisible)

    def choice(self) -> tuple[bool, str | None]:
        """(valid, passphrase): (True, None) when not protecting; (False, None) if refused."""
        if not self.enabled.isChecked():
            return True, None
        value = self.fields.value()
        return value is not None, value


class RecoveryCodeDialog(QDialog):
    """The recovery code, shown once: closing needs the therapist to say it is written down.

    Print or save as PDF… opens a one-page sheet with the code in the PDF preview (printed,
    or saved to the one file chosen; never opened from a temporary copy).
    """

    def __init__(self, code: str, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.preview: PdfPreviewDialog | None = None
        self.setWindowTitle("Your recovery code")
        self.setObjectName("RecoveryCodeDialog")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        lead = QLabel(
            "Your practice is now encrypted. If you forget the passphrase, this code is the only "
            "way to open it. Print it or write it down and keep it away from this computer: "
            "Fascia shows it only now."
        )
        lead.setWordWrap(True)
        self.code = QLabel(code)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.5)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton("Copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        self.print_button = QPushButton(icons.icon("printer"), "Print or save as PDF…")
        self.print_button.setToolTip("A page with the code and how to keep it safe")
        self.print_button.clicked.connect(lambda: self._on_print_button_clicked(code))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(copy)
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.written = QCheckBox("I have written down or printed the recovery code")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.written.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(lead)
        layout.addWidget(self.code)
        layout.addLayout(row)
        layout.addWidget(self.written)
        layout.addWidget(buttons)

    def _on_print_button_clicked(self, code: str) -> None:
        from ui.documents.printing import preview_recovery_sheet

        self.preview = preview_recovery_sheet(self, self.db, code)

    def reject(self) -> None:  # Escape does not skip the code
        if self.written.isChecked():
            super().reject()
