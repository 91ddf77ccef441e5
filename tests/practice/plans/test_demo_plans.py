"""The demo plans obey the plan rules: billable codes, goals in range, safe techniques."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.demo import DemoResult, generate
from practice.plans import goals, service
from practice.plans.course import course
from practice.plans.demo import DESCRIPTIONS, DIAGNOSES
from practice.plans.icd10 import Icd10Index
from practice.plans.records import GoalKind, PlanStatus
from practice.store import Database
from practice.techniques import library as techniques
from tests.conftest import Made, made_once, made_result, own_practice

TODAY = date.today()


@pytest.fixture(scope="module")
def demo_practice(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> Made[DemoResult]:
    """The 40-client demo, made once for the module; each test reads its own copy (`db`)."""
    return made_once(
        tmp_path_factory,
        migrated_db_file,
        "demo-plans",
        lambda db: generate(db, clients_count=40, seed=5, today=TODAY),
    )


@pytest.fixture
def db(
    request: pytest.FixtureRequest, demo_practice: Made[DemoResult], tmp_path: Path
) -> Iterator[Database]:
    yield from own_practice(request, demo_practice, tmp_path)


@pytest.fixture
def demo(request: pytest.FixtureRequest, demo_practice: Made[DemoResult]) -> DemoResult:
    return made_result(request, demo_practice)


def test_demo_codes_are_billable_and_described_as_in_the_code_list(icd10: Icd10Index) -> None:
    used = {code for codes in DIAGNOSES.values() for code in codes} | {"G44.209"}
    assert used <= set(DESCRIPTIONS)
    for code, description in DESCRIPTIONS.items():
        assert icd10.validate_billable(code) == code
        assert icd10.describe(code) == description


def test_clients_with_visits_get_plans_that_cover_their_first_visit(
    db: Database, demo: DemoResult
) -> None:
    assert demo.plans > 0
    checked = 0
    for client in clients.search_clients(db, include_archived=True):
        plans = service.plans_for(db, client.id)
        visit_days = [v.day for v in course(db, client.id, date(2000, 1, 1), TODAY).attended]
        if not visit_days:
            assert plans == []
            continue
        checked += 1
        first = min(plans, key=lambda p: p.start_date)
        assert first.start_date == visit_days[0]
        active = [p for p in plans if p.status is PlanStatus.ACTIVE]
        assert len(active) <= 1
        for plan in active:
            assert plan.end_date >= TODAY
        for plan in plans:
            assert plan.diagnoses, "every plan has a diagnosis"
            if plan.physician_id is not None:
                assert plan.referral_date is not None
                assert plan.referral_date < plan.start_date
    assert checked >= 20


def test_demo_goals_are_in_range_and_point_the_right_way(db: Database, demo: DemoResult) -> None:
    for client in clients.search_clients(db, include_archived=True):
        for plan in service.plans_for(db, client.id):
            for goal in plan.goals:
                if goal.kind is GoalKind.FUNCTIONAL:
                    assert goal.text
                    continue
                measure = goals.goal_measure(goal.measure)
                assert goals.goal_errors(goal.form(), measure) == {}


def test_no_demo_plan_plans_restricted_work_against_an_alert(
    db: Database, demo: DemoResult
) -> None:
    library = techniques.techniques_by_code(db)
    for client in clients.search_clients(db, include_archived=True):
        alerts = clients.alerts_for(db, client.id, TODAY)
        for plan in service.plans_for(db, client.id):
            for line in plan.techniques:
                needed = service.acknowledgements_needed(
                    library[line.technique], line.pressure, alerts
                )
                assert needed == [], (client.id, line)
            alert_rules = {a.rule for a in alerts}
            assert {p.source_alert for p in plan.precautions if p.from_alert} <= alert_rules
