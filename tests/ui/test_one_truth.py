"""One truth across the whole demo: the Plan tab, the summary data and the printed summary agree.

Every client of a 300-client demo practice, every plan: the visits counted, each goal's
baseline, latest score and status, and the pain baseline of the outcome table are the same on
the screen, in the summary a physician receives and in the PDF's text.

The PDFs are read back with PDFium (pypdfium2), which reads a summary's text in about 25 ms
where pypdf needs about 500 (it parses the body maps' thousands of path operators in Python):
the whole demo's summaries in seconds instead of minutes. The other document tests read with
pypdf.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.demo import generate
from practice.plans import service as plans
from practice.printouts import render_summary
from practice.store import Database, open_database
from practice.summaries import narrative
from practice.summaries.service import summary_draft
from ui.plans.progress_card import goal_numbers
from ui.plans.tab import PlanView, read_plan

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
    document = pypdfium2.PdfDocument(data)
    try:
        pages = (document[i].get_textpage().get_text_range() for i in range(len(document)))
        return " ".join(" ".join(pages).split())
    finally:
        document.close()


def test_plan_tab_summary_and_pdf_agree_for_every_plan_of_the_demo(
    qtbot: QtBot, demo: Database
) -> None:
    view = PlanView(demo)
    qtbot.addWidget(view)
    checked = goals_checked = 0
    for client in clients.search_clients(demo, include_archived=True, limit=DEMO_CLIENTS):
        for plan in plans.plans_for(demo, client.id):
            read = read_plan(demo, client.id, plan.id, TODAY)  # what the Plan tab reads
            course = read.course
            view.show_plan(client, plan, read, TODAY)
            draft = summary_draft(demo, client.id, plan_id=plan.id, today=TODAY)
            text = _pdf_text(render_summary(draft))

            # Visits: screen, summary data and paper.
            done = course.visits_done
            assert view.card.visits.text().startswith(f"{done} of {plan.planned_visits} visits")
            assert len(draft.completed_visits) == done
            assert all(v.day <= plan.end_date for v in draft.visits)
            word = "visit" if done == 1 else "visits"
            assert f"{done} {word} of {plan.planned_visits} planned" in text

            # Goals: the same baseline, latest and status everywhere.
            shown = view.card.goal_texts()
            assert len(shown) == len(course.goals) == len(draft.goals)
            for item, spoken, line in zip(course.goals, shown, draft.goals, strict=True):
                assert spoken.startswith(item.status.label)
                assert (line.baseline, line.latest, line.status) == (
                    item.baseline,
                    item.latest,
                    item.status.label,
                )
                if item.measure_name:
                    assert goal_numbers(item) in spoken
                    assert " ".join(line.text.split()) in text
                    latest = narrative.number(item.latest) if item.latest is not None else "–"
                    assert f"{latest} {item.status.label}" in text
                goals_checked += 1

            # The outcome table's pain baseline is the goal's baseline.
            pain = course.measure("pain_before")
            printed = {m.code: m for m in draft.measures}
            if pain is not None:
                assert printed["pain_before"].baseline == pain.baseline
                assert printed["pain_before"].latest == pain.latest
                for item in course.goals:
                    if item.goal.measure == "pain_before":
                        assert item.baseline == pain.baseline
            checked += 1
    assert checked >= DEMO_CLIENTS // 4, "the demo gives most clients with visits a plan"
    assert goals_checked >= checked
