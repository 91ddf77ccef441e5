"""Live updates on screen in clinic mode: what another person saved appears without a click.

`LiveUpdates` watches the practice's LISTEN connection (`practice.store.live.Listener`) with a
QSocketNotifier on the GUI thread: when the socket turns readable it reads what arrived (never
blocking) and announces it through `runner().announce`, the one change signal every `Refresh`
view already follows. No thread of its own. Only a server practice has one.

When the server goes away the status bar says "Server connection lost — reconnecting…" until
a new connection listens again (tried off the GUI thread, 1 s after the loss, then 2, 4 ... up
to 30 s apart); then it says "Reconnected" and every view refreshes once, since what others
saved meanwhile was never heard. Saves report their own errors (with a Retry: `ui.ops`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from practice.changes import KINDS, Changes
from practice.store import Database
from ui.ops import QueryOp, runner
from ui.widgets.status import say

FIRST_RETRY_MS = 1_000
LONGEST_RETRY_MS = 30_000
LOST = "Server connection lost — reconnecting…"
EVERYTHING = Changes(KINDS)


class LiveUpdates(QObject):
    """Announces other copies' changes to this window's views (parented to the window)."""

    def __init__(self, db: Database, parent: QWidget) -> None:
        from practice.store.live import Listener

        super().__init__(parent)
        self._window = parent
        self._listener = Listener(db)
        self._notifier: QSocketNotifier | None = None
        self._connected = False
        self._closed = False
        self._delay = FIRST_RETRY_MS
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)
        self.notice = QLabel(LOST)  # shown while the connection is lost
        self.notice.setAccessibleName("Server connection")
        self.notice.hide()
        if isinstance(parent, QMainWindow):
            parent.statusBar().addPermanentWidget(self.notice)
        self._watch()

    @property
    def listening(self) -> bool:
        return self._connected

    def _watch(self) -> None:
        self._connected = True
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self) -> None:
        if not self._connected:
            return
        try:
            received = self._listener.received()
        except Exception:  # the driver's OperationalError: the server went away
            self._lost()
            return
        by_client: dict[int | None, Changes] = {}
        for changes in received:
            key = changes.client_id
            by_client[key] = by_client.get(key, Changes()) | changes
        for changes in by_client.values():
            runner().announce(changes)

    def _lost(self) -> None:
        self._unwatch()
        self._listener.close()
        self.notice.show()  # stays until reconnected (a status message would fade)
        self._delay = FIRST_RETRY_MS
        self._retry.start(self._delay)

    def _unwatch(self) -> None:
        self._connected = False
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def _on_retry_timeout(self) -> None:
        if self._closed:
            return
        QueryOp(self._window, self._listener.reconnect, self._on_reconnect_tried).run()

    def _on_reconnect_tried(self, connected: bool) -> None:
        if self._closed:
            self._listener.close()
            return
        if not connected:
            self._delay = min(self._delay * 2, LONGEST_RETRY_MS)
            self._retry.start(self._delay)
            return
        self._watch()
        self.notice.hide()
        say(self._window, "Reconnected to the server")
        runner().announce(EVERYTHING)  # what others saved meanwhile was never heard

    def close(self) -> None:
        self._closed = True
        self._retry.stop()
        self._unwatch()
        self._listener.close()
