"""A loopback SMTP server that insists on STARTTLS and a login, and an in-memory keyring.

The core's reminder tests and the reminder screens' tests share these (the fixtures are in
tests/conftest.py): nothing leaves the machine, and no test touches the system's keyring.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend

USER, PASSWORD = "jordan@riverside.example", "correct horse"


class Inbox:
    """What the loopback server received, and how it should answer the next message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: str | None = None  # "550 5.1.1 No such user" to refuse the next one
        self.drop = False  # close the connection instead of answering DATA

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.drop:
            server.transport.close()
            return "451 never seen"
        if self.refuse:
            answer, self.refuse = self.refuse, None
            return answer
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK queued"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class _Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(tls: trustme.CA, port: int | None = None) -> Iterator[tuple[Controller, Inbox]]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS and a login, as a real one would
    (on `port`, say one a mailbox already names, or a free one)."""
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port or free_port(),
        server_hostname="localhost",
        tls_context=context,
        require_starttls=True,
        authenticator=_Authenticator(),
        auth_require_tls=True,
        auth_exclude_mechanism=["CRAM-MD5"],
    )
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def client_context(tls: trustme.CA) -> ssl.SSLContext:
    """A client context that trusts the test CA (and nothing else)."""
    context = ssl.create_default_context()
    tls.configure_trust(context)
    return context
