"""Signing in to a clinic's server: `fascia --server URL` asks for the password here.

The first attempt uses the address as given (a server that trusts this computer, or a URL that
carries a password, opens at once, this dialog never shown). When the server wants a password
or refuses the one given, the dialog asks, with the user name from the address; the refusal is
said next to the password field and they try again. A server that is down or too slow, a
database with no practice, a malformed address and a server on a newer schema each get one
message, with Retry where retrying can help and Quit always. Enter signs in, Escape quits.

The password lives only in the field and in the address handed to the engine (held in memory
for its connections): it is never written to a file, to the settings or to a log, and it is
not in the Database's repr.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.errors import FasciaError, NewerDatabaseError
from practice.store import Database
from ui import icons, theme
from ui.ops import QueryOp

# What each kind of failure lets a person do: try again (the same or other credentials), or
# only quit (nothing on this screen can change the address or this version of Fascia).
RETRY = frozenset({"unreachable", "no_practice", "database", "older", "other"})
FIX_CREDENTIALS = frozenset({"password", "login"})


def with_credentials(url: str, user: str, password: str) -> str:
    """The address with this user and password (URL-quoted by SQLAlchemy)."""
    from sqlalchemy.engine import make_url

    from practice.store.engines import server_url

    address = make_url(server_url(url)).set(username=user or None, password=password or None)
    return address.render_as_string(hide_password=False)


def attempt(url: str, data_dir: Path) -> Database | FasciaError:
    """Open the server's practice, or the error saying why not (on a worker thread)."""
    from practice.store.server import local_folder, open_server

    try:
        return open_server(url, local_folder(data_dir, url))
    except FasciaError as error:
        return error


def reason_of(error: FasciaError) -> str:
    """What kind of failure: a ServerError's reason, "address", "newer" or "other"."""
    from practice.store.engines import ServerAddressError

    if isinstance(error, ServerAddressError):
        return "address"
    if isinstance(error, NewerDatabaseError):
        return "newer"
    return str(getattr(error, "reason", "other"))


class SignInDialog(QDialog):
    """Signs in to the server at `url`; `signed_in` carries the open Database."""

    signed_in = Signal(object)  # Database

    def __init__(self, url: str, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.setWindowTitle("Sign in to the clinic — Fascia")
        self.url = url
        self.data_dir = data_dir
        self.busy = False
        self.reason = ""
        self.setMinimumWidth(460)

        mark = QLabel()
        mark.setPixmap(icons.pixmap("server", 36, theme.colours().accent))
        title = QLabel("Sign in to the clinic")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        self.server = QLabel()
        self.server.setProperty("muted", True)
        self.server.setWordWrap(True)
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(title)
        heading.addWidget(self.server)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.user = QLineEdit()
        self.user.setMaxLength(63)
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1000)
        self.password.setAccessibleName("Password")
        self.password_error = QLabel()
        self.password_error.setProperty("role", "error")
        self.password_error.setWordWrap(True)
        self.password_error.hide()
        form = QFormLayout()
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow("", self.password_error)

        self.message = QLabel()
        self.message.setObjectName("SignInMessage")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.quit_button = QPushButton("Quit")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.sign_in_button = QPushButton(icons.icon("log-in"), "Sign in")
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._read_address()

    def _read_address(self) -> None:
        """The server and the user name from the address (a malformed one: Quit only)."""
        from sqlalchemy.engine import make_url

        from practice.store.engines import server_url
        from practice.store.server import describe

        try:
            parsed = make_url(server_url(self.url))
        except FasciaError as error:
            self.server.setText("No server address Fascia can use")
            self.show_failure(error)
            return
        self.server.setText(f"Practice {describe(self.url)}")
        self.user.setText(parsed.username or "")
        self.password.setText(parsed.password or "")  # from the address, never stored

    # ------------------------------------------------------------------ signing in

    def start(self) -> None:
        """The first attempt, with the address as given; the dialog shows only if it fails."""
        if self.reason == "address":
            self.show()
            return
        self._run(self.url, first=True)

    def sign_in(self) -> None:
        """Enter or Sign in / Retry: try with what the fields hold."""
        if self.busy or self.reason in ("address", "newer"):
            return
        if self.reason in FIX_CREDENTIALS and not self.password.text():
            self._say_about_password("Type your password.")
            self.password.setFocus()
            return
        self._run(with_credentials(self.url, self.user.text().strip(), self.password.text()))

    def _run(self, url: str, *, first: bool = False) -> None:
        self._set_busy(True)
        data_dir = self.data_dir
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def done(result: Database | FasciaError) -> None:
            QGuiApplication.restoreOverrideCursor()
            self._set_busy(False)
            if isinstance(result, Database):
                self.password.clear()
                self.hide()
                self.signed_in.emit(result)
                self.accept()
            else:
                self.show_failure(result, first=first)

        def failed(_error: BaseException) -> None:
            QGuiApplication.restoreOverrideCursor()
            self._set_busy(False)
            self.show()

        QueryOp(self, lambda: attempt(url, data_dir), done).on_failed(failed).run()

    # ------------------------------------------------------------------ saying why

    def show_failure(self, error: FasciaError, *, first: bool = False) -> None:
        """Say what went wrong where it belongs, offer what can be done, and show the dialog."""
        self.reason = reason_of(error)
        self.message.hide()
        self.password_error.hide()
        if self.reason == "password":
            if not first:  # they pressed Sign in with an empty password
                self._say_about_password("Type your password.")
        elif self.reason == "login":  # the server is named above: the field says only this
            self._say_about_password(
                "The server refused this user name and password. Check them and try again."
            )
        else:
            self.message.setText(str(error))
            self.message.show()
        can_retry = self.reason in RETRY or self.reason in FIX_CREDENTIALS
        self.sign_in_button.setVisible(can_retry)
        self.sign_in_button.setText("Retry" if self.reason in RETRY else "Sign in")
        self.user.setEnabled(can_retry)
        self.password.setEnabled(can_retry)
        if not can_retry:
            self.quit_button.setDefault(True)
        self.show()
        self.adjustSize()  # room for what is said now
        self.activateWindow()
        focus = self.password if self.reason in FIX_CREDENTIALS else self.sign_in_button
        if not self.user.text() and self.reason in FIX_CREDENTIALS:
            focus = self.user
        (focus if can_retry else self.quit_button).setFocus()
        if self.reason in FIX_CREDENTIALS:
            self.password.selectAll()

    def _say_about_password(self, text: str) -> None:
        self.password_error.setText(text)
        self.password_error.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.user, self.password, self.sign_in_button):
            widget.setEnabled(not busy)
        if busy:
            self.sign_in_button.setText("Signing in…")
        else:
            self.sign_in_button.setText("Retry" if self.reason in RETRY else "Sign in")
