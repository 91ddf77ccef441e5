"""One truth across the whole demo: the Plan tab, the summary data and the printed summary agree.

Every plan of every client of a 300-client demo practice: the visits counted, each goal's
baseline, latest score and status, and the pain baseline of the outcome table are the same in
the plan course the Plan tab shows and in the summary a physician receives. The screen and the
paper are then driven for a sample holding one plan of every shape the demo has (each mix of
goal statuses and measures, no, one or several visits, each plan status), so a way of drawing
that some plan needs and others do not is still exercised.

(Driving the widget and reading back the PDF of all ~500 plans took ~600 s on a loaded machine;
the figures are the same functions of the same data for every plan of one shape.)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.records import Client
from practice.demo import generate
from practice.plans import service as plans
from practice.plans.course import Course, plan_course
from practice.plans.records import GoalStatus, Plan
from practice.printouts import render_summary
from practice.store import Database, open_database
from practice.summaries import narrative
from practice.summaries.service import SummaryDraft, summary_draft
from ui.plans.tab import PlanView, goal_numbers

DEMO_CLIENTS = 300
TODAY = date.today()


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one-truth") / "practice"
    db = open_database(folder)
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=11, today=TODAY)
    finally:
        db.close()
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "practice"
    shutil.copytree(demo_folder, copy, ignore=shutil.ignore_patterns("fascia.lock"))
    db = open_database(copy)
    yield db
    db.close()


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _plans(demo: Database) -> Iterator[tuple[Client, Plan]]:
    for client in clients.search_clients(demo, include_archived=True, limit=DEMO_CLIENTS):
        for plan in plans.plans_for(demo, client.id):
            yield client, plan


def _shape(plan: Plan, course: Course) -> tuple[object, ...]:
    """What decides how a plan is drawn: its status, none, one or more visits, which goal
    statuses it shows, whether a goal is unmeasured or not yet re-measured, a pain table."""
    return (
        str(plan.status),
        min(course.visits_done, 2),
        frozenset(str(g.status) for g in course.goals),
        any(g.measure_name is None for g in course.goals),
        any(g.latest is None for g in course.goals),
        course.measure("pain_before") is not None,
    )


def _check_figures(course: Course, draft: SummaryDraft, plan: Plan) -> None:
    """The plan course (what the Plan tab shows) and the summary data agree."""
    assert len(draft.completed_visits) == course.visits_done
    assert all(v.day <= plan.end_date for v in draft.visits)
    assert len(course.goals) == len(draft.goals)
    for item, line in zip(course.goals, draft.goals, strict=True):
        assert (line.baseline, line.latest, line.status) == (
            item.baseline,
            item.latest,
            item.status.label,
        )
    pain = course.measure("pain_before")
    printed = {m.code: m for m in draft.measures}
    if pain is not None:
        assert printed["pain_before"].baseline == pain.baseline
        assert printed["pain_before"].latest == pain.latest
        for item in course.goals:
            if item.goal.measure == "pain_before":
                assert item.baseline == pain.baseline


def _check_screen_and_paper(
    view: PlanView, plan: Plan, course: Course, draft: SummaryDraft
) -> None:
    """The Plan tab's card and the printed summary say what the figures say."""
    text = _pdf_text(render_summary(draft))
    done = course.visits_done
    assert view.card.visits.text().startswith(f"{done} of {plan.planned_visits} visits")
    word = "visit" if done == 1 else "visits"
    assert f"{done} {word} of {plan.planned_visits} planned" in text
    shown = view.card.goal_texts()
    assert len(shown) == len(course.goals)
    for item, spoken, line in zip(course.goals, shown, draft.goals, strict=True):
        assert spoken.startswith(item.status.label)
        if item.measure_name:
            assert goal_numbers(item) in spoken
            assert " ".join(line.text.split()) in text
            latest = narrative.number(item.latest) if item.latest is not None else "–"
            assert f"{latest} {item.status.label}" in text


def test_plan_tab_summary_and_pdf_agree_for_every_plan_of_the_demo(
    qtbot: QtBot, demo: Database
) -> None:
    view = PlanView(demo)
    qtbot.addWidget(view)
    checked = goals_checked = 0
    sample: dict[tuple[object, ...], tuple[Client, Plan, Course, SummaryDraft]] = {}
    for client, plan in _plans(demo):
        course = plan_course(demo, plan.id, TODAY)
        draft = summary_draft(demo, client.id, plan_id=plan.id, today=TODAY)
        _check_figures(course, draft, plan)
        sample.setdefault(_shape(plan, course), (client, plan, course, draft))
        checked += 1
        goals_checked += len(course.goals)
    assert checked >= DEMO_CLIENTS // 4, "the demo gives most clients with visits a plan"
    assert goals_checked >= checked

    for client, plan, course, draft in sample.values():
        view.show_plan(client, plan, TODAY)
        _check_screen_and_paper(view, plan, course, draft)
    statuses = set().union(*(shape[2] for shape in sample))  # type: ignore[arg-type]
    assert statuses == {str(s) for s in GoalStatus}, "the sample shows every goal status"
    print(f"{checked} plans compared; {len(sample)} of every shape drawn and printed")
