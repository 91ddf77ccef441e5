"""The one way from the screen to the core: database and file work off the GUI thread.

Modelled on Anki's `aqt.operations` and `taskman`:

    QueryOp(self, lambda: service.search_clients(db, text), self._show).run(key="search")
    WriteOp(self, lambda: service.save_client(db, id, form), self._saved,
            changes=lambda client: Changes.of("client", client_id=client.id)).run()

* Reads run on a small pool; writes run one at a time on their own thread, in the order
  they were asked for, so two writes never race for SQLite's lock.
* Success and failure callbacks run on the GUI thread, and only while the widget that asked
  (the parent) still exists: closing a window mid-load is harmless.
* A query run again with the same `key` drops the older one's result (a search on every key).
* One failure path: a `ValidationError` goes to `on_invalid` (the form shows it next to its
  field) or, without one, to a plain message; other `FasciaError`s (a locked or missing record,
  a cancel) to a plain message; anything else to the error dialog with the details.
* A write reports what it changed; `runner().changed` carries that to every view, and
  `Refresh` refreshes a view when the change concerns it: at once if shown, else when next
  shown.
* `runner().hurry(ms, since=runner().mark())` lets a click wait a few milliseconds for the reads
  it asked for and hands their results over at once: opening a client paints the record with
  its rows, not an empty list first. A read still going at the deadline reports as usual.
* `with_progress(text)` shows a progress dialog if the work takes longer than a moment; work
  that accepts a `Progress` argument reports steps through it and can be cancelled.
* A form's Save or a dialog's OK uses `write_from` (or `accept_when_written`): its buttons wait,
  disabled, until the write lands, so a second click never writes twice. Flows that need the
  outcome before going on (Ctrl+S, "Save changes first?", the window's close) use `write_now`,
  the same write run at once, after `runner().wait_idle()`.

Reads that stay on the GUI thread: each measured under 5 ms on the 10,000-client demo (median
of 20 after a warm-up, for the client with the most visits: `python -m tests.bench.gui_reads
DIR`; runs on 2 cores shared with other work, load 2-10, December 2026). Anything slower goes
through `QueryOp`.

    clients.get_client 0.6-1.2 ms     clients.alerts_for 0.6-1.2 (6.3 under the worst load)
    clients.consent_forms 0.4-1.3     clients.list_physicians 0.6-1.9 (5.8 once)
    clients.intake_history 0.5-1.3    clients.get_profile 0.4-0.9
    plans.active_plan 0.4-1.1         techniques_by_code 0.9-2.1 (5.9 and 9.7 once each)
    visits.list_templates 0.3-1.0     billing.list_tax_rates 0.5-1.0
    billing.get_settings 0.4-0.7      billing.next_number 0.7-0.8
    billing.list_services 1.1-1.8     MoneyFormat.of 0.4-1.0
    bodymap.chart_history 1.4-2.0     bodymap.get_chart 0.8-1.3 (the comparison view)

Over 5 ms at times: `visits.get_visit` 2-24 ms, `billing.invoices_for_visit` 3-28,
`billing.client_account` 3-24, and the body map's `chart_versions` (1.5-6.5). They are read
on the op runner only: opening a note, a visit's billing button, charting a visit, the body
map's charts, visits and versions, the payment dialog's balance and the client's Billing tab.
An invoice's window is read whole on the op runner (`ui/billing/invoice_read.py`) and opens
once read; a tab's list (visits, consents, plans and a plan's course, charts) is read there
when the tab is shown.
"""

from __future__ import annotations

import inspect
import itertools
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.changes import NOTHING, Changes
from practice.errors import FasciaError, ServerGoneError, ValidationError
from practice.progress import Cancelled, Progress

T = TypeVar("T")

PROGRESS_DELAY_MS = 400  # quick work never flashes a dialog


class OpRunner(QObject):
    """The executors, the GUI-thread relay and the one change signal (one per application).

    An op is held here, on the GUI thread, from `submit` until its callbacks have run and its
    outcome's signal has arrived (`hurry` may run the callbacks first), and a worker only
    borrows it: every last reference to an op (and to the widgets its callbacks
    hold) is dropped on the GUI thread, so no Qt object is ever destroyed on a worker.
    """

    changed = Signal(object, object)  # Changes, the widget whose op made them (or None)
    _deliver = Signal(object)  # a closure to run on the GUI thread
    _concluded = Signal(int, object)  # an op's slot and how its work ended

    def __init__(self) -> None:
        super().__init__()
        self._reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fascia-read")
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fascia-write")
        self._latest: dict[tuple[int, str], int] = {}
        self._tokens = itertools.count(1)
        self._held: dict[int, _Op[Any]] = {}
        # Per held op: set by its worker once the work has ended, with how (`hurry`), and
        # the ops `hurry` concluded before their outcome's signal arrived.
        self._ready: dict[int, threading.Event] = {}
        self._outcomes: dict[int, _Outcome] = {}
        self._hurried: set[int] = set()
        self._pending = 0
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self._concluded.connect(self._on_concluded, Qt.ConnectionType.QueuedConnection)

    # -- used by the ops

    def submit(self, op: _Op[Any], *, write: bool) -> None:
        self._pending += 1
        slot = next(self._tokens)
        self._held[slot] = op
        self._ready[slot] = threading.Event()
        (self._writes if write else self._reads).submit(self._perform, slot)

    def _perform(self, slot: int) -> None:
        """On a worker: the op's work, then its outcome to the GUI thread (the op stays held)."""
        outcome = self._held[slot].perform()
        self._outcomes[slot] = outcome
        self._ready[slot].set()  # `hurry` may conclude it now, on the GUI thread
        self._concluded.emit(slot, outcome)

    def _on_concluded(self, slot: int, outcome: _Outcome) -> None:
        op = self._held.pop(slot)
        del self._ready[slot], self._outcomes[slot]
        if slot in self._hurried:  # concluded already
            self._hurried.discard(slot)
        else:
            op.conclude(outcome)

    def mark(self) -> int:
        """A point in the order of ops: `hurry(since=...)` waits only for those asked after it."""
        return next(self._tokens)

    def hurry(self, wait_ms: float, *, since: int) -> None:
        """Conclude the reads asked for after `since` as soon as they are done, waiting at most
        `wait_ms` for them, here on the GUI thread: what a click asked for then reaches the
        screen in its first paint, instead of an empty view painted first and the rows a turn
        of the event loop later. The wait lets the workers run (it holds no lock); a read still
        going at the deadline reports as usual. Writes are never waited for."""
        deadline = time.perf_counter() + wait_ms / 1000
        for slot, op in list(self._held.items()):
            if slot < since or op._write or slot in self._hurried:
                continue
            ready = self._ready.get(slot)
            if ready is None:  # concluded by a callback of one above
                continue
            if not ready.wait(max(0.0, deadline - time.perf_counter())):
                return  # the deadline: this one and those after it report as usual
            self._hurried.add(slot)  # the outcome's signal, still on its way, only lets go
            op.conclude(self._outcomes[slot])

    def describe(self) -> list[str]:
        """The ops still held (their work's names), for a test that waited too long."""
        return [
            f"{type(op).__name__} {getattr(op._work, '__qualname__', op._work)}"
            for op in self._held.values()
        ]

    def deliver(self, closure: Callable[[], None]) -> None:
        """Run `closure` on the GUI thread (callable from any thread)."""
        self._deliver.emit(closure)

    def claim(self, parent: QObject, key: str) -> int:
        token = next(self._tokens)
        self._latest[(id(parent), key)] = token
        return token

    def is_latest(self, parent: QObject, key: str, token: int) -> bool:
        return self._latest.get((id(parent), key)) == token

    def _on_deliver(self, closure: Callable[[], None]) -> None:
        closure()

    def done(self) -> None:
        self._pending -= 1

    @property
    def idle(self) -> bool:
        """No op is waiting or running (tests wait on this)."""
        return self._pending == 0

    def announce(self, changes: Changes, origin: QObject | None = None) -> None:
        """Tell every view what a write changed (ops do this; so may code that writes inline)."""
        if changes:
            self.changed.emit(changes, origin)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Let every queued op finish (delivering its callbacks); False if time ran out."""
        deadline = QDeadlineTimer(timeout_ms)
        while not self.idle and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return self.idle

    def shutdown(self) -> None:
        """Wait for queued writes to finish (on quit: a save that was asked for is kept)."""
        self._writes.shutdown(wait=True)
        self._reads.shutdown(wait=False, cancel_futures=True)


_RUNNER: OpRunner | None = None


def runner() -> OpRunner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = OpRunner()
    return _RUNNER


@dataclass(frozen=True)
class _Outcome:
    """How an op's work ended: a result, an error (with its traceback as text), or stale."""

    result: Any = None
    error: BaseException | None = None
    details: str = ""
    stale: bool = False


class _Op(Generic[T]):
    _write = False

    def __init__(
        self,
        parent: QObject,
        work: Callable[..., T],
        on_done: Callable[[T], None] | None = None,
    ) -> None:
        self._parent = parent
        self._work = work
        self._on_done = on_done
        self._on_invalid: Callable[[ValidationError], None] | None = None
        self._on_failed: Callable[[BaseException], None] | None = None
        self._after: Callable[[], None] | None = None
        self._progress_text: str | None = None
        self._cancellable = False
        self._wants_progress = _accepts_progress(work)
        self._key: str | None = None
        self._token = 0
        self._dialog: ProgressDialog | None = None
        self._progress: Progress | None = None

    def on_invalid(self, callback: Callable[[ValidationError], None]) -> _Op[T]:
        """Show a ValidationError next to its field instead of in a message."""
        self._on_invalid = callback
        return self

    def on_failed(self, callback: Callable[[BaseException], None]) -> _Op[T]:
        """Also told of any failure (after it is shown), to put the screen back as it was."""
        self._on_failed = callback
        return self

    def after(self, callback: Callable[[], None]) -> _Op[T]:
        """Called once the op has ended, whether it succeeded or not (re-enable a button)."""
        self._after = callback
        return self

    def with_progress(self, text: str, *, cancellable: bool = False) -> _Op[T]:
        self._progress_text = text
        self._cancellable = cancellable
        return self

    def run(self, *, key: str | None = None) -> None:
        """Start the work in the background; callbacks come back on the GUI thread."""
        ops = runner()
        self._key = key
        self._token = ops.claim(self._parent, key) if key else 0
        self._dialog = self._progress_dialog()
        if self._wants_progress or self._dialog:
            self._progress = Progress(self._reporter(self._dialog))
        if self._dialog is not None and self._progress is not None:
            self._dialog.canceled.connect(self._progress.cancel)
        ops.submit(self, write=self._write)

    def _stale(self) -> bool:
        """A newer query with this key was asked for: this one's result is not wanted."""
        return bool(self._key) and not runner().is_latest(
            self._parent, self._key or "", self._token
        )

    def perform(self) -> _Outcome:
        """On a worker thread: the work, and how it ended."""
        if self._stale():
            return _Outcome(stale=True)
        try:
            result = self._work(self._progress) if self._wants_progress else self._work()
        except BaseException as error:  # reported on the GUI thread, never swallowed
            details = traceback.format_exc()
            error.__traceback__ = None  # its frames hold the work's objects: freed here, now
            return _Outcome(error=error, details=details)
        if self._stale():
            return _Outcome(stale=True)
        return _Outcome(result=result)

    def conclude(self, outcome: _Outcome) -> None:
        """On the GUI thread: the callbacks for how the work ended."""
        if outcome.error is not None:
            self._failed(outcome.error, outcome.details, self._dialog)
        elif outcome.stale or (not self._write and self._stale()):
            # A newer query was asked for while this one was on its way back: a worker can pass
            # its check, then be held up while the newer one overtakes it on the other worker
            # (seen under load: the older week shown last). A write always reports.
            self._finish(self._dialog)
        else:
            self._succeeded(outcome.result, self._dialog)

    # -- on the GUI thread

    def _alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _finish(self, dialog: ProgressDialog | None) -> None:
        runner().done()
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.finish()
        if self._after is not None and self._alive():
            self._after()

    def _succeeded(self, result: T, dialog: ProgressDialog | None) -> None:
        try:
            self._announce(result)
            if self._on_done is not None and self._alive():
                self._on_done(result)
        finally:
            self._finish(dialog)

    def _announce(self, result: T) -> None:
        pass

    def _failed(self, error: BaseException, details: str, dialog: ProgressDialog | None) -> None:
        if self._write and isinstance(error, ServerGoneError) and self._alive():
            self._offer_retry(error, dialog)
            return
        try:
            if not self._alive():
                if not isinstance(error, FasciaError):
                    print(details, file=sys.stderr, flush=True)
                return
            if isinstance(error, ValidationError) and self._on_invalid is not None:
                self._on_invalid(error)
            elif isinstance(error, Cancelled):
                pass
            elif isinstance(error, ServerGoneError) and _says_status(self._parent, str(error)):
                pass  # a read while the server is away: no box per read (saves offer Retry)
            elif isinstance(error, FasciaError):
                show_message(self._parent, error)
            else:
                show_unexpected(self._parent, details)
            if self._on_failed is not None:
                self._on_failed(error)
        finally:
            self._finish(dialog)

    def _offer_retry(self, error: ServerGoneError, dialog: ProgressDialog | None) -> None:
        """A write the server went away from saved nothing: say so, and run it again on Retry
        (its form's buttons stay held until then; Cancel gives them back)."""
        runner().done()
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.finish()
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Fascia", str(error), parent=window_of(self._parent)
        )
        box.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(button: int) -> None:
            box.deleteLater()
            if button == QMessageBox.StandardButton.Retry and self._alive():
                self.run()
                return
            if self._on_failed is not None and self._alive():
                self._on_failed(error)
            if self._after is not None and self._alive():
                self._after()

        box.finished.connect(answered)
        box.open()

    def _progress_dialog(self) -> ProgressDialog | None:
        if self._progress_text is None:
            return None
        return ProgressDialog(self._progress_text, window_of(self._parent), self._cancellable)

    def _reporter(self, dialog: ProgressDialog | None) -> Callable[[int, int, str], None]:
        def report(done: int, total: int, text: str) -> None:
            def show() -> None:
                if dialog is not None and shiboken6.isValid(dialog):
                    dialog.show_progress(done, total, text)

            runner().deliver(show)

        return report


class ProgressDialog(QDialog):
    """What a long op is doing, shown only if it takes longer than a moment.

    Unlike QProgressDialog, updating it never runs a nested event loop (a modal
    QProgressDialog processes events in setValue), so an op's callbacks can never run inside
    another op's progress report.
    """

    canceled = Signal()

    def __init__(self, text: str, parent: QWidget | None, cancellable: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fascia")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(320)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.cancel_button: QPushButton | None = None
        if cancellable:
            self.cancel_button = QPushButton("Cancel")
            self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.cancel_button)
            layout.addLayout(row)
        self._shown_after = QTimer(self)
        self._shown_after.setSingleShot(True)
        self._shown_after.timeout.connect(self.show)
        self._shown_after.start(PROGRESS_DELAY_MS)

    def show_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(max(done, 0), total))
            self.bar.setTextVisible(True)
        if text:
            self.label.setText(text)

    def finish(self) -> None:
        self._shown_after.stop()
        self.hide()
        self.deleteLater()

    def reject(self) -> None:  # Escape cancels when cancelling is offered, else does nothing
        if self.cancel_button is not None:
            self._on_cancel_button_clicked()

    def _on_cancel_button_clicked(self) -> None:
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")
        self.canceled.emit()


class QueryOp(_Op[T]):
    """A read: its result goes to `on_done`; nothing is announced."""


class WriteOp(_Op[T]):
    """A write: run in order with every other write; what it changed is announced.

    `changes` is a `Changes`, or a function of the result that returns one (the id of a client
    just created, say).
    """

    _write = True

    def __init__(
        self,
        parent: QObject,
        work: Callable[..., T],
        on_done: Callable[[T], None] | None = None,
        *,
        changes: Changes | Callable[[T], Changes] = NOTHING,
    ) -> None:
        super().__init__(parent, work, on_done)
        self._changes = changes

    def _announce(self, result: T) -> None:
        changes = self._changes(result) if callable(self._changes) else self._changes
        runner().announce(changes, self._parent if self._alive() else None)


def write_from(
    form: QWidget,
    buttons: QWidget,
    work: Callable[[], T],
    done: Callable[[T], None],
    refused: Callable[[ValidationError], None] | None = None,
    *,
    changes: Changes | Callable[[T], Changes] = NOTHING,
    failed: Callable[[BaseException], None] | None = None,
) -> None:
    """A form's or a dialog's write (OK, Save): `buttons` wait, disabled, until it has landed,
    so a second click cannot write twice; `done` then closes the dialog or shows the result,
    `refused` shows a ValidationError next to its field, and `failed` hears of any other
    failure after its message (to offer a way on)."""
    buttons.setEnabled(False)
    op = WriteOp(form, work, done, changes=changes)
    if refused is not None:
        op.on_invalid(refused)
    if failed is not None:
        op.on_failed(failed)
    op.after(lambda: buttons.setEnabled(True)).run()


def accept_when_written(
    dialog: QDialog,
    buttons: QWidget,
    work: Callable[[], T],
    refused: Callable[[ValidationError], None] | None = None,
    *,
    changes: Changes | Callable[[T], Changes] = NOTHING,
) -> None:
    """A dialog's OK: `work` on the op runner, then the dialog keeps the result in `saved`
    and accepts, so a caller that `exec()`s or `open()`s it is unchanged. The dialog's
    `reject()` should wait while `buttons` are held (see `holding`)."""

    def done(saved: T) -> None:
        dialog.saved = saved  # type: ignore[attr-defined]
        dialog.accept()

    write_from(dialog, buttons, work, done, refused, changes=changes)


def holding(buttons: QWidget) -> bool:
    """A write of these buttons' form is on its way (Escape then waits for it to land)."""
    return not buttons.isEnabled()


def write_now(
    form: QWidget,
    work: Callable[[], T],
    done: Callable[[T], None],
    refused: Callable[[ValidationError], None] | None = None,
    *,
    changes: Changes | Callable[[T], Changes] = NOTHING,
    failed: Callable[[BaseException], None] | None = None,
) -> T | None:
    """The same write as `write_from`, run at once on the GUI thread: only for the flows that
    need its outcome before they go on (Ctrl+S answering whether it saved, "Save changes
    first?" before leaving, closing the window). Build `work` after `runner().wait_idle()`, so
    a write already on its way lands first and the form's state is what it left. None, with
    the reason shown, when nothing was written."""
    try:
        result = work()
    except ValidationError as error:
        if refused is not None:
            refused(error)
        else:
            show_message(form, error)
        return None
    except FasciaError as error:
        show_message(form, error)
        if failed is not None:
            failed(error)
        return None
    runner().announce(changes(result) if callable(changes) else changes, form)
    done(result)
    return result


def save_now(
    form: QWidget,
    build: Callable[[], Callable[[], T] | None],
    landed: Callable[[], Callable[[T], None]],
    refused: Callable[[ValidationError], None],
    changes: Changes | Callable[[T], Changes],
) -> T | None:
    """A form's Ctrl+S: any write on its way lands first, then the form's write (`build`
    makes it from what is typed, or shows why not and gives None) runs at once."""
    runner().wait_idle()
    work = build()
    return None if work is None else write_now(form, work, landed(), refused, changes=changes)


def save_soon(
    form: QWidget,
    buttons: QWidget,
    build: Callable[[], Callable[[], T] | None],
    landed: Callable[[], Callable[[T], None]],
    refused: Callable[[ValidationError], None],
    changes: Changes | Callable[[T], Changes],
) -> None:
    """A form's Save button: the same write, on the op runner (`write_from`)."""
    work = build()
    if work is not None:
        write_from(form, buttons, work, landed(), refused, changes=changes)


def _accepts_progress(work: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(work).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        for p in parameters
    )


def window_of(parent: QObject) -> QWidget | None:
    """The window a message about `parent`'s op belongs to (a plain QObject: the active one)."""
    if isinstance(parent, QWidget):
        return parent.window()
    return QApplication.activeWindow()


def _says_status(parent: QObject, message: str) -> bool:
    """Show `message` in the status bar of `parent`'s main window; False when it has none."""
    show = getattr(window_of(parent), "show_status", None)
    if show is None:
        return False
    show(message)
    return True


def show_message(parent: QObject, error: BaseException) -> None:
    """A plain message for an error a person can act on (a locked or missing record)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Fascia", str(error), parent=window_of(parent))
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()


def show_unexpected(parent: QObject, details: str) -> None:
    """The error dialog: what happened in plain words, the traceback on request."""
    print(details, file=sys.stderr, flush=True)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "Fascia hit an unexpected problem. Your saved records are safe; "
        "the last action may not have completed.",
        parent=window_of(parent),
    )
    box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()


_LIVE_REFRESHES: dict[int, Refresh] = {}


class Refresh(QObject):
    """Refreshes a view when a change concerns it: at once if it is shown, else when next shown.

    `kinds` are the change kinds the view shows; `client_id` returns the client it shows (None
    for every client). `skip_own` ignores changes made by the view's own ops, which update it
    in their success callbacks. `for_client(id)`, for a view of every client, refreshes what
    it shows of one client when a shown view hears of a change to that client alone.
    """

    def __init__(
        self,
        view: QWidget,
        kinds: Iterable[str],
        refresh: Callable[[], None],
        *,
        client_id: Callable[[], int | None] | None = None,
        skip_own: bool = False,
        for_client: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._kinds = frozenset(kinds)
        self._refresh = refresh
        self._for_client = for_client
        self._client_id = client_id or (lambda: None)
        self._skip_own = skip_own
        self.stale = False
        runner().changed.connect(self._on_changed)
        view.installEventFilter(self)
        # Held while the Qt object lives: the view and this object refer to each other, and
        # the cyclic collector must not clear what Qt still calls (a view kept only by Qt).
        key = id(self)
        _LIVE_REFRESHES[key] = self
        self.destroyed.connect(lambda *_: _LIVE_REFRESHES.pop(key, None))

    def _on_changed(self, changes: Changes, origin: QObject | None) -> None:
        if not shiboken6.isValid(self._view):
            return
        if self._skip_own and origin is not None and _is_within(origin, self._view):
            return
        if not changes.touches(self._kinds, self._client_id()):
            return
        if not self._view.isVisible():
            self.stale = True
        elif self._for_client is not None and changes.client_id is not None:
            self._for_client(changes.client_id)
        else:
            self._refresh()

    def request(self) -> None:
        """Refresh now if the view is shown, else when it is next shown (a new client, say)."""
        if self._view.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def ensure(self) -> None:
        """Refresh now if a refresh is pending: before a caller works on what the view shows
        (a tab asked to open one record of the client it has not loaded yet)."""
        if self.stale:
            self.stale = False
            self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            QTimer.singleShot(0, self._refresh_if_alive)
        return False

    def _refresh_if_alive(self) -> None:
        if shiboken6.isValid(self._view):
            self.ensure()  # unless a caller already did


def _is_within(widget: QObject, ancestor: QObject) -> bool:
    node: QObject | None = widget
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent()
    return False
