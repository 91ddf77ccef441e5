"""The Schedule area driven as a therapist would: the week, booking by drag and keyboard,
moving and resizing with conflict warnings, series, cancellations and no-shows with fees,
and an appointment becoming its visit note and its invoice line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from practice.billing import service as billing
from practice.billing.records import ServiceForm
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.schedule import care, queries, service
from practice.schedule.records import (
    AppointmentForm,
    AppointmentState,
    FeePolicy,
    ScheduleSettings,
    WorkingDay,
)
from practice.schedule.settings import save_settings
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft
from ui.ops import runner
from ui.schedule import ask
from ui.schedule.dialog import AppointmentDialog, CancelDialog
from ui.schedule.grid import HOUR
from ui.schedule.page import SchedulePage

ZONE = "UTC"
OPEN_EVERY_DAY = tuple(WorkingDay(d, time(7), time(21)) for d in range(7))

PATIENCE_MS = 20_000  # a loaded machine (the suite runs in parallel) is slow to answer


def _until(qtbot: QtBot, condition: Callable[[], object]) -> None:
    try:
        qtbot.waitUntil(condition, timeout=PATIENCE_MS)
    except WaitTimeout as error:  # say what the ops were doing
        raise AssertionError(
            f"idle={runner().idle} still running: {runner().describe()}"
        ) from error


@pytest.fixture
def setup(db: Database, consent: Callable[[int], None]) -> Iterator[tuple[Database, int, int]]:
    """A practice open 7-21 every day, no fee waived, one client and a 60-minute massage."""
    save_settings(
        db,
        ScheduleSettings(
            time_zone=ZONE,
            working_hours=OPEN_EVERY_DAY,
            buffer_minutes=0,
            fees=FeePolicy(waive_first=False),
        ),
    )
    client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien"))
    consent(client.id)
    massage = billing.save_service(db, ServiceForm("60-min medical massage", Decimal("100.00"), 60))
    yield db, client.id, massage.id


def _day(offset: int = 0) -> datetime:
    """Midnight (UTC) `offset` days from today, in this week's view when possible."""
    today = datetime.now(UTC).date()
    return datetime.combine(today + timedelta(days=offset), time.min, UTC)


def _book(db: Database, client_id: int, service_id: int, start: datetime) -> int:
    outcome = service.book(db, AppointmentForm(client_id, start, service_id=service_id),
                           confirm=True)  # fmt: skip
    assert outcome.appointment is not None
    return outcome.appointment.id


def _page(qtbot: QtBot, db: Database) -> SchedulePage:
    """The page on the week holding tomorrow (where the tests book)."""
    page = SchedulePage(db)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.go_to(_day(1).date())
    try:
        _until(
            qtbot,
            lambda: (
                runner().idle
                and page.schedule is not None
                and _day(1).date() in [d.day for d in page.schedule.days]
            ),
        )
    except AssertionError as error:
        shown = page.schedule and [d.day for d in page.schedule.days]
        raise AssertionError(f"{error}; page day {page.day}, view {page.view}, {shown}") from None
    return page


def _point(page: SchedulePage, start: datetime) -> QPoint:
    """The grid point a quarter of an hour into `start`'s slot, in its day column."""
    grid = page.grid
    column = next(i for i, d in enumerate(page.schedule.days) if d.day == start.date())
    x = grid.column_x(column) + grid.column_width() / 2
    y = grid.y(start.hour * 60 + start.minute) + HOUR / 8
    return QPoint(int(x), int(y))


def _drag(qtbot: QtBot, page: SchedulePage, begin: QPoint, end: QPoint) -> None:
    grid = page.grid
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=begin)
    qtbot.mouseMove(grid, QPoint(begin.x(), begin.y() + 10))
    qtbot.mouseMove(grid, end)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)


def _dialog(page: SchedulePage, qtbot: QtBot) -> AppointmentDialog:
    _until(qtbot, lambda: page.dialog is not None and page.dialog.isVisible())
    assert page.dialog is not None
    _until(qtbot, lambda: runner().idle and page.dialog.choices is not None)
    return page.dialog


def test_the_week_shows_each_appointment_as_a_block_with_client_service_and_state(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    _book(db, client_id, massage_id, start)
    page = _page(qtbot, db)
    assert len(page.schedule.days) == 7
    assert page.schedule.days[0].day.weekday() == 0
    [placed] = page.grid.placed
    assert placed.appointment.client_name == "Chloé O'Brien"
    assert placed.appointment.service_name == "60-min medical massage"
    assert placed.appointment.state is AppointmentState.BOOKED
    assert (placed.start, placed.end) == (600, 660)
    rect = page.grid.block_rect(placed)
    assert rect.height() == pytest.approx(HOUR - 2)


def test_dragging_over_empty_time_opens_a_new_appointment_for_that_span(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, _ = setup
    page = _page(qtbot, db)
    start = _day(1) + timedelta(hours=14)
    _drag(qtbot, page, _point(page, start), _point(page, start + timedelta(minutes=75)))
    dialog = _dialog(page, qtbot)
    assert dialog.starts.dateTime().toPython() == start.replace(tzinfo=None)
    assert dialog.minutes.value() == 90
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    _until(qtbot, lambda: len(page.grid.placed) == 1)
    booked = page.grid.placed[0].appointment
    assert (booked.starts_at, booked.duration_minutes) == (start, 90)


def test_n_books_at_the_slot_chosen_with_the_arrow_keys(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, _, massage_id = setup
    page = _page(qtbot, db)
    page.grid.setFocus()
    page.grid.select_slot(0, 9 * 60)
    qtbot.keyClick(page.grid, Qt.Key.Key_Down)
    qtbot.keyClick(page.grid, Qt.Key.Key_Right)
    qtbot.keyClick(page.grid, Qt.Key.Key_N)
    dialog = _dialog(page, qtbot)
    expected = datetime.combine(page.schedule.days[1].day, time(9, 30))
    assert dialog.starts.dateTime().toPython() == expected
    assert dialog.service.currentData() == massage_id
    assert dialog.minutes.value() == 60
    dialog.reject()


def test_booking_over_another_appointment_warns_and_books_only_when_confirmed(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    _book(db, client_id, massage_id, start)
    page = _page(qtbot, db)
    page.new_appointment(start + timedelta(minutes=30))
    dialog = _dialog(page, qtbot)
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.warnings.isVisible())
    assert "overlap" in dialog.warnings.text().lower()
    assert dialog.save_button.text() == "Book anyway"
    assert len(queries.appointments_between(db, _day(-8), _day(8))) == 1
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    assert len(queries.appointments_between(db, _day(-8), _day(8))) == 2
    _until(qtbot, lambda: len(page.grid.placed) == 2)
    assert {p.lanes for p in page.grid.placed} == {2}


def test_dragging_a_block_moves_it_and_the_edge_resizes_it(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    appointment_id = _book(db, client_id, massage_id, start)
    page = _page(qtbot, db)
    later = start + timedelta(hours=3)
    _drag(qtbot, page, _point(page, start), _point(page, later))
    _until(qtbot, lambda: runner().idle)
    assert queries.get_appointment(db, appointment_id).starts_at == later
    _until(qtbot, lambda: page.grid.placed[0].start == 13 * 60)
    foot = page.grid.block_rect(page.grid.placed[0]).bottom() - 2
    x = int(page.grid.block_rect(page.grid.placed[0]).center().x())
    _drag(qtbot, page, QPoint(x, int(foot)), QPoint(x, int(foot + HOUR / 2)))
    _until(qtbot, lambda: runner().idle)
    assert queries.get_appointment(db, appointment_id).duration_minutes == 90


def test_moving_onto_another_appointment_asks_and_a_no_leaves_both_where_they_were(
    qtbot: QtBot, setup: tuple[Database, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    first = _book(db, client_id, massage_id, start)
    _book(db, client_id, massage_id, start + timedelta(hours=2))
    asked: list[str] = []
    monkeypatch.setattr(ask, "go_ahead", lambda _p, _t, text, _a: asked.append(text) or False)
    page = _page(qtbot, db)
    _drag(qtbot, page, _point(page, start), _point(page, start + timedelta(hours=2)))
    _until(qtbot, lambda: runner().idle and bool(asked))
    assert "overlap" in asked[0].lower()
    assert queries.get_appointment(db, first).starts_at == start
    monkeypatch.setattr(ask, "go_ahead", lambda *_a: True)
    _drag(qtbot, page, _point(page, start), _point(page, start + timedelta(hours=2)))
    _until(qtbot, lambda: runner().idle and queries.get_appointment(db, first).starts_at != start)
    assert queries.get_appointment(db, first).starts_at == start + timedelta(hours=2)


def test_a_block_held_at_the_right_edge_turns_the_week_and_drops_there(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    appointment_id = _book(db, client_id, massage_id, start)
    page = _page(qtbot, db)
    grid, monday = page.grid, page.first_day()
    begin = _point(page, start)
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=begin)
    qtbot.mouseMove(grid, QPoint(begin.x(), begin.y() + 10))
    qtbot.mouseMove(grid, QPoint(grid.width() - 4, begin.y() + 10))  # held at the right edge
    assert grid.turning == 1
    _until(qtbot, lambda: page.first_day() != monday)
    qtbot.mouseMove(grid, QPoint(grid.width() // 2, begin.y()))  # let go of the edge
    assert grid.turning == 0 and page.first_day() == monday + timedelta(days=7)
    next_week = start + timedelta(days=7, hours=1)
    _until(qtbot, lambda: runner().idle and next_week.date() in [d.day for d in page.schedule.days])
    assert queries.get_appointment(db, appointment_id).starts_at == start  # still dragging
    end = _point(page, next_week)
    qtbot.mouseMove(grid, end)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)
    _until(qtbot, lambda: runner().idle and [p.start for p in grid.placed] == [11 * 60])
    assert queries.get_appointment(db, appointment_id).starts_at == next_week
    assert grid.selected_id == appointment_id


def test_alt_page_down_moves_the_selected_appointment_a_week_asking_first_about_an_overlap(
    qtbot: QtBot, setup: tuple[Database, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, client_id, massage_id = setup
    start = _day(1) + timedelta(hours=10)
    moving = _book(db, client_id, massage_id, start)
    _book(db, client_id, massage_id, start + timedelta(days=7, minutes=30))  # in the way
    asked: list[str] = []
    monkeypatch.setattr(ask, "go_ahead", lambda _p, _t, text, _a: asked.append(text) or False)
    page = _page(qtbot, db)
    qtbot.mouseClick(page.grid, Qt.MouseButton.LeftButton, pos=_point(page, start))
    assert page.grid.selected_id == moving
    qtbot.keyClick(page.grid, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    _until(qtbot, lambda: runner().idle and bool(asked))
    assert "overlap" in asked[0].lower()
    assert queries.get_appointment(db, moving).starts_at == start  # a no moves nothing
    monkeypatch.setattr(ask, "go_ahead", lambda *_a: True)
    qtbot.keyClick(page.grid, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    later = start + timedelta(days=7)
    _until(qtbot, lambda: runner().idle and queries.get_appointment(db, moving).starts_at == later)
    _until(qtbot, lambda: runner().idle and later.date() in [d.day for d in page.schedule.days])
    assert page.grid.selected_id == moving  # the view followed it, still selected
    qtbot.keyClick(page.grid, Qt.Key.Key_PageUp, Qt.KeyboardModifier.AltModifier)
    _until(qtbot, lambda: runner().idle and queries.get_appointment(db, moving).starts_at == start)


def test_page_down_shows_the_next_week_and_t_comes_back_to_this_one(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, *_ = setup
    page = _page(qtbot, db)
    page.go_today()
    _until(qtbot, lambda: runner().idle and _day(0).date() in [d.day for d in page.schedule.days])
    this_monday = page.schedule.days[0].day
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_PageDown)
    _until(qtbot, lambda: runner().idle and page.schedule.days[0].day != this_monday)
    assert page.schedule.days[0].day == this_monday + timedelta(days=7)
    qtbot.keyClick(page.grid, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.grid, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    _until(qtbot, lambda: runner().idle and page.schedule.days[0].day < this_monday)
    qtbot.keyClick(page.grid, Qt.Key.Key_T)
    _until(qtbot, lambda: runner().idle and page.schedule.days[0].day == this_monday)
    qtbot.keyClick(page.grid, Qt.Key.Key_D)
    _until(qtbot, lambda: runner().idle and len(page.schedule.days) == 1)
    qtbot.keyClick(page.grid, Qt.Key.Key_M)
    _until(qtbot, lambda: runner().idle and len(page.schedule.days) >= 28)
    assert page.stack.currentWidget() is page.month


def test_every_two_weeks_for_eight_visits_books_a_series_from_the_dialog(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, _ = setup
    page = _page(qtbot, db)
    start = _day(1) + timedelta(hours=11)
    page.new_appointment(start)
    dialog = _dialog(page, qtbot)
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    dialog.repeat.setCurrentIndex(dialog.repeat.findData(2))
    dialog.count.setValue(8)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    booked = queries.client_appointments(db, client_id)
    assert len(booked) == 8
    assert {a.series_id for a in booked} != {None}
    assert {a.local_start.weekday() for a in booked} == {start.weekday()}
    assert booked[1].starts_at - booked[0].starts_at == timedelta(weeks=2)


def test_changing_the_time_of_all_in_a_series_moves_every_one_still_ahead(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    from practice.schedule import series
    from practice.schedule.rules import RecurrenceRule

    db, client_id, massage_id = setup
    start = (_day(1) + timedelta(hours=9)).replace(tzinfo=None)
    form = series.SeriesForm(client_id, start, RecurrenceRule(count=4), service_id=massage_id)
    made = series.create_series(db, form, confirm=True).appointments
    page = _page(qtbot, db)
    page.open_appointment(made[1])
    dialog = _dialog(page, qtbot)
    dialog.scope.setCurrentIndex(dialog.scope.findData(series.Scope.ALL))
    dialog.starts.setDateTime(dialog.starts.dateTime().addSecs(2 * 3600))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    hours = [a.local_start.hour for a in queries.client_appointments(db, client_id)]
    assert hours == [11, 11, 11, 11]


def test_a_late_cancellation_with_a_reason_puts_the_fee_on_a_draft_invoice(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    appointment_id = _book(db, client_id, massage_id, soon)
    page = _page(qtbot, db)
    dialog = CancelDialog(db, queries.get_appointment(db, appointment_id), page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle)
    assert "Say why" in dialog.form.errors["reason"].message()
    assert queries.get_appointment(db, appointment_id).state is AppointmentState.BOOKED
    qtbot.keyClicks(dialog.reason, "Sick")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    cancelled = queries.get_appointment(db, appointment_id)
    assert cancelled.state is AppointmentState.CANCELLED
    assert cancelled.cancel_reason == "Sick"
    invoice = billing.get_invoice(db, cancelled.fee_invoice_id)
    assert invoice.lines[0].unit_price == Decimal("50.00")


def test_a_no_show_from_the_dialog_bills_the_policys_fee(
    qtbot: QtBot, setup: tuple[Database, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, client_id, massage_id = setup
    earlier = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    appointment_id = _book(db, client_id, massage_id, earlier)
    monkeypatch.setattr(ask, "go_ahead", lambda *_a: True)
    page = _page(qtbot, db)
    page.open_appointment(queries.get_appointment(db, appointment_id))
    dialog = _dialog(page, qtbot)
    assert dialog.action_buttons["no_show"].isEnabled()
    qtbot.mouseClick(dialog.action_buttons["no_show"], Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.appointment.state is AppointmentState.NO_SHOW)
    missed = queries.get_appointment(db, appointment_id)
    assert billing.get_invoice(db, missed.fee_invoice_id).lines[0].unit_price == Decimal("100.00")
    assert not dialog.action_buttons["no_show"].isEnabled()
    dialog.reject()


def test_start_visit_hands_over_the_prefilled_note_and_bill_then_bills_it(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, massage_id = setup
    earlier = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    appointment_id = _book(db, client_id, massage_id, earlier)
    page = _page(qtbot, db)
    started: list[care.VisitStart] = []
    page.visit_started.connect(started.append)
    page.open_appointment(queries.get_appointment(db, appointment_id))
    dialog = _dialog(page, qtbot)
    qtbot.mouseClick(dialog.action_buttons["visit"], Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and bool(started))
    visit = started[0].visit.visit
    assert (visit.starts_at, visit.duration_minutes) == (earlier, 60)
    draft = VisitDraft(visit.form(), SoapNote(complaint="Neck stiffness"))
    visits.sign_visit(db, visit.id, draft)
    _until(qtbot, lambda: runner().idle)
    page.open_appointment(queries.get_appointment(db, appointment_id))
    dialog = _dialog(page, qtbot)
    assert dialog.appointment.state is AppointmentState.NOTE_SIGNED
    qtbot.mouseClick(dialog.action_buttons["bill"], Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and dialog.appointment.state is AppointmentState.BILLED)
    assert not dialog.action_buttons["bill"].isEnabled()
    dialog.reject()
    QApplication.processEvents()


def test_the_repeat_choices_name_the_starts_weekday_and_follow_it(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, *_ = setup
    page = _page(qtbot, db)
    tuesday = _day(1) + timedelta(days=(1 - _day(1).weekday()) % 7, hours=10)
    page.new_appointment(tuesday)
    dialog = _dialog(page, qtbot)
    texts = [dialog.repeat.itemText(i) for i in range(dialog.repeat.count())]
    assert texts[:3] == ["Does not repeat", "Every week on Tuesday", "Every 2 weeks on Tuesday"]
    dialog.starts.setDateTime(dialog.starts.dateTime().addDays(1))
    assert dialog.repeat.itemText(2) == "Every 2 weeks on Wednesday"
    dialog.reject()


@pytest.mark.parametrize("script", ["한국어 메모 ", "הערה בעברית ", "ملاحظة ", "🙂🧘 "])
def test_notes_of_100000_characters_in_any_script_are_kept_and_longer_refused_by_the_field(
    qtbot: QtBot, setup: tuple[Database, int, int], script: str
) -> None:
    db, client_id, _ = setup
    text = (script * (100_000 // len(script) + 1))[:100_000]
    page = _page(qtbot, db)
    page.new_appointment(_day(1) + timedelta(hours=16))
    dialog = _dialog(page, qtbot)
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    dialog.notes.setText(text + "x")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and bool(dialog.form.errors["notes"].message()))
    assert "100,000" in dialog.form.errors["notes"].message()
    dialog.notes.setText(text)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    [booked] = queries.client_appointments(db, client_id)
    assert booked.notes == text.strip()


def test_start_visit_opens_the_clients_note_in_the_main_window(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    from ui.main_window import MainWindow

    db, client_id, massage_id = setup
    earlier = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    appointment_id = _book(db, client_id, massage_id, earlier)
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    window._nav_button(window.schedule).click()
    window.schedule.open_appointment(queries.get_appointment(db, appointment_id))
    dialog = _dialog(window.schedule, qtbot)
    qtbot.mouseClick(dialog.action_buttons["visit"], Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and window.pages.currentWidget() is window.clients)
    workspace = window.clients.workspace
    assert window.clients.open_client_id() == client_id
    assert workspace.tabs.currentWidget() is workspace.visits
    record = workspace.visits.editor.record
    linked = queries.get_appointment(db, appointment_id)
    assert record is not None and record.visit.id == linked.visit_id
    assert linked.state is AppointmentState.COMPLETED
    runner().wait_idle()


def test_a_clients_treatment_plan_proposes_its_series_and_books_it_for_the_plan(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    from practice.plans import service as plans
    from practice.plans.records import PlanForm
    from practice.schedule import series

    db, client_id, _ = setup
    today = datetime.now(UTC).date()
    plan = plans.create_plan(db, client_id, PlanForm(today, 2, 4), today=today)
    page = _page(qtbot, db)
    page.new_appointment(_day(1) + timedelta(hours=10))
    dialog = _dialog(page, qtbot)
    assert not dialog.plan_hint.isVisible()
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    _until(qtbot, lambda: runner().idle and dialog.plan_hint.isVisible())
    assert "2 visits a week" in dialog.plan_hint.text.text()
    dialog.plan_hint.button.click()
    assert not dialog.repeat.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _until(qtbot, lambda: runner().idle and (dialog.warnings.isVisible() or not dialog.isVisible()))
    if dialog.isVisible():  # a day off in the plan's weeks asks first
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        _until(qtbot, lambda: runner().idle and not dialog.isVisible())
    booked = queries.client_appointments(db, client_id)
    assert len(booked) == dialog.plan_hint.proposal.rule.count
    assert len({a.series_id for a in booked}) == 1
    assert series.get_series(db, booked[0].series_id).plan_id == plan.id


def test_a_name_typed_but_not_chosen_from_the_list_books_nobody(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, client_id, _ = setup
    page = _page(qtbot, db)
    page.new_appointment(_day(1) + timedelta(hours=15))
    dialog = _dialog(page, qtbot)
    dialog.client.setCurrentIndex(dialog.client.findData(client_id))
    dialog.client.lineEdit().setText("Somebody else")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.errors["client"].message() == "Choose the client from the list."
    assert "$100.00" in dialog.service.currentText()
    _until(qtbot, lambda: runner().idle)
    assert queries.client_appointments(db, client_id) == []
    dialog.reject()


def test_clicking_a_days_name_shows_that_day_and_again_the_week(
    qtbot: QtBot, setup: tuple[Database, int, int]
) -> None:
    db, *_ = setup
    page = _page(qtbot, db)
    wanted = page.schedule.days[3].day
    x = int(page.grid.column_x(3) + page.grid.column_width() / 2)
    qtbot.mouseClick(page.header, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    _until(qtbot, lambda: runner().idle and len(page.schedule.days) == 1)
    assert page.schedule.days[0].day == wanted
    qtbot.mouseClick(page.header, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    _until(qtbot, lambda: runner().idle and len(page.schedule.days) == 7)
    assert wanted in [d.day for d in page.schedule.days]


def test_on_the_night_the_clocks_change_ten_oclock_stays_on_the_ten_oclock_row(
    qtbot: QtBot, db: Database, consent: Callable[[int], None]
) -> None:
    from ui.schedule.grid import TimeGrid

    save_settings(db, ScheduleSettings(time_zone="America/Toronto", working_hours=OPEN_EVERY_DAY))
    client = clients.create_client(db, ClientForm(given_name="Noah"))
    spring = datetime(2027, 3, 14, 10)  # clocks went forward at 02:00 that morning
    service.book(db, AppointmentForm(client.id, spring, 60), confirm=True)
    grid = TimeGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 24 * HOUR)
    schedule = queries.schedule_range(db, spring.date(), 1)
    grid.show_range(schedule, "en_CA", datetime.now(UTC))
    [placed] = grid.placed
    assert (placed.start, placed.end) == (600, 660)
    assert grid.moment(0, 600).astimezone(UTC) == placed.appointment.starts_at
