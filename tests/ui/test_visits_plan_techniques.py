"""The visit editor with the technique library and the client's active plan ("From plan")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import Client, ClientForm
from practice.clients.rules import Alert
from practice.dates import format_day
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.records import Plan, PlanForm, PlannedTechniqueForm
from practice.plans.trigger_points import load_catalogue
from practice.store import Database
from practice.techniques import library as techniques
from practice.techniques.records import TechniqueCategory, TechniqueForm
from practice.visits import service
from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm
from ui.visits import dialogs
from ui.visits.editor import VisitEditor
from ui.widgets.status import status_line

WARFARIN = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))


def days_ago(days: int, hour: int = 10) -> datetime:
    return datetime.combine(date.today() - timedelta(days=days), time(hour)).astimezone()


@pytest.fixture
def client(db: Database, consent: Callable[[int], None]) -> Client:
    """A client who consented to treatment a year ago."""
    client = clients.create_client(db, ClientForm("Chloé", "O'Brien"))
    consent(client.id)
    return client


@pytest.fixture
def anticoagulated(db: Database, consent: Callable[[int], None]) -> Client:
    """A client on warfarin: a WARN-DEEP bleeding-risk alert."""
    client = clients.create_client(db, ClientForm("김민지", "Kim"))
    clients.save_intake(
        db, client.id, IntakeData(recorded_on=date.today(), medications=(WARFARIN,))
    )
    consent(client.id)
    return client


@pytest.fixture
def editor(qtbot: QtBot, db: Database) -> VisitEditor:
    widget = VisitEditor(db)
    qtbot.addWidget(widget)
    widget.resize(1000, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    """Every acknowledgement the editor asks for (technique, alert rules), answered yes."""
    questions: list[tuple[str, list[str]]] = []

    def acknowledge(parent: QWidget, technique: str, alerts: Sequence[Alert]) -> bool:
        questions.append((technique, [a.rule for a in alerts]))
        return True

    monkeypatch.setattr(dialogs, "acknowledge", acknowledge)
    return questions


def weekly_plan(db: Database, client: Client, *lines: PlannedTechniqueForm) -> Plan:
    """Weekly for 6 weeks, started 3 weeks ago, re-evaluated in week 5."""
    start = date.today() - timedelta(weeks=3)
    plan = plans.create_plan(
        db,
        client.id,
        PlanForm(start, 1, 6, reevaluation_date=start + timedelta(weeks=4)),
    )
    for line in lines:
        plans.add_planned_technique(db, plan.id, line)
    return plans.get_plan(db, plan.id)


def completed_visit(db: Database, client: Client, when: datetime) -> None:
    """A signed visit: only attended (signed) visits count towards a plan."""
    draft = VisitDraft(VisitForm(when, 60), SoapNote(complaint="Neck"))
    service.sign_visit(db, service.create_visit(db, client.id, draft).visit.id)


RELEASE = PlannedTechniqueForm("myofascial_release", 15, 2, regions=("B_NECK_R",), notes="slow")
TRAPEZIUS_POINTS = PlannedTechniqueForm("trigger_point", 10, 3, muscle="upper_trapezius_R")


def test_the_plan_line_says_how_often_which_visit_and_when_to_re_evaluate(
    db: Database, editor: VisitEditor, client: Client
) -> None:
    plan = weekly_plan(db, client, RELEASE)
    for weeks in (3, 2, 1):
        completed_visit(db, client, days_ago(7 * weeks - 1))

    editor.new_visit(client)

    assert editor.plan_line.isVisibleTo(editor)
    assert editor.plan_line.text() == (
        "Plan: 1 visit a week for 6 weeks · visit 4 of 6 · "
        f"re-evaluate {format_day(plan.reevaluation_date)}"
    )


def test_without_an_active_plan_there_is_no_plan_line_or_from_plan_button(
    editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    assert not editor.plan_line.isVisibleTo(editor)
    assert not editor.from_plan_button.isVisibleTo(editor)


def test_from_plan_adds_rows_prefilled_with_technique_regions_pressure_and_minutes(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    weekly_plan(db, client, RELEASE, TRAPEZIUS_POINTS)
    editor.new_visit(client)
    assert editor.from_plan_button.isVisibleTo(editor)
    menu = editor.from_plan_button.menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == "All 2 planned techniques"
    assert texts[2].startswith("Trigger point therapy (ischemic compression)  ·  Right upper")

    menu.actions()[0].trigger()

    first, second = editor.treatments.rows()
    assert first.value() == TreatmentInput(
        "myofascial_release", 15, ("B_NECK_R",), 2, notes="slow", name="Myofascial release"
    )
    muscle = load_catalogue().muscle("upper_trapezius_R")
    entry = second.value()
    assert (entry.technique, entry.minutes, entry.pressure) == ("trigger_point", 10, 3)
    assert set(entry.regions) == {p.region for p in muscle.trigger_points}
    assert entry.notes == "Right upper trapezius"
    assert editor.is_dirty()

    qtbot.keyClicks(editor.subjective.fields["complaint"], "Neck ache")
    record = editor.save()
    assert record is not None
    assert [(t.technique, t.minutes) for t in record.treatments] == [
        ("myofascial_release", 15),
        ("trigger_point", 10),
    ]


def test_one_planned_line_can_be_added_on_its_own(
    db: Database, editor: VisitEditor, client: Client
) -> None:
    weekly_plan(db, client, RELEASE, TRAPEZIUS_POINTS)
    editor.new_visit(client)
    actions = [a for a in editor.from_plan_button.menu().actions() if not a.isSeparator()]
    actions[1].trigger()
    [row] = editor.treatments.rows()
    assert row.value().technique == "myofascial_release"


def test_a_deep_planned_technique_still_asks_for_the_acknowledgement_at_the_visit(
    qtbot: QtBot,
    db: Database,
    editor: VisitEditor,
    anticoagulated: Client,
    asked: list[tuple[str, list[str]]],
) -> None:
    acknowledged = PlannedTechniqueForm(
        "trigger_point",
        10,
        3,
        muscle="upper_trapezius_R",
        acknowledged=frozenset({"bleeding_risk"}),
    )
    weekly_plan(db, anticoagulated, acknowledged)
    editor.new_visit(anticoagulated)

    editor.add_from_plan(editor._plan.techniques)  # type: ignore[union-attr]

    assert asked == [("Trigger point therapy (ischemic compression)", ["bleeding_risk"])]
    [row] = editor.treatments.rows()
    assert row.acknowledged == frozenset({"bleeding_risk"})
    qtbot.keyClicks(editor.subjective.fields["complaint"], "Neck ache")
    record = editor.save()
    assert record is not None
    [stamp] = record.treatments[0].acknowledgements
    assert stamp.alert == "bleeding_risk"


def test_declining_the_acknowledgement_adds_nothing_from_the_plan(
    db: Database, editor: VisitEditor, anticoagulated: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    weekly_plan(
        db,
        anticoagulated,
        PlannedTechniqueForm(
            "cupping", 10, 2, regions=("B_CALF_R",), acknowledged=frozenset({"bleeding_risk"})
        ),
        RELEASE,
    )
    monkeypatch.setattr(dialogs, "acknowledge", lambda *args: False)
    editor.new_visit(anticoagulated)
    statuses: list[str] = []
    status_line().said.connect(lambda _window, message: statuses.append(message))

    added = editor.add_from_plan(editor._plan.techniques)  # type: ignore[union-attr]

    assert [row.value().technique for row in added] == ["myofascial_release"]
    assert [row.value().technique for row in editor.treatments.rows()] == ["myofascial_release"]
    assert "Cupping not added: its alerts were not acknowledged" in statuses


def test_the_pick_list_is_the_library_with_the_therapists_own_techniques(
    qtbot: QtBot,
    db: Database,
    editor: VisitEditor,
    anticoagulated: Client,
    asked: list[tuple[str, list[str]]],
) -> None:
    own = techniques.create_technique(
        db, TechniqueForm("Gua sha", TechniqueCategory.TOOLS, point_pressure=True)
    )
    techniques.set_technique_archived(db, "vibration", True)
    editor.new_visit(anticoagulated)
    row = editor.treatments.add_row()
    codes = [row.technique.itemData(i) for i in range(row.technique.count())]
    assert own.code in codes and "vibration" not in codes and codes[-1] == "other"

    row.technique.setCurrentIndex(row.technique.findData(own.code))
    row.minutes.setValue(10)

    assert asked == [("Gua sha", ["bleeding_risk"])]
    qtbot.keyClicks(editor.subjective.fields["complaint"], "Neck ache")
    record = editor.save()
    assert record is not None
    [entry] = record.treatments
    assert (entry.technique, entry.name, entry.deep) == (own.code, "Gua sha", True)


def test_the_service_counts_library_point_pressure_as_deep_work(
    db: Database, anticoagulated: Client
) -> None:
    own = techniques.create_technique(
        db, TechniqueForm("Thumb stripping", TechniqueCategory.TRIGGER_POINT, point_pressure=True)
    )
    draft = VisitDraft(VisitForm(days_ago(0, 9)), SoapNote(), (TreatmentInput(own.code, 10),))
    with pytest.raises(ValidationError) as error:
        service.create_visit(db, anticoagulated.id, draft)
    assert "treatments[0].acknowledged" in error.value.errors


def test_an_old_visit_keeps_its_technique_when_the_library_archived_it(
    db: Database, editor: VisitEditor, client: Client
) -> None:
    record = service.create_visit(
        db,
        client.id,
        VisitDraft(VisitForm(days_ago(7)), SoapNote(), (TreatmentInput("vibration", 15),)),
    )
    techniques.set_technique_archived(db, "vibration", True)

    editor.load(client, service.get_visit(db, record.visit.id))

    [row] = editor.treatments.rows()
    assert row.technique.currentText() == "Swedish: vibration"
    assert row.value().technique == "vibration"
    assert editor.save() is not None
