"""fascia-cli schedule, ics and reminders; and the demo practice's schedule."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from practice.cli import main
from practice.schedule import queries, service
from practice.schedule.records import AppointmentForm, AppointmentState
from practice.store import Database, open_database
from tests.practice.schedule.conftest import Practice


def _tomorrow_at(hour: int) -> datetime:
    return datetime.combine(date.today() + timedelta(days=1), time(hour))


@pytest.fixture
def folder(practice: Practice) -> Path:
    """The practice with an appointment tomorrow, closed so the CLI can open it."""
    tomorrow = AppointmentForm(
        practice.client_id, _tomorrow_at(10), 60, service_id=practice.massage.id
    )
    service.book(practice.db, tomorrow, confirm=True)
    service.book(
        practice.db, AppointmentForm(practice.caller_id, _tomorrow_at(13), 45), confirm=True
    )
    practice.db.close()
    return practice.db.data_dir


def test_schedule_prints_the_days_list(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    day = (date.today() + timedelta(days=1)).isoformat()
    assert main(["--data-dir", str(folder), "schedule", "--date", day]) == 0
    out = capsys.readouterr().out
    assert "2 appointment(s)" in out
    assert "10:00-11:00  Chloé O'Brien  60-min medical massage  Booked" in out
    assert "민지 김" in out


def test_ics_writes_a_calendar_with_initials(folder: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "me.ics"
    out.parent.mkdir()
    assert main(["--data-dir", str(folder), "ics", "--out", str(out)]) == 0
    summaries = sorted(
        str(e["SUMMARY"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    )
    assert summaries == ["C.O. · 60-min medical massage", "민.김."]


def test_ics_into_a_missing_folder_is_one_line_on_stderr(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--data-dir", str(folder), "ics", "--out", "/no/such/dir/x.ics"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fascia-cli: out:")


def test_reminders_send_without_a_mailbox_queues_and_says_so(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--data-dir", str(folder), "reminders", "send"]) == 1
    captured = capsys.readouterr()
    assert "Queued 1 email(s) and 1 call(s)." in captured.out
    assert "Set up the reminder mailbox" in captured.err


def test_reminders_calls_prints_the_call_list(folder: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    assert main(["--data-dir", str(folder), "reminders", "queue"]) == 0
    out = tmp_path / "calls.pdf"
    assert main(["--data-dir", str(folder), "reminders", "calls", "--out", str(out)]) == 0
    assert "(416) 555-0199" in PdfReader(out).pages[0].extract_text()


def test_the_cli_runs_as_a_program(folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "practice.cli", "--data-dir", str(folder), "schedule"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "appointment(s)" in result.stdout


def test_the_demo_practice_has_a_realistic_schedule(data_dir: Path) -> None:
    from practice.demo import generate

    db: Database = open_database(data_dir, actor="demo")
    try:
        result = generate(db, clients_count=30, seed=3, today=date.today())
        assert result.appointments and result.series
        with db.read() as session:
            everything = queries.read(session)
        past = [a for a in everything if a.ends_at < datetime.now(UTC)]
        future = [a for a in everything if a.starts_at > datetime.now(UTC)]
        states = {a.state for a in past}
        assert {AppointmentState.NOTE_SIGNED, AppointmentState.BILLED} <= states
        assert {AppointmentState.NO_SHOW, AppointmentState.CANCELLED} <= states
        assert any(a.late_cancel for a in past)
        assert all(a.visit_id is not None for a in past if a.state is AppointmentState.BILLED)
        assert any(a.series_id is not None for a in future)
        assert any(a.fee_invoice_id for a in past)
        # Today is never empty, whatever the weekday (a day off included).
        assert len(queries.today(db).items) == 3
    finally:
        db.close()
