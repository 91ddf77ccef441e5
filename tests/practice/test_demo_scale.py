"""A big demo is a practice of many years: courses of care spread over twenty years, each with
its consent before it, and the whole practice passes `fascia-cli check`."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from practice.cli import main
from practice.clients import service as clients
from practice.clients.models import ConsentRow
from practice.demo import generate, history_years
from practice.paths import DB_FILENAME
from practice.store import Database, open_database
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


# What a seed decides: everything but the moments the demo was written.
CONTENT = (
    "SELECT client_id, starts_at, duration_minutes, status, signed_at FROM visit ORDER BY id",
    "SELECT visit_id, complaint, pain_before, trigger_points, home_care FROM soap_note"
    " ORDER BY visit_id",
    "SELECT visit_id, technique_code, regions, minutes, pressure FROM treatment_entry ORDER BY id",
    "SELECT visit_id, data, wpi, extent_percent FROM body_chart ORDER BY id",
    "SELECT client_id, start_date, status FROM treatment_plan ORDER BY id",
    "SELECT number, client_id, total_cents, issued_on FROM invoice ORDER BY id",
    "SELECT client_id, signed_at FROM consent ORDER BY id",
)


def _content(db: Database) -> list[list[tuple[object, ...]]]:
    with db.read() as session:
        return [[tuple(r) for r in session.execute(text(sql))] for sql in CONTENT]


def test_the_same_seed_makes_the_same_practice(
    db: Database, migrated_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("practice.demo.FULL_CLIENTS", 30)  # the years spread is seeded too
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    shutil.copyfile(migrated_db_file, other_dir / DB_FILENAME)
    other = open_database(other_dir, actor="test-therapist")
    try:
        generate(db, clients_count=30, seed=9, today=TODAY)
        generate(other, clients_count=30, seed=9, today=TODAY)
        first, second = _content(db), _content(other)
    finally:
        other.close()
    assert all(first), "every part of the demo has rows"
    assert first == second
