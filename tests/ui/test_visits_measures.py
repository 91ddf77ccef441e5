"""Recording outcome measures from the Progress tab: PSFS, headache diary, custom measures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import Client, ClientForm
from practice.store import Database
from practice.visits import measures, outcomes
from practice.visits.records import CustomMeasureForm, PsfsItem
from ui.ops import runner
from ui.visits.measures_dialog import KINDS, NEW_MEASURE, RecordMeasureDialog
from ui.visits.tab import RECORD_MEASURE_KEYS, ProgressTab


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Ana", "Peña"))


@pytest.fixture
def dialog(qtbot: QtBot, db: Database, client: Client) -> RecordMeasureDialog:
    widget = RecordMeasureDialog(db, client)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def choose(dialog: RecordMeasureDialog, kind: str) -> None:
    dialog.kind.setCurrentIndex(KINDS.index(kind))


def test_recording_a_psfs_from_the_progress_tab_adds_its_mean_to_the_chart(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    tab = ProgressTab(db)
    qtbot.addWidget(tab)
    tab.load(client)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.record_button.shortcut().toString() == RECORD_MEASURE_KEYS

    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    dialog = tab.record_dialog
    assert dialog is not None
    for row, (activity, score) in enumerate([("Tie shoes", 3), ("Sit", 5), ("Lift child", 7)]):
        dialog.activities[row].setText(activity)
        dialog.scores[row].setValue(score)
    assert dialog.mean_label.text() == "Mean: 5.0"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert outcomes.psfs_activities(db, client.id) == ("Tie shoes", "Sit", "Lift child")
    assert outcomes.progress_series(db, client.id)[measures.PSFS] == [(date.today(), 5.0)]
    assert tab.view is not None
    qtbot.waitUntil(lambda: runner().idle)  # the chart's scores are read on the op runner
    assert [chart.title.text() for chart in tab.view.charts] == [measures.PSFS.name]


def test_the_next_psfs_starts_with_the_same_activities(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    items = [PsfsItem("Tie shoes", 3), PsfsItem("Sit", 4), PsfsItem("Run", 2), PsfsItem("Cook", 6)]
    outcomes.record_psfs(db, client.id, date.today() - timedelta(days=7), items)

    dialog = RecordMeasureDialog(db, client)
    qtbot.addWidget(dialog)

    assert [edit.text() for edit in dialog.activities[: dialog.row_count]] == [
        "Tie shoes",
        "Sit",
        "Run",
        "Cook",
    ]


def test_a_psfs_score_above_ten_cannot_be_entered(dialog: RecordMeasureDialog) -> None:
    dialog.scores[0].setValue(11)

    assert dialog.scores[0].value() == 10


def test_a_psfs_with_an_unnamed_activity_is_refused_inline_and_nothing_is_saved(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    dialog.activities[0].setText("Tie shoes")
    dialog.activities[2].setText("Sit")  # the second is left empty

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert "Name the activity" in dialog.psfs_grid.errors["items[1]"].message()
    assert dialog.psfs_grid.errors["items[0]"].message() == ""
    assert outcomes.progress_series(db, client.id) == {}


def test_a_date_in_the_future_is_refused_next_to_the_date(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    choose(dialog, "Sleep quality")
    dialog.date.set_value(date.today() + timedelta(days=1))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "future" in dialog.top.errors["measured_on"].message()
    assert outcomes.progress_series(db, client.id) == {}


def test_a_headache_diary_entry_is_stored(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    choose(dialog, "Headache diary entry")
    dialog.date.set_value(date.today() - timedelta(days=2))
    dialog.duration.setValue(3.5)
    dialog.intensity.setValue(6)
    dialog.medication_taken.setChecked(True)
    dialog.medication.setText("Ibuprofen 400 mg")
    dialog.notes.setPlainText("After a long drive")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted
    [entry] = outcomes.headache_diary(db, client.id)
    assert entry.entry.occurred_on == date.today() - timedelta(days=2)
    assert (entry.entry.duration_hours, entry.entry.intensity) == (3.5, 6)
    assert entry.entry.medication_taken
    assert entry.entry.medication == "Ibuprofen 400 mg"
    assert entry.entry.notes == "After a long drive"


def test_a_named_medication_not_ticked_as_taken_is_refused_inline(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    choose(dialog, "Headache diary entry")
    dialog.medication.setText("Ibuprofen")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "tick that it was taken" in dialog.headache_grid.errors["medication_taken"].message()
    assert outcomes.headache_diary(db, client.id) == []


def test_a_new_custom_measure_and_its_value_appear_in_the_progress_series(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    choose(dialog, "Custom measure")
    assert dialog.custom.currentText() == NEW_MEASURE
    dialog.new_name.setText("Neck rotation")
    dialog.new_unit.setText("degrees")
    dialog.new_min.setValue(0)
    dialog.new_max.setValue(90)
    dialog.new_mcid.setText("10")
    dialog.custom_value.setValue(45)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted
    [measure] = outcomes.custom_measures(db)
    assert (measure.name, measure.unit, measure.mcid_points) == ("Neck rotation", "degrees", 10)
    assert outcomes.progress_series(db, client.id)[measure] == [(date.today(), 45)]


def test_a_value_outside_a_new_measures_range_defines_nothing(
    qtbot: QtBot, db: Database, client: Client, dialog: RecordMeasureDialog
) -> None:
    choose(dialog, "Custom measure")
    dialog.new_name.setText("Neck rotation")
    dialog.new_max.setValue(90)
    dialog.custom_value.setValue(120)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "from 0 to 90" in dialog.custom_grid.errors["value"].message()
    assert outcomes.custom_measures(db) == []


def test_an_existing_custom_measure_can_be_chosen_and_scored(
    qtbot: QtBot, db: Database, client: Client
) -> None:
    measure = outcomes.define_custom_measure(db, CustomMeasureForm("Grip", 0, 60, True, unit="kg"))
    dialog = RecordMeasureDialog(db, client)
    qtbot.addWidget(dialog)
    choose(dialog, "Custom measure")
    assert dialog.custom.currentData() == measure.definition_id
    assert not dialog.new_grid.isVisibleTo(dialog)
    dialog.custom_value.setValue(32)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert outcomes.progress_series(db, client.id)[measure] == [(date.today(), 32)]
