"""The Plan tab: plans list, progress card, goals, planned techniques with acknowledgements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QToolButton
from pytestqt.qtbot import QtBot

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import Client, ClientForm
from practice.plans import service
from practice.plans.icd10 import LOADER, Icd10Index
from practice.plans.records import GoalStatus, Plan, PlanForm, PlanStatus
from practice.store import Database
from practice.store.audit import list_entries
from practice.techniques import library as techniques
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from ui.clients.workspace import ClientWorkspace
from ui.main_window import MainWindow
from ui.ops import runner
from ui.plans.dialogs import ACKNOWLEDGE_TEXT, GoalDialog, PlannedTechniqueDialog
from ui.plans.library import TechniqueLibraryDialog, TechniqueTableModel
from ui.plans.plan_list import PlanListModel
from ui.plans.tab import PlanTab

TODAY = date.today()
START = TODAY - timedelta(days=20)  # the plan is in its third week


@pytest.fixture(scope="session")
def icd10() -> Icd10Index:
    return LOADER.load()


@pytest.fixture
def client(db: Database, consent: Callable[[int], None]) -> Client:
    """A client who consented to treatment a year ago."""
    client = clients.create_client(db, ClientForm("김민지", "Peña"))
    consent(client.id)
    return client


@pytest.fixture
def anticoagulated(db: Database, consent: Callable[[int], None]) -> Client:
    client = clients.create_client(db, ClientForm("Kofi", "Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(db, client.id, IntakeData(recorded_on=TODAY, medications=(warfarin,)))
    consent(client.id)
    return client


@pytest.fixture
def tab(qtbot: QtBot, db: Database, icd10: Icd10Index) -> PlanTab:
    widget = PlanTab(db)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visit(db: Database, client: Client, day: date, pain: int | None = None) -> None:
    """A signed visit (drafts are not counted for a plan)."""
    starts_at = datetime.combine(day, time(10)).astimezone()
    note = SoapNote(pain_before=pain, complaint="Low back ache")
    record = visits.create_visit(db, client.id, VisitDraft(VisitForm(starts_at), note))
    visits.sign_visit(db, record.visit.id)


def weekly_plan(db: Database, client: Client, weeks: int = 6) -> Plan:
    form = PlanForm(START, 1, weeks, reevaluation_date=START + timedelta(days=24))
    return service.create_plan(db, client.id, form)


def shown(tab: PlanTab, client: Client) -> None:
    """The tab showing the client, once its plans are read (on the op runner)."""
    tab.load(client)
    runner().wait_idle()


def test_the_list_models_pass_the_model_tester(qtmodeltester, db: Database, client: Client) -> None:
    weekly_plan(db, client)
    model = PlanListModel()
    model.set_plans(service.plans_for(db, client.id))
    qtmodeltester.check(model)
    techniques.seed_techniques(db)
    table = TechniqueTableModel()
    table.set_rows(techniques.list_techniques(db))
    qtmodeltester.check(table)


def test_a_client_without_plans_sees_what_belongs_here(tab: PlanTab, client: Client) -> None:
    shown(tab, client)
    assert tab.pages.currentWidget() is tab.empty
    assert tab.empty_new_button.text() == "New plan (Ctrl+Shift+P)"
    assert tab.list_empty.isVisible()


def test_a_plan_created_through_the_tab_is_listed_and_shown(
    qtbot: QtBot, db: Database, tab: PlanTab, client: Client
) -> None:
    shown(tab, client)
    qtbot.mouseClick(tab.empty_new_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert tab.pages.currentWidget() is editor
    qtbot.keyClicks(editor.diagnoses.search, "low back")
    qtbot.keyClick(editor.diagnoses.search, Qt.Key.Key_Return)
    editor.referral_reason.insert("Douleur lombaire — 허리 통증")
    editor.start_date.clear()
    qtbot.keyClicks(editor.start_date, START.isoformat())
    editor.length.setValue(12)

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)

    assert tab.pages.currentWidget() is tab.view
    [plan] = service.plans_for(db, client.id)
    assert tab.model.rowCount() == 1 and tab.current_plan() == plan
    assert tab.view.card.visits.text() == "0 of 12 visits"
    assert "Douleur lombaire — 허리 통증" in tab.view.referral.text()
    assert tab.view.status_chip.text().endswith("Active")
    assert not tab.is_dirty()


def test_the_progress_card_shows_visits_done_of_planned_and_the_reevaluation(
    db: Database, tab: PlanTab, client: Client
) -> None:
    weekly_plan(db, client)
    visit(db, client, START - timedelta(days=2))  # before the plan: not counted
    visit(db, client, START)
    visit(db, client, START + timedelta(days=8))
    shown(tab, client)
    card = tab.view.card
    assert card.visits.text() == "2 of 6 visits"
    assert card.due.text().startswith("3 due by now · 1 behind the plan")
    assert (card.bar.done, card.bar.planned, card.bar.due) == (2, 6, 3)
    assert card.reevaluation.text().endswith("in 4 days")
    assert card.reevaluation.property("kind") == "warning"


def test_an_overdue_reevaluation_is_shown_as_overdue(
    db: Database, tab: PlanTab, client: Client
) -> None:
    form = PlanForm(START, 1, 6, reevaluation_date=START + timedelta(days=14))
    service.create_plan(db, client.id, form)
    shown(tab, client)
    assert tab.view.card.reevaluation.text().endswith("overdue by 6 days")
    assert tab.view.card.reevaluation.property("kind") == "danger"


def test_a_measurable_goal_is_range_checked_then_shown_with_its_status(
    qtbot: QtBot, db: Database, tab: PlanTab, client: Client
) -> None:
    plan = weekly_plan(db, client)
    visit(db, client, START, pain=7)
    visit(db, client, START + timedelta(days=7), pain=5)
    shown(tab, client)
    qtbot.mouseClick(tab.view.card.add_goal_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, GoalDialog)
    assert dialog.measure.currentData() == "pain_before"
    qtbot.keyClicks(dialog.baseline, "11")
    qtbot.keyClicks(dialog.target, "3")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert (
        "runs from 0 to 10; a baseline of 11 is outside it"
        in dialog.form.errors["baseline"].message()
    )
    assert service.get_plan(db, plan.id).goals == ()

    dialog.baseline.clear()
    qtbot.keyClicks(dialog.baseline, "7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert tab.view.card.goal_texts() == ["Partially met: Pain before treatment (NRS) 7 → 5 → 3"]


def test_a_functional_goal_in_words_can_be_marked_met(
    qtbot: QtBot, db: Database, tab: PlanTab, client: Client
) -> None:
    plan = weekly_plan(db, client)
    shown(tab, client)
    qtbot.mouseClick(tab.view.card.add_goal_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, GoalDialog)
    dialog.functional.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert "Describe the functional goal" in dialog.form.errors["text"].message()
    dialog.text.insert("Carry my daughter Zoë upstairs 🙂")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert tab.view.card.goal_texts() == ["Not met: Carry my daughter Zoë upstairs 🙂"]

    [goal] = service.get_plan(db, plan.id).goals
    tab.view.card.goal_status_requested.emit(goal, GoalStatus.MET)
    qtbot.waitUntil(lambda: runner().idle)
    assert tab.view.card.goal_texts() == ["Met: Carry my daughter Zoë upstairs 🙂"]


def test_a_double_click_on_a_goals_save_adds_one_goal(
    qtbot: QtBot, db: Database, tab: PlanTab, client: Client
) -> None:
    plan = weekly_plan(db, client)
    shown(tab, client)
    qtbot.mouseClick(tab.view.card.add_goal_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, GoalDialog)
    dialog.functional.setChecked(True)
    dialog.text.insert("Sleep through the night")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Escape while it is written: the dialog waits for the goal
    qtbot.waitUntil(lambda: runner().idle)
    assert len(service.get_plan(db, plan.id).goals) == 1
    assert tab.view.card.goal_texts() == ["Not met: Sleep through the night"]


def test_deep_work_under_an_alert_needs_an_explicit_acknowledgement_which_is_stored(
    qtbot: QtBot, db: Database, tab: PlanTab, anticoagulated: Client
) -> None:
    plan = weekly_plan(db, anticoagulated)
    shown(tab, anticoagulated)
    qtbot.mouseClick(tab.view.add_technique_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, PlannedTechniqueDialog)
    dialog.technique.select("deep_tissue")
    dialog.regions.set_regions(["B_UPPER_BACK_R"])
    assert dialog.warning.isVisible() and "Bleeding risk" in dialog.warning.text()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    ack = dialog.acknowledge_dialog
    assert ack is not None and ack.isVisible()
    texts = " ".join(label.text() for label in ack.findChildren(type(tab.view.title)))
    assert "Bleeding risk" in texts and "What to do:" in texts
    assert not ack.acknowledge_button.isEnabled()  # not until the box is ticked
    assert service.get_plan(db, plan.id).techniques == ()

    ack.considered.setChecked(True)
    assert ack.considered.text() == ACKNOWLEDGE_TEXT
    qtbot.mouseClick(ack.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)

    [line] = service.get_plan(db, plan.id).techniques
    [stamp] = line.acknowledgements
    assert (line.technique, stamp.alert, stamp.by) == (
        "deep_tissue",
        "bleeding_risk",
        "test-therapist",
    )
    [row] = tab.view.technique_texts()
    assert "Deep tissue" in row and "acknowledged Bleeding risk" in row
    logged = list_entries(db, client_id=anticoagulated.id)
    assert any(e.action == "acknowledge" for e in logged)


def test_declining_the_acknowledgement_plans_nothing(
    qtbot: QtBot, db: Database, tab: PlanTab, anticoagulated: Client
) -> None:
    plan = weekly_plan(db, anticoagulated)
    shown(tab, anticoagulated)
    qtbot.mouseClick(tab.view.add_technique_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, PlannedTechniqueDialog)
    dialog.technique.select("trigger_point")
    dialog.muscle.setCurrentIndex(dialog.muscle.findData("upper_trapezius_R"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.acknowledge_dialog is not None
    qtbot.mouseClick(dialog.acknowledge_dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert service.get_plan(db, plan.id).techniques == ()
    assert dialog.isVisible()


def test_light_work_is_planned_without_asking_and_can_be_taken_off(
    qtbot: QtBot, db: Database, tab: PlanTab, anticoagulated: Client
) -> None:
    plan = weekly_plan(db, anticoagulated)
    shown(tab, anticoagulated)
    qtbot.mouseClick(tab.view.add_technique_button, Qt.MouseButton.LeftButton)
    dialog = tab.view.dialog
    assert isinstance(dialog, PlannedTechniqueDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert "Pick a technique" in dialog.form.errors["technique"].message()
    dialog.technique.select("effleurage")
    dialog.pressure.setCurrentIndex(dialog.pressure.findData(2))
    dialog.regions.set_regions(["B_LOW_BACK_L", "B_LOW_BACK_R"])
    assert not dialog.warning.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert dialog.acknowledge_dialog is None
    [line] = service.get_plan(db, plan.id).techniques
    assert (line.pressure, line.minutes, line.acknowledgements) == (2, 15, ())

    remove = next(b for b in tab.view.findChildren(QToolButton) if b.toolTip().startswith("Take "))
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner().idle)
    assert service.get_plan(db, plan.id).techniques == ()
    qtbot.waitUntil(  # the old rows are deleted once the event loop comes round
        lambda: not any(b.toolTip().startswith("Take ") for b in tab.view.findChildren(QToolButton))
    )


def test_a_completed_plan_is_read_only(db: Database, tab: PlanTab, client: Client) -> None:
    plan = weekly_plan(db, client)
    service.set_status(db, plan.id, PlanStatus.COMPLETED)
    shown(tab, client)
    assert tab.view.status_chip.text().endswith("Completed")
    assert not tab.view.edit_button.isVisible()
    assert not tab.view.add_technique_button.isVisible()
    assert not tab.view.card.add_goal_button.isVisible()


def test_the_workspace_has_a_plan_tab_after_progress_and_new_plan_opens_it(
    qtbot: QtBot, db: Database, client: Client, icd10: Icd10Index
) -> None:
    workspace = ClientWorkspace(db)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_client(client.id)
    names = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    assert names.index("Plan") == names.index("Progress") + 1
    workspace.new_plan()
    assert workspace.tabs.currentWidget() is workspace.plan
    assert workspace.plan.pages.currentWidget() is workspace.plan.editor
    workspace.plan.editor.length.setValue(4)
    assert workspace.has_unsaved_changes()
    assert workspace.save()
    assert service.active_plan(db, client.id) is not None


def test_the_main_window_lists_new_plan_and_the_technique_library(qtbot: QtBot, data_dir) -> None:
    window = MainWindow(data_dir)
    qtbot.addWidget(window)
    actions = {
        a.text().replace("&", ""): a.shortcut().toString()
        for menu in window.menuBar().actions()
        for a in menu.menu().actions()
    }
    assert actions["New plan"] == "Ctrl+Shift+P"
    assert "Technique library…" in actions


def test_the_library_adds_the_therapists_own_technique_and_archives_it(
    qtbot: QtBot, db: Database
) -> None:
    dialog = TechniqueLibraryDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == len(techniques.STARTER_TECHNIQUES)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    dialog.name.insert("Gua sha — 刮痧")
    dialog.cpt.setEditText("9714")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "5 digits" in dialog.form.errors["default_cpt"].message()

    dialog.cpt.setCurrentIndex(dialog.cpt.findData(techniques.MANUAL_THERAPY))
    dialog.category.setCurrentIndex(dialog.category.findData("tools"))
    dialog.deep.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = next(t for t in techniques.list_techniques(db) if t.name == "Gua sha — 刮痧")
    assert (saved.deep, saved.default_cpt, saved.category.value) == (True, "97140", "tools")
    assert dialog.current == saved

    qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
    assert saved.code not in {t.code for t in techniques.list_techniques(db)}
    dialog.show_archived.setChecked(True)
    row = dialog.model.row_of(saved.code)
    assert row is not None and "(archived)" in dialog.model.index(row, 0).data()


def test_a_visit_signed_while_the_tab_is_hidden_is_counted_when_it_is_next_shown(
    qtbot: QtBot, db: Database, tab: PlanTab, client: Client
) -> None:
    weekly_plan(db, client)
    shown(tab, client)
    assert tab.view.card.visits.text().startswith("0 of 6 visits")
    tab.hide()

    visit(db, client, START + timedelta(days=2), pain=6)
    runner().announce(Changes.of("visit", client_id=client.id))  # what the visit editor says
    runner().announce(Changes.of("visit", client_id=client.id + 1))  # another client's
    assert tab.view.card.visits.text().startswith("0 of 6 visits")  # nothing read while hidden

    tab.show()
    qtbot.waitUntil(lambda: tab.view.card.visits.text().startswith("1 of 6 visits"))
