"""Importing past visits from appointment exports: finding the client, reading dates and
lengths, preview with per-row errors, saving final visits marked imported (never signed here)."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import LockedRecordError, ValidationError
from practice.exchange import importing, visit_import
from practice.exchange.formats import FORMATS, Target
from practice.exchange.importing import RowState
from practice.progress import Cancelled, Progress
from practice.store import Database, audit
from practice.store.backups.catalog import backups_dir, list_backups
from practice.store.seal.verify import verify_records
from practice.visits import service as visits
from practice.visits.records import VisitStatus
from tests.practice.exchange.test_import import write_csv
from tests.practice.warm_cli import shared

TODAY = date(2026, 12, 6)

# Appointment exports as each tool's headings name them (see practice/exchange/formats.py for
# which are documented and which are guessed).
SHAPES = {
    "jane": (
        ["Start At", "End At", "Patient", "Treatment", "State", "Notes"],
        ["2024-03-05 14:30", "2024-03-05 15:30", "Chloé Dubois", "Massage 60", "Arrived", "Neck"],
    ),
    "cliniko": (
        ["starts_at", "ends_at", "patient_name", "appointment_type", "notes", "did_not_arrive"],
        ["2024-03-05T14:30:00Z", "2024-03-05T15:30:00Z", "Chloé Dubois", "RMT 60", "Neck", "false"],
    ),
    "simplepractice": (
        ["Date of Service", "Client", "Services Provided", "Duration", "Status"],
        ["03/05/2024 2:30 PM", "Dubois, Chloé", "Massage 60 min", "60", "Show"],
    ),
    "clinicsense": (
        ["Date", "Time", "Client", "Service", "Duration", "Status"],
        ["March 5, 2024", "2:30 PM", "Chloé Dubois", "Deep tissue", "1 h", "Completed"],
    ),
}

SERVICES = {
    "jane": "Massage 60",
    "cliniko": "RMT 60",
    "simplepractice": "Massage 60 min",
    "clinicsense": "Deep tissue",
}


@pytest.fixture
def chloe(db: Database) -> int:
    return clients.create_client(
        db, ClientForm("Chloé", "Dubois", date_of_birth=date(1984, 3, 5))
    ).id


def previewed(db: Database, path: Path, key: str = "generic") -> visit_import.VisitPreview:
    source = importing.read_source(path)
    form = FORMATS[key]
    mapping = importing.guess_mapping(source, form, Target.VISITS)
    return visit_import.preview_visits(db, source, mapping, form, today=TODAY)


def visit_count(db: Database) -> int:
    with sqlite3.connect(db.path) as connection:
        return connection.execute("SELECT count(*) FROM visit").fetchone()[0]


@pytest.mark.parametrize("key", sorted(SHAPES))
def test_each_tools_appointment_export_maps_onto_a_past_visit(
    db: Database, chloe: int, tmp_path: Path, key: str
):
    headings, row = SHAPES[key]
    preview = previewed(db, write_csv(tmp_path / f"{key}.csv", headings, row), key)
    (outcome,) = preview.rows
    assert outcome.state is RowState.NEW, outcome.errors
    assert outcome.client_id == chloe
    visit = outcome.draft.visit
    assert visit.duration_minutes == 60 and visit.status is VisitStatus.COMPLETED
    assert visit.starts_at.astimezone().date() == date(2024, 3, 5)
    if key != "cliniko":  # Cliniko writes UTC; the others the clinic's wall clock
        assert visit.starts_at.astimezone().time() == time(14, 30)
    assert outcome.draft.note.complaint.startswith(SERVICES[key])


def test_clients_are_found_by_name_in_any_order_and_by_birth_date_when_given(
    db: Database, tmp_path: Path
):
    jimin = clients.create_client(db, ClientForm("지민", "김")).id
    ngaio = clients.create_client(db, ClientForm("Ngaio", "Te Rangi")).id
    twin_a = clients.create_client(db, ClientForm("Ana", "Peña", date_of_birth=date(1990, 1, 1)))
    clients.create_client(db, ClientForm("Ana", "Peña", date_of_birth=date(1991, 1, 1)))
    path = write_csv(
        tmp_path / "names.csv",
        ["Client", "Date of birth", "Date", "Duration"],
        ["김 지민", "", "2024-01-02", "60"],  # family name first
        ["NGAIO TE RANGI", "", "2024-01-02", "60"],  # a family name of two words
        ["Ana Peña", "1990-01-01", "2024-01-02", "60"],
        ["Ana Peña", "", "2024-01-03", "60"],  # two of that name: the birth date tells
        ["Ana Peña", "1985-01-01", "2024-01-04", "60"],
        ["Nobody Here", "", "2024-01-02", "60"],
    )
    rows = previewed(db, path).rows
    assert [r.client_id for r in rows[:3]] == [jimin, ngaio, twin_a.id]
    assert "2 clients named Ana Peña" in rows[3].errors["client"]
    assert "not born 1985-01-01" in rows[4].errors["client"]
    assert "No client named Nobody Here" in rows[5].errors["client"]
    assert [r.state for r in rows] == [RowState.NEW] * 3 + [RowState.INVALID] * 3


def test_bad_rows_are_reported_by_field_and_nothing_is_saved_before_confirming(
    db: Database, chloe: int, tmp_path: Path
):
    path = write_csv(
        tmp_path / "bad.csv",
        ["Client", "Date", "Duration", "Status"],
        ["Chloé Dubois", "2024-02-30", "60", ""],  # no such day
        ["Chloé Dubois", "2027-01-01", "60", ""],  # after today
        ["Chloé Dubois", "2024-01-01", "9000", ""],  # absurd length
        ["Chloé Dubois", "2024-01-01", "an hour", ""],
        ["Chloé Dubois", "2024-01-01", "0", ""],
        ["Chloé Dubois", "2024-01-01", "60", "Booked"],
        ["Chloé Dubois", "", "60", ""],
        ["Chloé Dubois", "2024-01-05", "1:30", "No Show"],
    )
    rows = previewed(db, path).rows
    assert [set(r.errors) for r in rows[:7]] == [
        {"starts_at"},
        {"starts_at"},
        {"duration_minutes"},
        {"duration"},
        {"duration_minutes"},
        {"status"},
        {"starts_at"},
    ]
    assert "after today" in rows[1].errors["starts_at"]
    assert "8 hours" in rows[2].errors["duration_minutes"]
    assert rows[7].state is RowState.NEW
    assert rows[7].draft.visit.status is VisitStatus.NO_SHOW
    assert rows[7].draft.visit.duration_minutes == 90
    assert [r.line for r in rows] == list(range(2, 10))
    assert visit_count(db) == 0  # a preview writes nothing


def test_a_mapping_without_a_name_a_date_or_a_length_is_refused(db: Database, tmp_path: Path):
    source = importing.read_source(write_csv(tmp_path / "n.csv", ["Notes"], ["x"]))
    with pytest.raises(ValidationError) as caught:
        visit_import.preview_visits(db, source, {0: "notes"})
    assert caught.value.errors["mapping"] == (
        "Choose the columns that hold the client's name, the visit date and the visit's "
        "duration or its end."
    )


def test_saved_visits_are_final_imported_and_never_signed_by_the_practitioner(
    db: Database, chloe: int, tmp_path: Path
):
    headings, row = SHAPES["jane"]
    path = write_csv(tmp_path / "jane.csv", headings, row)
    made = visit_import.save_visits(db, previewed(db, path, "jane"))
    assert made.created == 1
    record = visits.get_visit(db, made.visit_ids[0])
    visit = record.visit
    assert visit.signed and visit.signed_by == "" and visit.signed_by_id is None
    assert visit.imported is not None and visit.imported.by == db.actor
    assert "a Jane export (jane.csv, line 2)" in visit.imported.text
    assert "not signed in Fascia" in visit.imported.text
    line = visit.signature_line()
    assert line.startswith(f"Imported by {db.actor}") and "Signed by" not in line
    assert record.note.complaint == "Massage 60\n\nNeck"
    (summary,) = visits.visit_history(db, chloe)
    assert summary.imported and summary.signed
    from practice.timeline.records import Flag, Source
    from practice.timeline.service import whole_timeline

    (entry,) = [e for e in whole_timeline(db, chloe) if e.source is Source.VISIT]
    assert entry.title == "Visit, imported (not signed in Fascia)"
    assert entry.has(Flag.IMPORTED) and not entry.has(Flag.SIGNED)
    with pytest.raises(LockedRecordError):
        visits.save_draft(db, visit.id, record.draft())
    amendment = visits.amend_visit(db, visit.id, "Jane's note was incomplete", "Also the back.")
    assert amendment.author == db.actor  # corrections are amendments, signed by who wrote them
    with db.read() as session:
        entry = next(e for e in audit.entries(session, limit=5) if e.action == "import")
    assert entry.entity_id == visit.id and "jane.csv" in entry.summary
    (backup,) = list_backups(backups_dir(db.data_dir))
    assert backup.verified and backup.reason == "before-import"
    verified = verify_records(db)
    assert verified.ok and verified.records >= 2  # the visit and its amendment are sealed


def test_importing_the_same_file_twice_adds_nothing_and_repeats_in_a_file_are_duplicates(
    db: Database, chloe: int, tmp_path: Path
):
    headings, row = SHAPES["clinicsense"]
    path = write_csv(tmp_path / "cs.csv", headings, row, row)
    first = previewed(db, path, "clinicsense")
    assert [r.state for r in first.rows] == [RowState.NEW, RowState.DUPLICATE]
    assert first.rows[1].duplicate_of == "line 2"
    visit_import.save_visits(db, first)
    again = previewed(db, path, "clinicsense")
    assert [r.state for r in again.rows] == [RowState.DUPLICATE] * 2
    assert again.rows[0].duplicate_of.startswith("visit ")
    assert visit_import.save_visits(db, again).created == 0 and visit_count(db) == 1


def test_a_cancelled_save_leaves_the_practice_as_it_was(db: Database, chloe: int, tmp_path: Path):
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    rows = [["Chloé Dubois", (start + timedelta(days=k)).isoformat(), "60"] for k in range(40)]
    preview = previewed(
        db, write_csv(tmp_path / "many.csv", ["Client", "Start", "Duration"], *rows)
    )
    assert preview.count(RowState.NEW) == 40
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        visit_import.save_visits(db, preview, progress)
    assert visit_count(db) == 0


def test_an_end_time_gives_the_length_and_a_day_without_a_time_is_placed_at_noon(
    db: Database, chloe: int, tmp_path: Path
):
    path = write_csv(
        tmp_path / "ends.csv",
        ["Client", "Date", "Start time", "End time"],
        ["Chloé Dubois", "05/03/2024", "9:15", "10:00"],
        ["Chloé Dubois", "06/03/2024", "", "2024-03-06 13:00"],
    )
    rows = previewed(db, path, "cliniko").rows  # Cliniko writes the day first
    first, second = (r.draft.visit for r in rows)
    assert first.starts_at.astimezone().replace(tzinfo=None) == datetime(2024, 3, 5, 9, 15)
    assert first.duration_minutes == 45
    assert second.starts_at.astimezone().time() == time(12, 0) and second.duration_minutes == 60
    assert "no time of day given: noon" in rows[1].origin and "noon" not in rows[0].origin


def test_the_command_line_imports_visits_and_dry_run_saves_nothing(
    db: Database, chloe: int, tmp_path: Path
):
    headings, row = SHAPES["simplepractice"]
    path = write_csv(tmp_path / "sp.csv", headings, row, ["bad", "Nobody", "", "60", ""])
    folder = str(db.data_dir)
    db.close()

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        command = ["--data-dir", folder, "import"]
        command += [str(path), "--visits", "--format", "simplepractice", *extra]
        return shared().completed(command)  # a process of its own, forked from a warm parent

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "2 rows: 1 new" in dry.stdout and "line 3: skipped" in dry.stdout
    assert "Dry run: nothing was saved." in dry.stdout
    done = run()
    assert done.returncode == 0 and "Imported 1 past visit" in done.stdout
    assert "already on file" in run().stdout
    wrong = run("--map", "Client=email")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


def test_an_imported_visits_printout_says_imported_and_carries_no_signature_block(
    db: Database, chloe: int, tmp_path: Path
):
    from io import BytesIO

    from pypdf import PdfReader

    from practice.clients.records import PracticeProfile
    from practice.printouts.clinical import make_visit_note

    clients.save_profile(
        db, PracticeProfile("Maya Chen", credentials="RMT", registration_number="12345")
    )
    headings, row = SHAPES["cliniko"]
    made = visit_import.save_visits(
        db, previewed(db, write_csv(tmp_path / "c.csv", headings, row), "cliniko")
    )
    printout = make_visit_note(db, made.visit_ids[0])
    assert printout.title.endswith("(imported)")
    pages = PdfReader(BytesIO(printout.data)).pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert "Visit note: imported, not signed in Fascia" in text
    assert "a Cliniko export (c.csv, line 2)" in text and "Signed by" not in text
    assert text.count("Reg. no. 12345") == 1  # the letterhead's, no name under a signature rule


def test_one_file_of_clients_and_their_visits_imports_as_clients_then_as_visits(
    db: Database, tmp_path: Path
):
    """A file holding each visit with its client's details: the clients first (each once),
    then the visits, which find the clients just imported by name and birth date."""
    path = write_csv(
        tmp_path / "history.csv",
        ["First Name", "Last Name", "Birth Date", "Date", "Duration", "Service"],
        ["שרה", "כהן", "1975-06-01", "2024-05-01", "60", "Relaxation"],
        ["שרה", "כהן", "1975-06-01", "2024-05-15", "90", "Deep tissue"],
        ["Ana", "Peña", "1990-01-01", "2024-05-02", "45 min", ""],
    )
    source = importing.read_source(path)
    people = importing.preview_import(db, source, importing.guess_mapping(source))
    assert [r.state for r in people.rows] == [RowState.NEW, RowState.DUPLICATE, RowState.NEW]
    ids = importing.save_import(db, people).client_ids
    mapping = importing.guess_mapping(source, target=Target.VISITS)
    preview = visit_import.preview_visits(db, source, mapping, today=TODAY)
    assert [r.client_id for r in preview.rows] == [ids[0], ids[0], ids[1]]
    made = visit_import.save_visits(db, preview)
    assert made.created == 3
    assert [v.duration_minutes for v in visits.visit_history(db, ids[0])] == [90, 60]


def test_a_note_of_100000_characters_in_any_script_is_kept_whole(
    db: Database, chloe: int, tmp_path: Path
):
    notes = ("김민지 שרה محمد 🙂 " * 7000)[:100_000]
    path = write_csv(
        tmp_path / "long.csv", ["Client", "Date", "Duration", "Notes"],
        ["Chloé Dubois", "2024-01-01 09:00", "60", notes],
    )  # fmt: skip
    made = visit_import.save_visits(db, previewed(db, path))
    assert visits.get_visit(db, made.visit_ids[0]).note.complaint == notes.strip()
