"""Progress and cancellation for long work (backup, export, import, checks), with no Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable

from practice.errors import FasciaError


class Cancelled(FasciaError):
    """The person cancelled the work; whatever it had written is rolled back or removed."""


class Progress:
    """Handed to long core functions: they report steps and check for a cancel between them.

    `on_report(done, total, text)` is called from the worker thread; the UI's op runner relays
    it to the GUI thread. `total` 0 means "unknown" (a busy indicator).
    """

    def __init__(self, on_report: Callable[[int, int, str], None] | None = None) -> None:
        self._on_report = on_report
        self._cancel = threading.Event()
        self.text = ""

    def report(self, done: int, total: int = 0, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.check()
        if self._on_report is not None:
            self._on_report(done, total, self.text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled when the person asked to stop."""
        if self._cancel.is_set():
            raise Cancelled("Cancelled; nothing was changed.")


def silent() -> Progress:
    return Progress()
