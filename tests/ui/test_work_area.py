"""Room for the record on a 1280x720 laptop, at 100% and 125% scaling: every client tab keeps
at least 55% of the window's height for its own work, with a client who has several alerts,
and shows every control and table column within the window (the body map's bars, the
billing tables); so do the Today, Schedule and Billing pages, and the Welcome and Practice
profile dialogs fit the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from practice.billing import service as billing
from practice.billing.records import LineForm, PaymentForm, PaymentMethod
from practice.bodymap import service as charts
from practice.bodymap.chart import ChartData, RegionMark
from practice.clients import service
from practice.clients.intake import CancerStatus, IntakeData
from practice.clients.records import ClientForm
from practice.schedule import service as schedule
from practice.schedule.records import AppointmentForm, ScheduleSettings, WorkingDay
from practice.schedule.settings import save_settings
from practice.store import Database
from ui.main_window import MainWindow
from ui.ops import runner

PROBE = Path(__file__).parent / "probes" / "work_area.py"
SCREEN = {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720, "dpr": 1}
SMALLEST_SHARE = 0.55
DEFAULT_HEIGHT = 480  # a widget's height before any layout
OPEN_EVERY_DAY = tuple(WorkingDay(d, time(0), time(23, 45)) for d in range(7))


def _client_with_several_alerts(db: Database) -> int:
    client = service.create_client(
        db,
        ClientForm(
            given_name="Maximiliana",
            family_name="Castellanos-Villalobos de la Fuente",
            preferred_name="Max",
            date_of_birth=date(1961, 4, 9),
            pronouns="she/her",
            phone_mobile="(416) 555-0199",
        ),
    )
    service.save_intake(
        db,
        client.id,
        IntakeData(
            recorded_on=date.today(),
            conditions={"varicose_veins": "left calf", "osteoporosis": "", "seizures": ""},
            implants="Pacemaker, left chest",
            cancer_status=CancerStatus.ACTIVE,
            oil_or_scent_allergy=True,
        ),
    )
    assert len(service.alerts_for(db, client.id)) >= 4
    return client.id


def _a_chart_an_account_and_a_booking(db: Database, client_id: int) -> None:
    """Something in the body map and billing tabs, and on Today (a row with the client's
    alert chips, still to come whatever the hour: its "Next" chip and its state): their bars,
    tables and rows are on screen."""
    save_settings(db, ScheduleSettings(time_zone="UTC", working_hours=OPEN_EVERY_DAY))
    today = datetime.now(UTC).date()
    later = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=20)
    if later.date() != today:  # just before midnight: book the last quarter instead
        later = datetime.combine(today, time(23, 30), UTC)
    schedule.book(db, AppointmentForm(client_id, later, 15), confirm=True)
    charts.save_chart(
        db, client_id, date.today(), ChartData(marks=(RegionMark("F_HEAD_FOREHEAD", 6),))
    )
    draft = billing.create_invoice(
        db, client_id, [LineForm("Medical massage, 60 minutes", unit_price=Decimal("124.30"))]
    )
    invoice = billing.issue_invoice(db, draft.id)
    billing.record_payment(
        db,
        client_id,
        PaymentForm(Decimal("50"), PaymentMethod.CARD, invoice_id=invoice.id, reference="4417"),
    )


@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_every_client_tab_keeps_most_of_a_1280x720_screen_for_its_work(
    db: Database, tmp_path: Path, scale: str
) -> None:
    client_id = _client_with_several_alerts(db)
    _a_chart_an_account_and_a_booking(db, client_id)
    folder = db.path.parent
    db.close()  # the probe opens the practice itself
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [SCREEN]}), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
    }
    result = subprocess.run(
        [sys.executable, str(PROBE), str(folder), str(client_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    tabs = [line for line in lines if "tab" in line]
    pages = {line["page"]: line for line in lines if "page" in line}
    assert len(tabs) >= 10, result.stderr
    expected_screen = [round(1280 / float(scale)), round(720 / float(scale))]
    assert tabs[0]["screen"] == expected_screen
    assert tabs[0]["window"] <= expected_screen[1]  # the window fits the screen
    cramped = {
        tab["tab"]: f"{tab['work_area']} of {tab['window']} px"
        for tab in tabs
        if tab["work_area"] < SMALLEST_SHARE * tab["window"]
    }
    assert not cramped
    # Every control within the window and the box it sits in (no toolbar folds tools away),
    # no one-line text cut short, every table's columns within its width, and no form
    # scrolling sideways to reach them.
    for problem in ("cut_off", "clipped_text", "wide_tables", "side_scrolls"):
        found = {tab["tab"]: tab[problem] for tab in tabs if tab[problem]}
        found |= {name: page[problem] for name, page in pages.items() if page[problem]}
        assert not found, problem
    assert set(pages) == {"today", "schedule", "billing"}
    # The tall dialogs fit the screen (their middle scrolls), so their buttons are in view.
    dialogs = {line["dialog"]: line["height"] for line in lines if "dialog" in line}
    assert set(dialogs) == {"WelcomeDialog", "PracticeProfileDialog"}
    assert max(dialogs.values()) <= expected_screen[1]
    shown = {tab["tab"]: tab["controls"] for tab in tabs}
    assert {"Save chart", "Print…", "Paint (P)", "Text (T)", "Possible sources"} <= set(
        shown["Body map"]
    )
    assert {"New invoice", "Record payment…"} <= set(shown["Billing"])


def test_the_body_figures_fill_their_view_at_1280x720_with_possible_sources_open(
    qtbot: QtBot, db: Database
) -> None:
    client_id = _client_with_several_alerts(db)
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.attach(db)
    window.pages.setCurrentWidget(window.clients)  # the window opens on Today
    window.clients.open_client(client_id)
    workspace = window.clients.workspace
    workspace.tabs.setCurrentWidget(workspace.bodymap)
    workspace.bodymap.new_button.click()  # a first chart for this client
    editor = workspace.bodymap.editor
    editor.set_sources_visible(True)
    qtbot.waitUntil(lambda: runner().idle)
    view = editor.view
    qtbot.waitUntil(lambda: view.isVisible() and view.height() != DEFAULT_HEIGHT)  # laid out
    drawn = view.mapFromScene(view.sceneRect()).boundingRect()
    assert drawn.height() >= 0.9 * view.height()  # fitted to the height it has
    assert view.height() >= 0.47 * window.height()  # and that height is most of what is left
