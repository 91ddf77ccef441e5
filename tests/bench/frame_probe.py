"""Frame-time probe: the longest GUI stall while a therapist works in the main window.

A 1 ms heartbeat timer on the GUI thread notes the gaps between its beats; the longest gap
during an action is how long the window could not repaint or answer a key. The actions are the
app's own (the real launcher, window, pages and editor on a demo practice, offscreen): opening a
client, typing a search, switching through the client's tabs, saving a new note, signing it
(answering the confirmation), billing that visit (its invoice opens), issuing a draft invoice
(answering the confirmation), printing it (the PDF made and previewed), and opening Billing. The
floor is the same heartbeat with the
window open and idle for as long.

It also times opening a client, from the click to the record on screen (`open_and_wait`): the
first client of the session, then the median of five others.

It also notes the session's peak memory (`MEMORY`), all of the above done.

Run alone: `python -m tests.bench.frame_probe FOLDER` prints four JSON objects: the peak
memory, the opening times, each action's GUI-thread CPU, and last action -> worst gap in ms
(and "idle" for the floor). bench_scale runs it in a child process per size.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

SETTLE_MS = 400  # after an action's last step: the work it queued (queries, paints) lands
KEY_GAP_MS = 120  # a quick typist
TAB_GAP_MS = 250
SEARCH = "mar"


class Heartbeat:
    """A 1 ms timer noting the longest gap between its beats since `reset`."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0
        # The GUI thread's own CPU time between two beats, at most: what a stall costs
        # the window itself, apart from other processes taking the cores meanwhile.
        self.last_cpu = time.thread_time()
        self.worst_cpu = 0.0
        self.timer.start()

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self.last)
        self.worst_cpu = max(self.worst_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu

    def reset(self) -> None:
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.worst = self.worst_cpu = 0.0

    def worst_ms(self) -> float:
        self._beat()  # a stall still running at the end counts too
        return self.worst * 1000

    def worst_cpu_ms(self) -> float:
        return self.worst_cpu * 1000


def wait(ms: int) -> None:
    """Run the event loop for `ms` (the heartbeat keeps beating)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def settle(timeout_ms: int = 60_000) -> None:
    """Until every background query and write has landed, then SETTLE_MS more."""
    from ui.ops import runner

    deadline = time.perf_counter() + timeout_ms / 1000
    while not runner().idle and time.perf_counter() < deadline:
        wait(10)
    wait(SETTLE_MS)


def answer_modals(prefix: str) -> Callable[[], None]:
    """Click the button starting with `prefix` on every modal dialog that opens; returns stop."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QApplication

    timer = QTimer()
    timer.setInterval(5)

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            return
        for button in modal.findChildren(QAbstractButton):
            if button.text().replace("&", "").startswith(prefix):
                button.click()
                return

    timer.timeout.connect(look)
    timer.start()
    return timer.stop


# Per action of the last `probe`: the most GUI-thread CPU time between two beats, in ms.
BUSY: dict[str, float] = {}
# How long a client takes to open, in ms: from the click to their record on screen (the tab
# it opens on filled, and its table painted with the rows); "floor": one repaint of the whole
# window, idle.
LATENCY: dict[str, float] = {}
AGAIN = 5  # clients opened after the first, for the median
# The session's peak resident memory in MiB, all of it: the warm-up, the clients opened, the
# note signed, the invoice issued and its PDF made and shown, Billing.
MEMORY: dict[str, float] = {}


def find_in_list(page, client_id: int) -> None:  # type: ignore[no-untyped-def]
    """Type the client's name in the search, as a therapist does before the click."""
    from practice.clients.service import get_client

    client = get_client(page.db, client_id)
    page.search.setText(f"{client.given_name} {client.family_name}")
    settle()
    assert page.model.row_of(client_id) is not None, "the client is not in the list"


def open_and_wait(page, client_id: int) -> float:  # type: ignore[no-untyped-def]
    """Open a client as a click on their row does; ms until the Timeline (the tab a client with
    records opens on) holds their entries, nothing is left to read, and the list of them has
    been painted: the first paint of the Timeline's table after its rows arrived, so the
    record is on screen. (Until this stop the probe then repainted the whole window once more,
    about 7-9 ms at 1440x900 that the therapist does not wait for.)"""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from ui.ops import runner

    class Painted(QObject):
        """Notes a paint of the Timeline's table once the client's rows are in it."""

        seen = False

        def eventFilter(self, _watched, event) -> bool:  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and page._workspace.timeline._loaded:
                self.seen = True
            return False

    painted = Painted()
    watched = None
    started = time.perf_counter()
    page.open_client(client_id)
    app = QApplication.instance()
    deadline = started + 30
    while time.perf_counter() < deadline:
        workspace = page._workspace
        if watched is None and workspace is not None:
            watched = workspace.timeline.table.viewport()  # built by the click, if not before
            watched.installEventFilter(painted)
        app.processEvents()
        timeline = workspace.timeline if workspace is not None else None
        shown = painted.seen or (  # no entries at all: the empty page is shown, not the table
            timeline is not None and timeline._loaded and not timeline.table.isVisible()
        )
        if shown and workspace.isVisible() and timeline.isVisible() and runner().idle:
            break
    elapsed = (time.perf_counter() - started) * 1000
    if watched is not None:
        watched.removeEventFilter(painted)
    return elapsed


def _repaint_ms(window) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    window.repaint()
    return (time.perf_counter() - started) * 1000


def probe(folder: Path) -> dict[str, float]:
    """The longest GUI stall of each action, in ms (and each one's GUI-thread CPU in BUSY)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui import theme
    from ui.app import Launcher

    QCoreApplication.setApplicationName("Fascia bench")
    from ui.collector import collect_on_gui_thread

    app = QApplication.instance() or QApplication([sys.argv[0]])
    collect_on_gui_thread(app)  # as the app does (ui.app.main): garbage collected on the GUI thread
    theme.apply(app, "light")
    launcher = Launcher(app)
    assert launcher.open(folder), "the demo practice did not open"
    window = launcher.windows[0]
    beat = Heartbeat()
    deadline = time.perf_counter() + 120
    while (window.db is None or window.clients is None) and time.perf_counter() < deadline:
        wait(20)
    settle()
    _await_warm_up(window)
    wait(1000)  # the visit reminder
    page = window.clients
    client_id = _busiest_client(window.db)
    # The window opens on Today: go to Clients as the therapist does, so what is opened there
    # is shown and painted (measured from here on).
    next(b for b in window.nav.buttons() if b.accessibleName() == "Clients").click()
    settle()
    gaps: dict[str, float] = {}

    def measure(name: str, *steps: tuple[int, Callable[[], object]]) -> None:
        beat.reset()
        for delay, step in steps:
            if delay:
                wait(delay)
            step()
        settle()
        gaps[name] = beat.worst_ms()
        BUSY[name] = beat.worst_cpu_ms()

    measure("idle (floor)", (2 * SETTLE_MS, lambda: None))
    opened: list[float] = []
    find_in_list(page, client_id)
    measure("open a client", (0, lambda: opened.append(open_and_wait(page, client_id))))
    LATENCY["open a client, the first of the session"] = opened[0]
    again = []
    for other in _busy_clients(window.db, AGAIN + 1)[1:]:
        find_in_list(page, other)
        again.append(open_and_wait(page, other))
        settle()
    LATENCY[f"open a client, later (median of {AGAIN} others)"] = statistics.median(again)
    page.search.clear()
    settle()
    measure(
        f"type a search ({len(SEARCH)} keys)",
        *((KEY_GAP_MS, lambda ch=ch: QTest.keyClick(page.search, ch)) for ch in SEARCH),
    )
    page.search.clear()
    settle()
    page.open_client(client_id)
    settle()
    tabs = page.workspace.tabs
    measure(
        f"switch tabs ({tabs.count()})",
        *((TAB_GAP_MS, lambda i=i: tabs.setCurrentIndex(i)) for i in range(tabs.count())),
    )
    measure("new note", (0, page.workspace.new_visit))
    editor = page.workspace.visits.editor
    QTest.keyClicks(editor.subjective.fields["complaint"], "Stiff neck since Monday")
    QTest.keyClicks(editor.plan.fields["home_care"], "Heat 15 minutes")
    from PySide6.QtGui import QAction

    save = next(a for a in window.findChildren(QAction) if a.text() == "&Save")
    measure("save the note (Ctrl+S)", (0, save.trigger))
    stop = answer_modals("Sign")
    measure("sign the note", (0, lambda: QTest.mouseClick(editor.sign_button, Qt.LeftButton)))
    stop()
    action = page.workspace.visits.billing
    measure("bill the visit", (0, lambda: QTest.mouseClick(action.bill_button, Qt.LeftButton)))
    _close(action.dialog)
    invoice = _draft_invoice(window.db, client_id)
    from ui.billing.invoice_dialog import InvoiceDialog

    dialog = InvoiceDialog(window.db, invoice, window)
    dialog.open()
    settle()
    stop = answer_modals("Yes")
    measure(
        "issue an invoice",
        (0, lambda: QTest.mouseClick(dialog.editor.issue_button, Qt.LeftButton)),
    )
    stop()
    previews: list[object] = []
    measure("print the invoice (preview)", (0, lambda: previews.append(dialog.editor.print_pdf())))
    _close(previews[0])
    _close(dialog)
    measure("open Billing", (0, window._on_billing))
    wait(1000)  # workers still reporting to the window
    LATENCY["floor"] = min(_repaint_ms(window) for _ in range(9))
    MEMORY["peak"] = _peak_mib()
    launcher.close_all()
    return gaps


def _peak_mib() -> float:
    """This process's peak resident memory so far (VmHWM; ru_maxrss where there is no /proc)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _await_warm_up(window=None, timeout_s: float = 300) -> None:  # type: ignore[no-untyped-def]
    """Until the app's warm-up and what it builds while idle are done (`window.warmed_up`):
    stalls are measured in a settled session."""
    import threading

    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline and (
        any(t.name == "fascia-warm-up" for t in threading.enumerate())
        or (window is not None and not window.warmed_up)
    ):
        wait(50)


def _close(dialog) -> None:  # type: ignore[no-untyped-def]
    if dialog is not None:
        dialog.reject()
        settle()


def _draft_invoice(db, client_id: int) -> int:  # type: ignore[no-untyped-def]
    """A draft invoice of one line (the first treatment service) for the client."""
    from practice.billing import service
    from practice.billing.records import LineForm, ServiceKind

    first = service.list_services(db, kind=ServiceKind.TREATMENT)[0]
    return service.create_invoice(db, client_id, [LineForm(service_id=first.id)]).id


def _busiest_client(db) -> int:  # type: ignore[no-untyped-def]
    """The client with the most visits who signed the consent (signing needs it)."""
    return _busy_clients(db, 1)[0]


def _busy_clients(db, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The `count` clients with the most visits who signed the consent, busiest first (none
    archived: the list shows them)."""
    from sqlalchemy import text

    with db.read() as session:
        return [
            int(client_id)
            for client_id in session.execute(
                text(
                    "SELECT v.client_id FROM visit v JOIN consent c ON c.client_id = v.client_id"
                    " JOIN client k ON k.id = v.client_id WHERE NOT k.archived"
                    " GROUP BY v.client_id ORDER BY count(*) DESC, v.client_id LIMIT :count"
                ),
                {"count": count},
            ).scalars()
        ]


if __name__ == "__main__":
    stalls = probe(Path(sys.argv[1]))
    print(json.dumps({"memory": MEMORY}))
    print(json.dumps({"latency": LATENCY}))
    print(json.dumps({"busy": BUSY}))
    print(json.dumps(stalls))
