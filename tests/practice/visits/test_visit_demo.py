"""The demo's visit histories look like a real practice and obey the same rules as the service."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from statistics import mean

import pytest

from practice.bodymap.atlas import load_atlas
from practice.clients import service as clients
from practice.demo import generate
from practice.store import Database
from practice.visits import outcomes, service
from practice.visits.demo import VisitDemoResult, generate_visits
from practice.visits.measures import PAIN_BEFORE, PSFS
from practice.visits.records import VisitStatus
from practice.visits.techniques import unacknowledged
from tests.conftest import Made, made_once, made_result, own_practice

TODAY = date.today()


Demo = tuple[list[int], VisitDemoResult]


def _clients_then_visits(db: Database, clients_count: int, seed: int) -> Demo:
    # The practice demo adds visits itself; here the clients come first, the visits on their own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "practice.demo.generate_visits", lambda *a, **k: VisitDemoResult(0, 0, 0, 0, 0, 0)
        )
        generate(db, clients_count=clients_count, seed=seed, today=TODAY)
    ids = [r.id for r in clients.search_clients(db, include_archived=True)]
    return ids, generate_visits(db, ids, seed=seed, today=TODAY)


@pytest.fixture(scope="module")
def demo_practice(tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path) -> Made[Demo]:
    """40 demo clients and their visits, made once for the module; each test reads its own
    copy (`db`)."""
    return made_once(
        tmp_path_factory, migrated_db_file, "visit-demo", lambda db: _clients_then_visits(db, 40, 7)
    )


@pytest.fixture
def db(
    request: pytest.FixtureRequest, demo_practice: Made[Demo], tmp_path: Path
) -> Iterator[Database]:
    yield from own_practice(request, demo_practice, tmp_path)


@pytest.fixture
def demo(request: pytest.FixtureRequest, demo_practice: Made[Demo]) -> Demo:
    return made_result(request, demo_practice)


def test_most_demo_clients_get_weekly_histories_mostly_signed(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    ids, result = demo
    histories = [service.visit_history(db, cid) for cid in ids]
    with_visits = [h for h in histories if h]
    assert len(with_visits) >= len(ids) * 0.6
    assert all(8 <= len(h) <= 26 for h in with_visits)
    statuses = [v.status for h in with_visits for v in h]
    assert VisitStatus.NO_SHOW in statuses and VisitStatus.CANCELLED in statuses
    completed = [v for h in with_visits for v in h if v.status is VisitStatus.COMPLETED]
    assert sum(v.signed for v in completed) / len(completed) > 0.9
    assert result.drafts >= 1 and result.amendments >= 1
    assert all(v.treatment_minutes <= v.duration_minutes for v in completed)


def test_demo_pain_starts_at_5_to_8_and_improves(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    ids, _ = demo
    firsts, lasts = [], []
    for cid in ids:
        pain = outcomes.progress_series(db, cid).get(PAIN_BEFORE)
        if pain:
            firsts.append(pain[0][1])
            lasts.append(pain[-1][1])
    assert all(5 <= p <= 8 for p in firsts)
    assert mean(lasts) < mean(firsts) - 1


def test_demo_notes_use_atlas_regions_and_acknowledge_alerts(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    ids, _ = demo
    codes = set(load_atlas().codes)
    checked = 0
    for cid in ids:
        alerts = clients.alerts_for(db, cid, TODAY)
        for summary in service.visit_history(db, cid)[:2]:
            record = service.get_visit(db, summary.id)
            for entry in record.treatments:
                assert set(entry.regions) <= codes
                assert unacknowledged(alerts, entry.as_input()) == []
                checked += 1
    assert checked > 0


def test_demo_gives_some_clients_psfs_and_headache_diaries(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    ids, result = demo
    assert result.scores > 0 and result.headache_entries > 0
    assert any(PSFS in outcomes.progress_series(db, cid) for cid in ids)
    assert any(outcomes.headache_diary(db, cid) for cid in ids)


def test_every_demo_chart_agrees_with_its_visits_pain_rating(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    """A physician reads a visit's note and chart side by side: "pain 3" beside a chart with
    nothing marked would contradict itself."""
    conn = sqlite3.connect(db.path)
    rows = conn.execute(
        "SELECT b.max_intensity, s.pain_before FROM body_chart b "
        "JOIN soap_note s ON s.visit_id = b.visit_id"
    ).fetchall()
    conn.close()
    assert len(rows) > 100
    assert [(worst or 0, pain) for worst, pain in rows] == [(pain, pain) for _, pain in rows]


def test_demo_signed_notes_are_locked(
    db: Database, demo: tuple[list[int], VisitDemoResult]
) -> None:
    conn = sqlite3.connect(db.path)
    try:
        (visit_id,) = conn.execute("SELECT id FROM visit WHERE signed_at IS NOT NULL").fetchone()
        with pytest.raises(sqlite3.DatabaseError, match="signed visit notes cannot be changed"):
            conn.execute("UPDATE soap_note SET pain_before = 0 WHERE visit_id = ?", (visit_id,))
    finally:
        conn.close()


def test_the_visit_budget_caps_a_large_demo(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> None:
    def demo(db: Database) -> VisitDemoResult:
        generate(db, clients_count=60, seed=2, today=TODAY)
        ids = [r.id for r in clients.search_clients(db, include_archived=True)]
        return generate_visits(db, ids, seed=2, today=TODAY, max_visits=100)

    made = made_once(tmp_path_factory, migrated_db_file, "budget", demo)
    assert made.result.visits <= 100
