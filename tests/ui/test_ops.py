"""The op runner: background work, GUI-thread callbacks, one failure path, change-driven refresh."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from practice.changes import Changes
from practice.errors import LockedRecordError, ValidationError
from practice.progress import Progress
from ui.ops import ProgressDialog, QueryOp, Refresh, WriteOp, runner


@pytest.fixture
def widget(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    w = QWidget()
    qtbot.addWidget(w)
    return w


def _wait_idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: runner().idle, timeout=5000)


def test_a_query_runs_off_the_gui_thread_and_answers_on_it(qtbot, widget) -> None:
    seen: dict[str, object] = {}

    def work() -> str:
        seen["worker"] = threading.current_thread()
        return "rows"

    def done(result: str) -> None:
        seen["result"] = result
        seen["callback"] = threading.current_thread()

    QueryOp(widget, work, done).run()
    _wait_idle(qtbot)
    assert seen["result"] == "rows"
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()


def test_a_newer_query_with_the_same_key_drops_the_older_result(qtbot, widget) -> None:
    shown: list[str] = []
    gate = threading.Event()

    def slow() -> str:
        gate.wait(2)
        return "old"

    QueryOp(widget, slow, shown.append).run(key="search")
    QueryOp(widget, lambda: "new", shown.append).run(key="search")
    gate.set()
    _wait_idle(qtbot)
    assert shown == ["new"]


def test_an_older_query_overtaken_on_its_way_back_is_dropped_too(qtbot, widget) -> None:
    """The older query passed its check on the worker, then was held up (a loaded machine)
    while the newer one came back first: the newer answer stays."""
    shown: list[str] = []
    checked, go = threading.Event(), threading.Event()
    older = QueryOp(widget, lambda: "old", shown.append)
    perform = older.perform

    def held_up():  # type: ignore[no-untyped-def]
        outcome = perform()  # checked: still the latest
        checked.set()
        go.wait(5)
        return outcome

    older.perform = held_up  # type: ignore[method-assign]
    older.run(key="week")
    assert checked.wait(5)
    QueryOp(widget, lambda: "new", shown.append).run(key="week")
    qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
    go.set()
    _wait_idle(qtbot)
    assert shown == ["new"]


def test_hurry_hands_over_a_quick_read_before_the_next_paint_and_only_once(qtbot, widget) -> None:
    """A click that asked for a read waits a few milliseconds for it: its callback has run
    when `hurry` returns, without a pass of the event loop, and never runs a second time when
    the result's own signal arrives."""
    shown: list[str] = []
    ops = runner()
    asked = ops.mark()
    QueryOp(widget, lambda: "rows", shown.append).run(key="page")
    ops.hurry(2000, since=asked)
    assert shown == ["rows"] and ops.idle
    QApplication.processEvents()  # the result's signal arrives: nothing is shown again
    _wait_idle(qtbot)
    assert shown == ["rows"]


def _after(gate: threading.Event, value: str):  # type: ignore[no-untyped-def]
    """Work that answers `value` once `gate` is set (at most 5 s)."""

    def work() -> str:
        gate.wait(5)
        return value

    return work


def test_hurry_gives_up_at_its_deadline_and_the_read_reports_as_usual(qtbot, widget) -> None:
    shown: list[str] = []
    gate = threading.Event()
    ops = runner()
    asked = ops.mark()
    QueryOp(widget, _after(gate, "late"), shown.append).run()
    started = time.perf_counter()
    ops.hurry(20, since=asked)
    assert time.perf_counter() - started < 2  # (gave up; the read waits 5 s)
    assert shown == [] and not ops.idle
    gate.set()
    _wait_idle(qtbot)
    assert shown == ["late"]


def test_hurry_waits_only_for_reads_asked_after_its_mark(qtbot, widget) -> None:
    """A read asked before the click (a slow figure somewhere) and a write are not waited
    for; a read that fails is reported once, the way it would have been."""
    shown: list[str] = []
    refused: list[str] = []
    gate = threading.Event()

    def invalid() -> str:
        raise ValidationError({"when": "Not a date"})

    ops = runner()
    QueryOp(widget, _after(gate, "before"), shown.append).run()
    asked = ops.mark()
    WriteOp(widget, _after(gate, "written"), shown.append).run()
    QueryOp(widget, invalid, shown.append).on_invalid(lambda e: refused.append(str(e))).run()
    QueryOp(widget, lambda: "after", shown.append).run()
    started = time.perf_counter()
    ops.hurry(2000, since=asked)
    assert time.perf_counter() - started < 1.5
    assert shown == ["after"] and len(refused) == 1
    gate.set()
    _wait_idle(qtbot)
    assert sorted(shown) == ["after", "before", "written"] and len(refused) == 1


def test_writes_run_one_at_a_time_in_the_order_asked(qtbot, widget) -> None:
    order: list[int] = []
    running = [0]
    overlaps = [0]

    def write(n: int) -> int:
        running[0] += 1
        overlaps[0] = max(overlaps[0], running[0])
        time.sleep(0.01)
        order.append(n)
        running[0] -= 1
        return n

    for n in range(6):
        WriteOp(widget, lambda n=n: write(n)).run()
    _wait_idle(qtbot)
    assert order == list(range(6))
    assert overlaps[0] == 1


def test_a_write_announces_its_changes_and_a_shown_view_refreshes_at_once(qtbot, widget) -> None:
    refreshed: list[str] = []
    Refresh(widget, {"visit"}, lambda: refreshed.append("visits"), client_id=lambda: 7)
    widget.show()
    WriteOp(widget, lambda: 1, changes=Changes.of("visit", client_id=7)).run()
    _wait_idle(qtbot)
    assert refreshed == ["visits"]
    WriteOp(widget, lambda: 1, changes=Changes.of("visit", client_id=8)).run()
    WriteOp(widget, lambda: 1, changes=Changes.of("invoice", client_id=7)).run()
    _wait_idle(qtbot)
    assert refreshed == ["visits"], "another client's visit or an invoice is not this view's"


def test_a_hidden_view_refreshes_once_when_it_is_next_shown(qtbot, widget) -> None:
    refreshed: list[str] = []
    refresh = Refresh(widget, {"client"}, lambda: refreshed.append("list"))
    for _ in range(3):
        WriteOp(widget, lambda: 1, changes=Changes.of("client", client_id=1)).run()
    _wait_idle(qtbot)
    assert refreshed == [] and refresh.stale
    widget.show()
    qtbot.waitUntil(lambda: refreshed == ["list"])
    assert not refresh.stale


def test_a_view_of_every_client_refreshes_only_the_client_a_change_names(qtbot, widget) -> None:
    refreshed: list[object] = []
    Refresh(widget, {"invoice"}, lambda: refreshed.append("all"), for_client=refreshed.append)
    widget.show()
    WriteOp(widget, lambda: 1, changes=Changes.of("invoice", client_id=7)).run()
    _wait_idle(qtbot)
    assert refreshed == [7], "one client's invoice: that client's row read again, not all"
    WriteOp(widget, lambda: 1, changes=Changes.of("invoice")).run()  # every client's
    _wait_idle(qtbot)
    assert refreshed == [7, "all"]


def test_changes_computed_from_the_result_name_the_new_client(qtbot, widget) -> None:
    announced: list[Changes] = []
    runner().changed.connect(lambda changes, _origin: announced.append(changes))
    WriteOp(widget, lambda: 42, changes=lambda cid: Changes.of("client", client_id=cid)).run()
    _wait_idle(qtbot)
    assert Changes.of("client", client_id=42) in announced


def test_a_validation_error_goes_to_the_form_and_nothing_else_is_shown(qtbot, widget) -> None:
    errors: list[dict[str, str]] = []
    done: list[object] = []

    def invalid() -> None:
        raise ValidationError({"name": "Enter a name."})

    WriteOp(widget, invalid, done.append).on_invalid(lambda e: errors.append(e.errors)).run()
    _wait_idle(qtbot)
    assert errors == [{"name": "Enter a name."}]
    assert done == []
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_a_locked_record_gets_a_plain_message(qtbot, widget) -> None:
    widget.show()

    def locked() -> None:
        raise LockedRecordError("This visit note is signed.")

    WriteOp(widget, locked).run()
    _wait_idle(qtbot)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [b.text() for b in boxes] == ["This visit note is signed."]
    for box in boxes:
        box.close()


def test_an_unexpected_error_opens_the_error_dialog_with_details(qtbot, widget, capsys) -> None:
    widget.show()
    after: list[str] = []

    def broken() -> None:
        raise RuntimeError("disk on fire")

    QueryOp(widget, broken).after(lambda: after.append("after")).run()
    _wait_idle(qtbot)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert len(boxes) == 1
    assert "disk on fire" in boxes[0].detailedText()
    assert "Your saved records are safe" in boxes[0].text()
    assert after == ["after"]
    boxes[0].close()
    assert "disk on fire" in capsys.readouterr().err


def test_closing_the_widget_before_the_answer_drops_the_callback(qtbot) -> None:
    widget = QWidget()
    gate = threading.Event()
    shown: list[str] = []
    QueryOp(widget, lambda: gate.wait(2) and "late", shown.append).run()
    widget.deleteLater()
    qtbot.wait(10)
    gate.set()
    _wait_idle(qtbot)
    assert shown == []


def test_long_work_reports_progress_and_a_cancel_stops_it_quietly(qtbot, widget) -> None:
    widget.show()
    steps: list[int] = []
    finished: list[str] = []
    started = threading.Event()

    def long_work(progress: Progress) -> str:
        for step in range(1000):
            started.set()
            progress.report(step, 1000, "Copying")
            steps.append(step)
            time.sleep(0.002)
        return "done"

    op = QueryOp(widget, long_work, finished.append).with_progress("Working", cancellable=True)
    op.run()
    assert started.wait(2)
    dialog = widget.window().findChild(ProgressDialog)
    assert dialog is not None and dialog.cancel_button is not None
    qtbot.waitUntil(dialog.isVisible)  # shown once the work takes longer than a moment
    dialog.cancel_button.click()
    _wait_idle(qtbot)
    assert finished == []
    assert len(steps) < 1000
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
