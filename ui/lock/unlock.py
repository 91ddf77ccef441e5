"""The unlock screen: the passphrase (or the recovery code), with a growing wait after a wrong
one. It holds no client data: it is what a locked window shows instead of its contents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.errors import FasciaError, WrongPassphraseError
from practice.store.encryption import unlock_practice
from ui import icons, theme
from ui.ops import QueryOp

FIRST_WAIT_S = 1
LONGEST_WAIT_S = 60


def wait_after(failures: int) -> int:
    """Seconds before the next try after `failures` wrong ones in a row: 0, 1, 2, 4 ... 60."""
    if failures <= 1:
        return 0 if failures < 1 else FIRST_WAIT_S
    return min(LONGEST_WAIT_S, FIRST_WAIT_S << (failures - 1))


class UnlockScreen(QWidget):
    """Asks for the passphrase of the practice in `data_dir`; emits `unlocked` once it opens."""

    unlocked = Signal()

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UnlockScreen")
        self.data_dir = data_dir
        self.failures = 0
        self._recovery = False
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._on_countdown_timeout)

        card = QWidget()
        card.setMaximumWidth(440)
        column = QVBoxLayout(card)
        column.setSpacing(10)
        mark = QLabel()
        mark.setPixmap(icons.pixmap("lock", 40, theme.colours().accent))
        mark.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel("Your practice is locked")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("muted", True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(1024)
        self.field.returnPressed.connect(self._on_unlock_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.hide()
        self.button = QPushButton("Unlock")
        self.button.setProperty("primary", True)
        self.button.setDefault(True)
        self.button.clicked.connect(self._on_unlock_clicked)
        self.switch = QPushButton()
        self.switch.setFlat(True)
        self.switch.setCursor(Qt.CursorShape.PointingHandCursor)
        self.switch.clicked.connect(self._on_switch_clicked)
        row = QHBoxLayout()
        row.addWidget(self.switch)
        row.addStretch(1)
        row.addWidget(self.button)
        folder = QLabel(f"Practice folder: {data_dir}")
        folder.setProperty("muted", True)
        folder.setWordWrap(True)
        folder.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for widget in (mark, self.title, self.hint, self.field, self.message):
            column.addWidget(widget)
        column.addLayout(row)
        column.addSpacing(12)
        column.addWidget(folder)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card, 3)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(3)
        self._show_mode()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.field.setFocus()

    def _show_mode(self) -> None:
        if self._recovery:
            self.hint.setText("Type the recovery code you printed when you set the passphrase.")
            self.field.setPlaceholderText("Recovery code (XXXX-XXXX-…)")
            self.field.setEchoMode(QLineEdit.EchoMode.Normal)
            self.switch.setText("Use the passphrase")
        else:
            self.hint.setText("Type your passphrase to open your clients' records.")
            self.field.setPlaceholderText("Passphrase")
            self.field.setEchoMode(QLineEdit.EchoMode.Password)
            self.switch.setText("Forgot it? Use the recovery code")
        self.field.clear()
        self.field.setFocus()

    def _on_switch_clicked(self) -> None:
        self._recovery = not self._recovery
        self._show_mode()

    def _on_unlock_clicked(self) -> None:
        if self._wait_left or not self.button.isEnabled():
            return
        secret = self.field.text()
        if not secret:
            self._say("Type your passphrase first." if not self._recovery else "Type the code.")
            return
        self._set_busy(True)
        recovery = self._recovery
        data_dir = self.data_dir

        def attempt() -> FasciaError | None:
            try:
                if recovery:
                    unlock_practice(data_dir, recovery_code=secret)
                else:
                    unlock_practice(data_dir, passphrase=secret)
            except FasciaError as error:
                return error  # said on this screen, not in a message box
            return None

        QueryOp(self, attempt, self._on_attempt_done).on_failed(
            lambda _error: self._set_busy(False)
        ).run()

    def _on_attempt_done(self, error: FasciaError | None) -> None:
        self._set_busy(False)
        if error is None:
            self.failures = 0
            self.field.clear()
            self.message.hide()
            self.unlocked.emit()
            return
        self.field.selectAll()
        if not isinstance(error, WrongPassphraseError):
            self._say(str(error))
            return
        self.failures += 1
        self._wait_left = wait_after(self.failures)
        self._say(str(error))
        if self._wait_left:
            self._set_busy(True)
            self._countdown.start()
            self._show_wait(str(error))

    def _show_wait(self, said: str) -> None:
        self._say(f"{said} Try again in {self._wait_left} s.")

    def _on_countdown_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            first = self.message.text().split(" Try again in")[0]
            self._show_wait(first)
            return
        self._countdown.stop()
        self._set_busy(False)
        self.message.setText(self.message.text().split(" Try again in")[0])
        self.field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.field.setEnabled(not busy)
        self.switch.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
