"""The plan editor: ICD-10-CM search on a worker thread, validation next to fields, saving."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import Client, ClientForm, PhysicianForm
from practice.plans import service
from practice.plans.icd10 import LOADER, Icd10Index, Icd10Loader
from practice.plans.records import PlanForm, PlanStatus
from practice.store import Database
from ui.ops import runner
from ui.plans.diagnoses import LOADING_TEXT, CodeListLoader, DiagnosisPicker, code_list
from ui.plans.editor import PlanEditor, suggested_reevaluation


@pytest.fixture(scope="session")
def icd10() -> Icd10Index:
    """The full code list, built once for the run (a few seconds)."""
    return LOADER.load()


@pytest.fixture
def client(db: Database) -> Client:
    return clients.create_client(db, ClientForm("Chloé", "O'Brien"))


@pytest.fixture
def editor(qtbot: QtBot, db: Database, client: Client, icd10: Icd10Index) -> PlanEditor:
    widget = PlanEditor(db)
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    qtbot.waitUntil(lambda: not widget.diagnoses.is_loading())
    widget.new_plan(client)
    return widget


def landed(qtbot: QtBot) -> None:
    """Wait until the writes a click started have landed (they run on the op runner)."""
    qtbot.waitUntil(lambda: runner().idle)


def search(qtbot: QtBot, picker: DiagnosisPicker, text: str) -> list[str]:
    picker.search.clear()
    qtbot.keyClicks(picker.search, text)
    return [picker.results.item(i).text() for i in range(picker.results.count())]


class _GatedLoader(Icd10Loader):
    """The real code list, handed over only once the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def load(self) -> Icd10Index:
        self.gate.wait(timeout=30)
        return LOADER.load()


def test_the_code_list_loads_off_the_gui_thread_with_a_visible_loading_state(
    qtbot: QtBot, icd10: Icd10Index
) -> None:
    gated = _GatedLoader()
    picker = DiagnosisPicker(CodeListLoader(gated))
    qtbot.addWidget(picker)
    picker.show()

    # The GUI thread is free while the list loads: this test keeps running and sees the state.
    assert picker.is_loading()
    assert not picker.search.isEnabled()
    assert picker.search.placeholderText() == LOADING_TEXT
    assert picker.busy.isVisible()

    gated.gate.set()
    qtbot.waitUntil(lambda: not picker.is_loading(), timeout=20000)
    assert picker.search.isEnabled()
    assert not picker.busy.isVisible()
    assert search(qtbot, picker, "low back")[0].startswith("M54.50")


def test_closing_the_window_while_the_code_list_loads_prints_nothing_and_does_not_crash(
    qtbot: QtBot, icd10: Icd10Index, capfd: pytest.CaptureFixture[str]
) -> None:
    gated = _GatedLoader()
    window = QWidget()
    picker = DiagnosisPicker(CodeListLoader(gated, window), window)  # closing deletes both
    window.show()
    assert picker.is_loading()

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del window, picker
    gated.gate.set()
    qtbot.waitUntil(lambda: runner().idle, timeout=20000)
    qtbot.wait(50)  # any late signal would be delivered by now

    assert capfd.readouterr().err == ""


def test_a_failed_code_list_load_says_so_in_place_of_the_list(qtbot: QtBot) -> None:
    class Broken(Icd10Loader):
        def load(self) -> Icd10Index:
            raise OSError("disk unreadable")

    picker = DiagnosisPicker(CodeListLoader(Broken()))
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitUntil(lambda: runner().idle, timeout=5000)
    assert "could not be loaded: disk unreadable" in picker.error.message()
    assert picker.is_loading()


def test_searching_low_back_offers_m54_50_with_its_description(
    qtbot: QtBot, editor: PlanEditor
) -> None:
    results = search(qtbot, editor.diagnoses, "low back")
    assert "M54.50   Low back pain, unspecified" in results
    results = search(qtbot, editor.diagnoses, "m54.5")
    assert results[:3] == [
        "M54.50   Low back pain, unspecified",
        "M54.51   Vertebrogenic low back pain",
        "M54.59   Other low back pain",
    ]


def test_a_category_code_is_refused_with_the_billable_codes_below_it(
    qtbot: QtBot, editor: PlanEditor
) -> None:
    picker = editor.diagnoses
    search(qtbot, picker, "M54.5")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    assert picker.codes() == ()
    message = picker.error.message()
    assert "M54.5 (Low back pain) is a category, not a billable code" in message
    assert "M54.50" in message and "M54.59" in message

    # The offered children are right below: arrow down to one and Enter adds it.
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.codes() == ("M54.51",)
    assert picker.error.message() == ""


def test_diagnoses_keep_their_order_with_pointer_letters(qtbot: QtBot, editor: PlanEditor) -> None:
    picker = editor.diagnoses
    for text in ("M54.50", "M62.830", "neck pain"):
        search(qtbot, picker, text)
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.codes() == ("M54.50", "M62.830", "M54.2")
    assert picker.chosen.item(2).text().startswith("C   M54.2")

    picker.chosen.setCurrentRow(2)
    qtbot.mouseClick(picker.up, Qt.MouseButton.LeftButton)
    assert picker.codes() == ("M54.50", "M54.2", "M62.830")
    assert picker.chosen.item(1).text().startswith("B   M54.2")


def test_a_plan_is_created_from_the_fields(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    physician = clients.create_physician(db, PhysicianForm("Dr. Søren Ålund"))
    editor.new_plan(client)  # the list now holds the physician
    editor.physician.setCurrentIndex(editor.physician.findData(physician.id))
    editor.referral_reason.insert("Lumbago après une chute — 요통")
    search(qtbot, editor.diagnoses, "low back")
    qtbot.keyClick(editor.diagnoses.search, Qt.Key.Key_Return)
    editor.start_date.clear()
    qtbot.keyClicks(editor.start_date, "2025-03-03")
    editor.length.setValue(8)
    editor.count.setValue(2)
    qtbot.keyClicks(editor.precautions.entry, "No prone position after 20 min")
    qtbot.keyClick(editor.precautions.entry, Qt.Key.Key_Return)

    assert editor.end_label.text() == "ends Sunday, April 27, 2025"
    assert editor.visits_label.text() == "16 visits in all"
    assert editor.reevaluation.text() == "2025-03-31"  # 4 weeks in, before half-way
    assert editor.is_dirty()

    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    plan = saved.args[0]
    assert plan == service.active_plan(db, client.id)
    assert plan.physician_id == physician.id
    assert plan.referral_reason == "Lumbago après une chute — 요통"
    assert [d.code for d in plan.diagnoses] == ["M54.50"]
    assert (plan.start_date, plan.end_date) == (date(2025, 3, 3), date(2025, 4, 27))
    assert (plan.frequency_count, plan.frequency_weeks, plan.length_weeks) == (2, 1, 8)
    assert plan.reevaluation_date == date(2025, 3, 31)
    # The client has no intake on file: that itself is a precaution, never read as safe.
    assert [p.text for p in plan.precautions if not p.from_alert] == [
        "No prone position after 20 min"
    ]
    assert [p.text.split(":")[0] for p in plan.precautions if p.from_alert] == [
        "No health history on file"
    ]
    assert not editor.is_dirty()


def test_zero_length_and_zero_frequency_show_messages_and_save_nothing(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    editor.length.setValue(0)
    editor.count.setValue(0)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    messages = editor.error_messages()
    assert "would end before it starts" in messages["length_weeks"]
    assert "a frequency of zero plans no visits" in messages["frequency"]
    assert service.plans_for(db, client.id) == []


def test_unreadable_or_out_of_plan_dates_are_refused_next_to_their_fields(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    editor.start_date.clear()
    qtbot.keyClicks(editor.start_date, "2025-02-30")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert editor.error_messages() == {"start_date": "2025-02-30 is not a real date."}

    editor.start_date.clear()
    qtbot.keyClicks(editor.start_date, "2025-03-03")
    editor.reevaluation.clear()
    qtbot.keyClicks(editor.reevaluation, "2025-03-01")
    editor.referral_date.set_value(date.today() + timedelta(days=3))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    messages = editor.error_messages()
    assert messages["reevaluation_date"] == "The re-evaluation date is before the plan starts."
    assert messages["referral_date"] == "The referral date is in the future."
    assert editor.referral_date.hasFocus()  # the first problem, top of the form
    assert service.plans_for(db, client.id) == []


def test_a_second_active_plan_is_refused_at_the_status_field(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    service.create_plan(db, client.id, PlanForm(date(2025, 1, 6), 1, 4))
    editor.new_plan(client)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert "already has an active plan" in editor.error_messages()["status"]
    assert len(service.plans_for(db, client.id)) == 1


def test_a_double_click_on_create_plan_creates_one_plan(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert len(service.plans_for(db, client.id)) == 1
    assert not editor.is_dirty()


def test_notes_typed_while_a_plan_is_created_stay_in_the_editor_unsaved(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    closed: list[object] = []
    editor.saved.connect(closed.append)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    editor.notes.insertPlainText("Review at week 4")  # typed while the plan is written
    landed(qtbot)
    assert closed == [] and editor.is_dirty()
    assert editor.notes.toPlainText() == "Review at week 4"
    [plan] = service.plans_for(db, client.id)
    assert plan.notes == ""
    assert editor.save() is not None  # Ctrl+S: the same plan is updated, not a second made
    [plan] = service.plans_for(db, client.id)
    assert plan.notes == "Review at week 4"


def test_editing_a_plan_keeps_its_diagnoses_and_saves_the_changes(
    qtbot: QtBot, db: Database, editor: PlanEditor, client: Client
) -> None:
    plan = service.create_plan(
        db, client.id, PlanForm(date(2025, 3, 3), 1, 6, diagnoses=("M54.2", "M62.830"))
    )
    editor.edit_plan(client, plan)
    assert editor.diagnoses.codes() == ("M54.2", "M62.830")
    assert not editor.is_dirty()
    editor.diagnoses.chosen.setCurrentRow(0)
    qtbot.mouseClick(editor.diagnoses.remove, Qt.MouseButton.LeftButton)
    editor.status.setCurrentIndex(editor.status.findData(PlanStatus.ON_HOLD.value))
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = service.get_plan(db, plan.id)
    assert [d.code for d in saved.diagnoses] == ["M62.830"]
    assert saved.status == PlanStatus.ON_HOLD


def test_alert_precautions_are_prefilled_and_the_therapists_own_can_be_removed(
    qtbot: QtBot, db: Database, editor: PlanEditor
) -> None:
    kofi = clients.create_client(db, ClientForm("Kofi", "Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(db, kofi.id, IntakeData(recorded_on=date.today(), medications=(warfarin,)))
    editor.new_plan(kofi)
    [alert] = editor.precautions.alert_texts
    assert alert.startswith("Bleeding risk:")
    for text in ("Short sessions", "No cupping"):
        qtbot.keyClicks(editor.precautions.entry, text)
        qtbot.mouseClick(editor.precautions.add_button, Qt.MouseButton.LeftButton)
    editor.precautions.own.setCurrentRow(0)
    qtbot.mouseClick(editor.precautions.remove_button, Qt.MouseButton.LeftButton)
    plan = editor.save()
    assert plan is not None
    assert [(p.from_alert, p.text.split(":")[0]) for p in plan.precautions] == [
        (True, "Bleeding risk"),
        (False, "No cupping"),
    ]


def test_the_reevaluation_suggestion_is_half_way_but_at_most_four_weeks() -> None:
    start = date(2025, 3, 3)
    assert suggested_reevaluation(start, 6) == date(2025, 3, 24)
    assert suggested_reevaluation(start, 12) == date(2025, 3, 31)
    assert suggested_reevaluation(start, 1) == date(2025, 3, 6)


def test_the_application_loader_is_shared(qtbot: QtBot, icd10: Icd10Index) -> None:
    assert code_list() is code_list()
    picker = DiagnosisPicker()
    qtbot.addWidget(picker)
    assert not picker.is_loading()  # already built: usable at once
