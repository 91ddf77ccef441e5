"""A big demo is a practice of many years: courses of care spread over twenty years, each with
its consent before it, and the whole practice passes `fascia-cli check`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from practice.cli import main
from practice.clients import service as clients
from practice.clients.models import ConsentRow
from practice.demo import generate, history_years
from practice.store import Database
from practice.visits.models import VisitRow

TODAY = date.today()


def test_a_small_demo_keeps_every_course_near_today_and_a_big_one_reaches_twenty_years() -> None:
    assert history_years(40) == history_years(1_000) == 0
    assert history_years(10_000) == 6
    assert history_years(30_000) == history_years(90_000) == 20


@pytest.fixture
def old_practice(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr("practice.demo.FULL_CLIENTS", 60)  # 60 clients make twenty years
    generate(db, clients_count=60, seed=3, today=TODAY)
    return db


def test_a_big_demos_visits_spread_over_twenty_years(old_practice: Database) -> None:
    with old_practice.read() as session:
        days = [v.date() for v in session.scalars(select(VisitRow.starts_at))]
    assert min(days) < TODAY - timedelta(days=15 * 365)
    assert max(days) > TODAY - timedelta(days=30)  # and some clients come today
    years = {day.year for day in days}
    assert len(years) >= 12


def test_every_signed_visit_of_a_consenting_client_had_its_consent_first(
    old_practice: Database,
) -> None:
    with old_practice.read() as session:
        consenting = set(session.scalars(select(ConsentRow.client_id)))
        signed = session.execute(
            select(VisitRow.client_id, VisitRow.starts_at).where(VisitRow.signed_at.is_not(None))
        ).all()
    checked = [(cid, at) for cid, at in signed if cid in consenting]
    assert len(checked) > 100
    assert all(clients.has_current_consent(old_practice, cid, at.date()) for cid, at in checked)


def test_a_big_demo_passes_the_practice_check(
    old_practice: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = old_practice.path.parent
    old_practice.close()
    assert main(["--data-dir", str(folder), "check"]) == 0
    out = capsys.readouterr().out
    assert "Integrity check: ok" in out and "Foreign keys:    ok" in out
