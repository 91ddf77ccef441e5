"""Edit > Security: protect the practice with a passphrase, change it, and the idle lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practice.errors import FasciaError, WrongPassphraseError
from practice.store import keyfile
from practice.store.encryption import change_passphrase, protect_practice
from ui.lock.controller import MAX_IDLE_MINUTES, idle_minutes, set_idle_minutes
from ui.lock.passphrase import NewPassphrase, RecoveryCodeDialog, password_field
from ui.ops import QueryOp, WriteOp, runner

if TYPE_CHECKING:
    from practice.progress import Progress
    from practice.store.database import Database


class SecurityDialog(QDialog):
    """`protected` is emitted through `on_protected` once the practice has been encrypted."""

    def __init__(self, db: Database, window: QWidget, on_protected=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.db = db
        self.window_ = window
        self._on_protected = on_protected
        self.setWindowTitle("Security")
        self.setObjectName("SecurityDialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.group = QGroupBox()
        self.group_layout = QVBoxLayout(self.group)
        layout.addWidget(self.group)
        idle = QGroupBox("Lock")
        form = QFormLayout(idle)
        self.idle = QSpinBox()
        self.idle.setRange(0, MAX_IDLE_MINUTES)
        self.idle.setSuffix(" min")
        self.idle.setSpecialValueText("Never")
        self.idle.setValue(idle_minutes())
        self.idle.valueChanged.connect(set_idle_minutes)
        form.addRow("Lock after this long without use", self.idle)
        form.addRow("", QLabel("Ctrl+L locks at once."))
        layout.addWidget(idle)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._build_passphrase()

    def _build_passphrase(self) -> None:
        while self.group_layout.count():
            item = self.group_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        if keyfile.is_protected(self.db.data_dir):
            self.status.setText(
                "This practice is encrypted: its file and backups cannot be read without your "
                "passphrase or recovery code."
            )
            self.group.setTitle("Change the passphrase")
            self.current = password_field("Your passphrase now")
            form = QFormLayout()
            form.addRow("Current passphrase", self.current)
            self.group_layout.addLayout(form)
            self.fields = NewPassphrase()
            self.button = QPushButton("Change passphrase")
            self.button.clicked.connect(self._on_change_clicked)
        else:
            self.status.setText(
                "This practice is not encrypted: anyone who gets this computer or a backup can "
                "read your clients' records."
            )
            self.group.setTitle("Protect with a passphrase")
            self.fields = NewPassphrase()
            self.button = QPushButton("Protect with a passphrase")
            self.button.clicked.connect(self._on_protect_clicked)
        self.button.setProperty("primary", True)
        self.group_layout.addWidget(self.fields)
        self.group_layout.addWidget(self.message)
        self.group_layout.addWidget(self.button)

    def _say(self, text: str, role: str = "error") -> None:
        self.message.setProperty("role", role)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    def _on_change_clicked(self) -> None:
        new = self.fields.value()
        if new is None:
            return
        current, data_dir = self.current.text(), self.db.data_dir
        self.button.setEnabled(False)

        def work() -> FasciaError | None:
            try:
                change_passphrase(data_dir, current, new)
            except WrongPassphraseError as error:
                return error
            return None

        def done(error: FasciaError | None) -> None:
            if error is not None:
                self._say(str(error))
                self.current.selectAll()
                self.current.setFocus()
                return
            self._say("Passphrase changed. The recovery code stays the same.", "muted")
            for field in (self.current, self.fields.first, self.fields.second):
                field.clear()

        QueryOp(self, work, done).after(lambda: self.button.setEnabled(True)).run()

    def _on_protect_clicked(self) -> None:
        passphrase = self.fields.value()
        if passphrase is None:
            return
        self.button.setEnabled(False)
        protect_open_practice(self, self.window_, self.db, passphrase, self._on_practice_protected)

    def _on_practice_protected(self, code: str) -> None:
        self.recovery = RecoveryCodeDialog(code, self.db, self)
        self.recovery.open()  # window-modal, no nested event loop inside the op's callback
        self._build_passphrase()
        if self._on_protected is not None:
            self._on_protected()


def protect_open_practice(  # type: ignore[no-untyped-def]
    parent: QWidget, window: QWidget, db: Database, passphrase: str, on_done
) -> None:
    """Encrypt the open practice in the background, then reopen its connections with the key.

    It starts once no other op is reading (converting needs the only connection to the file).
    """
    if not runner().idle:
        QTimer.singleShot(
            50, parent, lambda: protect_open_practice(parent, window, db, passphrase, on_done)
        )
        return
    backups = getattr(window, "backups", None)
    if backups is not None:
        backups.timer.stop()
    clients = getattr(window, "clients", None)
    if clients is not None:
        clients.directory.close()

    def work(progress: Progress) -> str:
        lock = db.hand_over()
        try:
            return protect_practice(db.data_dir, passphrase, progress)
        finally:
            db.take_back(lock)
            db.reopen_engine()

    def after() -> None:
        if backups is not None:
            backups.timer.start()

    WriteOp(parent, work, on_done).with_progress("Encrypting the practice…").after(after).run()
