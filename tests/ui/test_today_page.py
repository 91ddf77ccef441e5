"""Today, the home screen: the day's appointments with their alerts, cards that open what they
count, the same figures as fascia-cli today, and the rail that opens on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from practice.billing import service as billing
from practice.billing.records import ServiceForm
from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import ClientForm
from practice.schedule import service
from practice.schedule.records import AppointmentForm, ScheduleSettings, WorkingDay
from practice.schedule.settings import save_settings
from practice.store import Database, open_database
from practice.today.figures import CardKind
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from ui.main_window import MainWindow
from ui.ops import runner
from ui.today.cards import CardDialog
from ui.today.page import AppointmentRow, TodayPage

OPEN_EVERY_DAY = tuple(WorkingDay(d, time(0), time(23, 45)) for d in range(7))

PATIENCE_MS = 20_000  # a loaded machine (the suite runs in parallel) is slow to answer


def _until(qtbot: QtBot, condition: Callable[[], object]) -> None:
    qtbot.waitUntil(condition, timeout=PATIENCE_MS)


@pytest.fixture
def client_id(db: Database, consent: Callable[[int], None]) -> int:
    """A client on warfarin (an alert), booked later today, with an unsigned note from
    yesterday."""
    save_settings(db, ScheduleSettings(time_zone="UTC", working_hours=OPEN_EVERY_DAY))
    client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien"))
    consent(client.id)
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    today = datetime.now(UTC).date()
    clients.save_intake(db, client.id, IntakeData(today, medications=(warfarin,)))
    massage = billing.save_service(db, ServiceForm("60-min massage", Decimal("90.00"), 60))
    later = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=20)
    if later.date() != today:  # just before midnight: book the last quarter instead
        later = datetime.combine(today, time(23, 30), UTC)
    service.book(db, AppointmentForm(client.id, later, 15, service_id=massage.id), confirm=True)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    draft = VisitDraft(VisitForm(yesterday, 60), SoapNote(complaint="Neck pain"))
    visits.create_visit(db, client.id, draft)
    return client.id


def _page(qtbot: QtBot, db: Database) -> TodayPage:
    page = TodayPage(db)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    _until(qtbot, lambda: runner().idle and page.loaded)
    return page


def test_today_lists_the_days_appointments_with_each_clients_alert_chips(
    qtbot: QtBot, db: Database, client_id: int
) -> None:
    page = _page(qtbot, db)
    rows = page.findChildren(AppointmentRow)
    assert len(rows) == 1
    assert rows[0].item.appointment.client_id == client_id
    assert rows[0].item.alerts
    chips = [label for label in rows[0].findChildren(QLabel) if label.property("alert")]
    assert [chip.text() for chip in chips] == ["⚠ No deep work"]
    assert any(label.text() == "Next" for label in rows[0].findChildren(QLabel))
    assert page.day_title.text() == "Appointments · 1"


def test_each_card_shows_its_count_and_opens_the_list_it_counts(
    qtbot: QtBot, db: Database, client_id: int
) -> None:
    page = _page(qtbot, db)
    unsigned = page.cards[CardKind.UNSIGNED]
    assert unsigned.figure.text() == "1"
    assert "Chloé O'Brien" in unsigned.full_detail
    assert page.cards[CardKind.PAPERWORK].figure.text() == "0"
    chosen: list[tuple[CardKind, object]] = []
    page.record_requested.connect(lambda kind, item: chosen.append((kind, item)))
    qtbot.mouseClick(unsigned, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, CardDialog)
    assert dialog.model.rowCount() == 1
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert chosen and chosen[0][0] is CardKind.UNSIGNED
    assert chosen[0][1].client_id == client_id
    assert not dialog.isVisible()


def test_a_write_elsewhere_refreshes_the_figures(
    qtbot: QtBot, db: Database, client_id: int
) -> None:
    from practice.changes import Changes

    page = _page(qtbot, db)
    [draft] = visits.stale_drafts(db, older_than_days=0)
    visits.sign_visit(db, draft.visit_id)
    runner().announce(Changes.of("visit", client_id=client_id))
    _until(qtbot, lambda: runner().idle and page.cards[CardKind.UNSIGNED].figure.text() == "0")


def test_the_screen_shows_the_figures_fascia_cli_today_prints_on_the_demo(
    qtbot: QtBot,
    data_dir,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    from practice.cli import main
    from practice.demo import generate

    db = open_database(data_dir, actor="demo")
    generate(db, clients_count=20, seed=5)
    db.close()
    assert main(["--data-dir", str(data_dir), "today"]) == 0
    printed = capsys.readouterr().out.splitlines()
    db = open_database(data_dir)
    try:
        page = _page(qtbot, db)
        overview = page.overview
        assert overview is not None
        for kind, button in page.cards.items():
            line = f"{overview.card(kind).title}: {button.figure.text()}"
            assert line in printed
        rows = page.findChildren(AppointmentRow)
        assert printed[0].endswith(f": {len(rows)} appointment(s)")
        week = next(line for line in printed if line.startswith("This week"))
        for name, button in page.week.items():
            assert f"{name} {button.figure.text()}" in week
    finally:
        runner().wait_idle()
        db.close()


def test_the_window_opens_on_today_and_a_cards_line_opens_the_clients_note(
    qtbot: QtBot, db: Database, client_id: int
) -> None:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    assert window.pages.currentWidget() is window.today
    keys = {b.text(): b.shortcut().toString() for b in window.nav.buttons()}
    assert keys == {"Today": "Ctrl+1", "Schedule": "Ctrl+2", "Billing": "Ctrl+3",
                    "Clients": "Ctrl+4"}  # fmt: skip
    schedule = next(b for b in window.nav.buttons() if b.shortcut() == QKeySequence("Ctrl+2"))
    schedule.click()
    assert window.pages.currentWidget() is window.schedule
    window._nav_button(window.today).click()
    _until(qtbot, lambda: runner().idle and window.today.loaded)
    qtbot.mouseClick(window.today.cards[CardKind.UNSIGNED], Qt.MouseButton.LeftButton)
    dialog = window.today.dialog
    assert isinstance(dialog, CardDialog)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.clients
    assert window.clients.open_client_id() == client_id
    workspace = window.clients.workspace
    assert workspace.tabs.currentWidget() is workspace.visits
    _until(qtbot, lambda: runner().idle)  # the note is read on the op runner
    record = workspace.visits.editor.record
    assert record is not None and record.visit.id == dialog.card.items[0].record_id
    runner().wait_idle()


def test_enter_on_an_appointment_opens_it_from_the_keyboard(
    qtbot: QtBot, db: Database, client_id: int
) -> None:
    from ui.schedule.dialog import AppointmentDialog

    page = _page(qtbot, db)
    [row] = page.findChildren(AppointmentRow)
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_Return)
    assert isinstance(page.dialog, AppointmentDialog)
    assert page.dialog.appointment.client_id == client_id
    _until(qtbot, lambda: runner().idle)
    page.dialog.reject()


def test_the_card_list_model_passes_qt_model_checks(
    qtmodeltester,
    db: Database,
    client_id: int,  # type: ignore[no-untyped-def]
) -> None:
    from practice.today import figures
    from ui.today.cards import CardItemsModel

    model = CardItemsModel("EUR", "de_DE")
    model.set_rows(figures.balances_owed(db).items + figures.unsigned_notes(db).items)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Chloé O'Brien"
