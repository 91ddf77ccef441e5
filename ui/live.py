"""Live updates on screen in clinic mode: what another person saved appears without a click.

`LiveUpdates` watches the practice's LISTEN connection (`practice.store.live.Listener`) with a
QSocketNotifier on the GUI thread: when the socket turns readable it reads what arrived (never
blocking) and announces it through `runner().announce`, the one change signal every `Refresh`
view already follows. No thread of its own. Only a server practice has one; when the server
goes away the updates stop and the status bar says so (saves report their own errors).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QWidget

from practice.changes import Changes
from practice.store import Database
from ui.ops import runner
from ui.widgets.status import say


class LiveUpdates(QObject):
    """Announces other copies' changes to this window's views (parented to the window)."""

    def __init__(self, db: Database, parent: QWidget) -> None:
        from practice.store.live import Listener

        super().__init__(parent)
        self._listener: Listener | None = Listener(db)
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)
        self._window = parent

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def _on_notifier_activated(self) -> None:
        if self._listener is None:
            return
        try:
            received = self._listener.received()
        except Exception:  # the driver's OperationalError: the server went away
            self.close()
            say(self._window, "Live updates stopped: the server is not answering.")
            return
        by_client: dict[int | None, Changes] = {}
        for changes in received:
            key = changes.client_id
            by_client[key] = by_client.get(key, Changes()) | changes
        for changes in by_client.values():
            runner().announce(changes)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
