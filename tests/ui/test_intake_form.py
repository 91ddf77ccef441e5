"""The Intake tab: live alert preview, dated history, prefill, medication flags, inline errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.intake import IntakeData, Medication, MedicationFlag, Surgery
from practice.clients.records import Client, ClientForm
from practice.dates import format_day
from practice.store import Database
from ui.clients.intake_form import IntakeForm
from ui.ops import runner
from ui.widgets.alerts import AlertChip

TODAY = date.today()
DVT_BLOCK = "BLOCK alert: Known or suspected blood clot (DVT)"


@pytest.fixture
def client(db: Database) -> Client:
    return service.create_client(db, ClientForm("Ada", "Moreau", date_of_birth=date(1980, 1, 2)))


@pytest.fixture
def form(qtbot: QtBot, db: Database) -> IntakeForm:
    widget = IntakeForm(db)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def previewed(form: IntakeForm) -> list[str]:
    """Accessible names of the alert chips the preview shows right now."""
    return [
        chip.accessibleName()
        for chip in form.alert_chips.findChildren(AlertChip)
        if not chip.isHidden()
    ]


def test_ticking_suspected_dvt_shows_a_block_alert_in_the_live_preview(
    qtbot: QtBot, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    assert DVT_BLOCK not in previewed(form)
    check, detail = form.conditions["dvt_suspected"]
    assert not detail.isEnabled()

    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)

    assert detail.isEnabled()
    qtbot.waitUntil(lambda: DVT_BLOCK in previewed(form))
    assert form.is_dirty()


def test_recording_saves_a_new_dated_intake_and_keeps_the_old_one(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    old_day = TODAY - timedelta(days=30)
    service.save_intake(db, client.id, IntakeData(recorded_on=old_day, goals="Less neck pain"))
    form.load(client)
    assert form.recorded_on.text() == TODAY.isoformat()

    qtbot.keyClicks(form.focus_areas, "Right shoulder")
    with qtbot.waitSignal(form.intake_saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    history = service.intake_history(db, client.id)
    assert len(history) == 2
    assert saved.args[0].id == history[0].id
    assert history[0].data.recorded_on == TODAY
    assert history[0].data.focus_areas == "Right shoulder"
    assert history[0].data.goals == "Less neck pain"
    assert (history[1].data.recorded_on, history[1].data.focus_areas) == (old_day, "")
    assert not form.is_dirty()
    assert form.history.itemText(0) == f"Intake of {format_day(TODAY)} (latest)"


def test_a_double_click_on_record_intake_records_one_intake(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    qtbot.keyClicks(form.focus_areas, "Low back")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert len(service.intake_history(db, client.id)) == 1
    assert not form.is_dirty() and form.save_button.isEnabled()


def test_typing_while_an_intake_is_recorded_stays_unsaved_and_is_kept(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    qtbot.keyClicks(form.focus_areas, "Low back")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    form.allergies.insert("Arnica")  # typed while the intake is written
    qtbot.waitUntil(lambda: runner().idle)
    assert form.allergies.text() == "Arnica" and form.focus_areas.text() == "Low back"
    assert form.is_dirty()
    [recorded] = service.intake_history(db, client.id)
    assert recorded.data.allergies == ""
    assert form.history.itemText(0) == f"Intake of {format_day(TODAY)} (latest)"
    assert form.save() is not None  # Ctrl+S records the typing as the next intake
    assert service.intake_history(db, client.id)[0].data.allergies == "Arnica"
    assert not form.is_dirty()


def test_the_form_shows_the_latest_intake_prefilled(
    db: Database, form: IntakeForm, client: Client
) -> None:
    service.save_intake(
        db, client.id, IntakeData(recorded_on=TODAY - timedelta(days=200), allergies="Nuts")
    )
    service.save_intake(
        db,
        client.id,
        IntakeData(
            recorded_on=TODAY - timedelta(days=3),
            conditions={"varicose_veins": "Left calf"},
            medications=(Medication("Lisinopril", frozenset({MedicationFlag.ANTIHYPERTENSIVE})),),
            allergies="Latex",
            surgeries=(Surgery("Knee arthroscopy", date(2019, 5, 1)),),
        ),
    )

    form.load(client)

    assert form.allergies.text() == "Latex"
    check, detail = form.conditions["varicose_veins"]
    assert check.isChecked() and detail.text() == "Left calf"
    [medication] = form.medications.rows()
    assert medication.value() == Medication(
        "Lisinopril", frozenset({MedicationFlag.ANTIHYPERTENSIVE})
    )
    [surgery] = form.surgeries.rows()
    assert surgery.value() == (Surgery("Knee arthroscopy", date(2019, 5, 1)), "")
    assert form.history.currentText().endswith("(latest)")
    assert not form.is_dirty()


def test_an_older_intake_is_shown_read_only_until_going_back_to_the_latest(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    old_day = TODAY - timedelta(days=200)
    service.save_intake(db, client.id, IntakeData(recorded_on=old_day, allergies="Nuts"))
    service.save_intake(db, client.id, IntakeData(recorded_on=TODAY, allergies="Latex"))
    form.load(client)

    form.history.setCurrentIndex(1)

    assert form.allergies.text() == "Nuts"
    assert form.recorded_on.text() == old_day.isoformat()
    assert not form.allergies.isEnabled()
    assert not form.save_button.isEnabled()
    assert form.old_note.isVisible()
    assert form.save() is None

    qtbot.mouseClick(form.latest_button, Qt.MouseButton.LeftButton)

    assert form.allergies.text() == "Latex"
    assert form.allergies.isEnabled() and form.save_button.isEnabled()
    assert not form.old_note.isVisible()
    assert len(service.intake_history(db, client.id)) == 2


def test_warfarin_pre_ticks_anticoagulant_and_the_saved_intake_raises_bleeding_risk(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    qtbot.mouseClick(form.medications.add_button, Qt.MouseButton.LeftButton)
    [row] = form.medications.rows()

    qtbot.keyClicks(row.name, "Warfarin 5 mg")

    assert row.flags.flags() == {MedicationFlag.ANTICOAGULANT}
    assert form.save() is not None
    assert "bleeding_risk" in [alert.rule for alert in service.alerts_for(db, client.id)]


def test_a_suggested_flag_the_therapist_unticks_stays_unticked(
    qtbot: QtBot, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    row = form.medications.add_row()
    qtbot.keyClicks(row.name, "Warfarin")

    row.flags.action(MedicationFlag.ANTICOAGULANT).trigger()
    qtbot.keyClicks(row.name, " 5 mg")

    assert row.flags.flags() == frozenset()


def test_a_future_intake_date_shows_an_inline_message_and_saves_nothing(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    form.recorded_on.clear()
    qtbot.keyClicks(form.recorded_on, (TODAY + timedelta(days=1)).isoformat())

    assert form.save() is None

    assert form.date_grid.errors["recorded_on"].message() == "The intake date is in the future."
    assert service.intake_history(db, client.id) == []
    assert form.is_dirty()


def test_a_medication_without_a_name_and_an_unreadable_surgery_date_are_marked_inline(
    qtbot: QtBot, db: Database, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    medication = form.medications.add_row()
    qtbot.keyClicks(medication.note, "For sleep")
    surgery = form.surgeries.add_row()
    qtbot.keyClicks(surgery.description, "Appendectomy")
    qtbot.keyClicks(surgery.on, "2020-13-45")

    assert form.save() is None

    assert form.medications.error.message() == "Row 1: Each medication needs a name."
    assert form.surgeries.error.message() == "Row 1: 2020-13-45 is not a real date."
    assert medication.name.property("invalid") is True
    assert surgery.on.property("invalid") is True
    assert service.intake_history(db, client.id) == []


def test_weeks_of_pregnancy_can_only_be_given_while_pregnant_is_ticked(
    qtbot: QtBot, form: IntakeForm, client: Client
) -> None:
    form.load(client)
    assert not form.pregnancy_weeks.isEnabled()

    form.pregnant.setFocus()
    qtbot.keyClick(form.pregnant, Qt.Key.Key_Space)
    form.pregnancy_weeks.setValue(30)
    saved = form.save()

    assert saved is not None
    assert (saved.data.pregnant, saved.data.pregnancy_weeks, saved.data.trimester) == (True, 30, 3)
    assert form.pregnancy_weeks.isEnabled()


def test_every_alert_chip_draws_its_symbol_with_the_screens_own_font(qtbot: QtBot) -> None:
    """A symbol the font lacks draws as an empty box beside "Do not treat"."""
    from PySide6.QtGui import QFontMetrics

    from practice.clients.rules import Alert, AlertLevel

    for level in AlertLevel:
        chip = AlertChip([Alert("rule", level, "Title", "Why", "What to do")])
        qtbot.addWidget(chip)
        symbol = chip.text().split(" ", 1)[0]
        assert QFontMetrics(chip.font()).inFontUcs4(ord(symbol)), (level, symbol)
