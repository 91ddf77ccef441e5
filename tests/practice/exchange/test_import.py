"""Importing clients from CSV exports of other tools: mapping, preview, duplicates, saving."""

from __future__ import annotations

import csv
import subprocess
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import ValidationError
from practice.exchange import importing
from practice.exchange.formats import FORMATS
from practice.exchange.importing import RowState
from practice.progress import Cancelled, Progress
from practice.store import Database, audit
from practice.store.backups.catalog import backups_dir, list_backups
from tests.practice.warm_cli import shared

# Headings as each tool names its client fields (see practice/exchange/formats.py).
SHAPES = {
    "jane": (
        [
            "First Name",
            "Last Name",
            "Preferred Name",
            "Birth Date",
            "Email",
            "Mobile Phone",
            "Home Phone",
            "Address",
            "City",
            "Province",
            "Postal Code",
            "Sex",
        ],
        [
            "Chloé",
            "Dubois",
            "Clo",
            "1984-03-05",
            "chloe@example.ca",
            "416 555 0101",
            "",
            "12 rue King",
            "Toronto",
            "ON",
            "M5V 1A1",
            "F",
        ],
    ),
    "cliniko": (
        [
            "First name",
            "Last name",
            "Date of birth",
            "Email",
            "Mobile",
            "Address 1",
            "Address 2",
            "City",
            "State",
            "Post code",
            "Country",
            "Gender identity",
            "Emergency contact",
            "Notes",
        ],
        [
            "Ngaio",
            "Te Rangi",
            "05/03/1984",
            "ngaio@example.nz",
            "+64 21 555 010",
            "1 Smith St",
            "Unit 2",
            "Melbourne",
            "VIC",
            "3000",
            "Australia",
            "Woman",
            "Mere (sister)",
            "=cmd",
        ],
    ),
    "simplepractice": (
        [
            "Legal first name*",
            "Legal last name*",
            "Name they go by",
            "Date of birth",
            "Email",
            "Phone",
            "Address",
            "City",
            "State",
            "Zip",
        ],
        [
            "Dana",
            "O'Brien",
            "Dee",
            "03/05/1984",
            "dana@example.com",
            "(555) 010-2020",
            "9 Elm St",
            "Portland",
            "OR",
            "97201",
        ],
    ),
    "clinicsense": (
        [
            "First Name",
            "Last Name",
            "Birthday",
            "Email",
            "Cell Phone",
            "Address",
            "City",
            "State",
            "Zip",
            "Referred By",
            "Notes",
        ],
        [
            "김",
            "지민",
            "March 5, 1984",
            "jimin@example.com",
            "555-010-3030",
            "4 Oak Ave",
            "Austin",
            "TX",
            "78701",
            "Dr. Ortiz",
            "Prefers light pressure 🙂",
        ],
    ),
}


def write_csv(path: Path, headings: list[str], *rows: list[str], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def previewed(db: Database, path: Path, key: str = "generic") -> importing.Preview:
    source = importing.read_source(path)
    form = FORMATS[key]
    return importing.preview_import(db, source, importing.guess_mapping(source, form), form)


def client_count(db: Database) -> int:
    return len(clients.search_clients(db, "", include_archived=True))


@pytest.mark.parametrize("key", sorted(SHAPES))
def test_each_tools_export_maps_onto_the_client_profile(db: Database, tmp_path: Path, key: str):
    headings, row = SHAPES[key]
    preview = previewed(db, write_csv(tmp_path / f"{key}.csv", headings, row), key)
    (outcome,) = preview.rows
    assert outcome.state is RowState.NEW, outcome.errors
    form = outcome.form
    assert form.given_name == row[0] and form.family_name == row[1]
    assert form.date_of_birth == date(1984, 3, 5)
    assert form.email and form.phone_mobile and form.address.count("\n") >= 2


def test_cliniko_dates_are_day_first_and_simplepractice_month_first(db: Database, tmp_path: Path):
    for key, text in (("cliniko", "04/03/1984"), ("simplepractice", "03/04/1984")):
        path = write_csv(tmp_path / f"{key}.csv", ["First name", "Date of birth"], ["A", text])
        assert previewed(db, path, key).rows[0].form.date_of_birth == date(1984, 3, 4)


def test_bad_rows_are_reported_by_field_and_nothing_is_saved_before_confirming(
    db: Database, tmp_path: Path
):
    path = write_csv(
        tmp_path / "mixed.csv",
        ["First Name", "Last Name", "Date of Birth", "Email", "Phone"],
        ["Ana", "Peña", "1980-02-30", "ana@example.com", "555"],
        ["", "Nobody", "", "", ""],
        ["Ben", "Okafor", "2090-01-01", "not-an-email", "call me"],
        ["Lin", "Wei", "7/7/1977", "", ""],
    )
    preview = previewed(db, path)
    states = [row.state for row in preview.rows]
    assert states == [RowState.INVALID, RowState.INVALID, RowState.INVALID, RowState.NEW]
    assert "date_of_birth" in preview.rows[0].errors
    assert preview.rows[1].errors == {"given_name": "Enter the client's first (given) name."}
    assert set(preview.rows[2].errors) == {"date_of_birth", "email", "phone_mobile"}
    assert [row.line for row in preview.rows] == [2, 3, 4, 5]
    assert client_count(db) == 0  # a preview writes nothing


def test_duplicates_by_name_and_birth_date_with_the_file_and_the_practice(
    db: Database, tmp_path: Path
):
    clients.create_client(db, ClientForm("Chloé", "Dubois", date_of_birth=date(1984, 3, 5)))
    path = write_csv(
        tmp_path / "dupes.csv",
        ["First Name", "Last Name", "Birth Date"],
        ["CHLOÉ", "dubois", "1984-03-05"],  # on file: case does not matter
        ["Chloé", "Dubois", "1985-03-05"],  # another person of the same name
        ["Ola", "Nordmann", ""],
        ["Ola", "Nordmann", ""],  # the same row twice in the file
    )
    preview = previewed(db, path, "jane")
    states = [(row.state, row.duplicate_of) for row in preview.rows]
    assert states[0][0] is RowState.DUPLICATE and states[0][1].startswith("client ")
    assert states[1] == (RowState.NEW, "") and states[2] == (RowState.NEW, "")
    assert states[3] == (RowState.DUPLICATE, "line 4")


def test_saving_writes_the_new_rows_audited_after_a_verified_backup(db: Database, tmp_path: Path):
    headings, row = SHAPES["clinicsense"]
    path = write_csv(
        tmp_path / "cs.csv", headings, row, ["", "", "", "", "", "", "", "", "", "", ""]
    )
    made = importing.save_import(db, previewed(db, path, "clinicsense"))
    assert made.created == 1 and made.skipped == 0  # the empty row is not a row
    client = clients.get_client(db, made.client_ids[0])
    assert client.given_name == "김" and client.notes == "Prefers light pressure 🙂"
    with db.read() as session:
        entry = audit.entries(session, limit=1)[0]
    assert entry.client_id == made.client_ids[0] and "cs.csv" in entry.summary
    (backup,) = list_backups(backups_dir(db.data_dir))
    assert backup.verified and backup.reason == "before-import"
    again = previewed(db, path, "clinicsense")
    assert again.rows[0].state is RowState.DUPLICATE


def test_spreadsheet_guards_come_off_and_formula_text_is_kept_as_text(db: Database, tmp_path: Path):
    headings, row = SHAPES["cliniko"]
    preview = previewed(db, write_csv(tmp_path / "c.csv", headings, row), "cliniko")
    assert preview.rows[0].form.notes == "=cmd"
    path = write_csv(tmp_path / "g.csv", ["First Name", "Notes"], ["Al", "'=1+2"])
    assert previewed(db, path).rows[0].form.notes == "=1+2"


def test_semicolons_and_windows_encodings_are_read(db: Database, tmp_path: Path):
    path = tmp_path / "excel.csv"
    path.write_bytes("First Name;Last Name\r\nRené;Müller\r\n".encode("cp1252"))
    (row,) = previewed(db, path).rows
    assert (row.form.given_name, row.form.family_name) == ("René", "Müller")


def test_a_file_that_is_not_a_client_table_is_refused_with_one_message(
    db: Database, tmp_path: Path
):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for path in (binary, empty, tmp_path / "missing.csv"):
        with pytest.raises(ValidationError) as caught:
            importing.read_source(path)
        assert set(caught.value.errors) == {"file"}
    nameless = write_csv(tmp_path / "n.csv", ["Email"], ["a@example.com"])
    source = importing.read_source(nameless)
    with pytest.raises(ValidationError, match="first name"):
        importing.preview_import(db, source, importing.guess_mapping(source))


def test_a_cancelled_save_leaves_the_practice_as_it_was(db: Database, tmp_path: Path):
    rows = [[f"Client{k}", "Test"] for k in range(30)]
    preview = previewed(db, write_csv(tmp_path / "many.csv", ["First Name", "Last Name"], *rows))
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        importing.save_import(db, preview, progress)
    assert client_count(db) == 0


def test_the_command_line_reports_rows_and_saves_only_without_dry_run(db: Database, tmp_path: Path):
    headings, row = SHAPES["jane"]
    path = write_csv(
        tmp_path / "jane.csv", headings, row, ["", "X", "bad", "", "", "", "", "", "", "", "", ""]
    )
    folder = str(db.data_dir)
    db.close()

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        command = [
            "--data-dir",
            folder,
            "import",
            str(path),
            "--format",
            "jane",
            *extra,
        ]
        return shared().completed(command)  # a process of its own, forked from a warm parent

    dry = run("--dry-run")
    assert dry.returncode == 0 and "1 new" in dry.stdout and "line 3: skipped" in dry.stdout
    assert "Dry run: nothing was saved." in dry.stdout
    done = run()
    assert done.returncode == 0 and "Imported 1 client" in done.stdout
    assert "already on file" in run().stdout
    wrong = run("--map", "Nope=given_name")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cells, min_size=4, max_size=4), max_size=6))
def test_any_cells_give_a_preview_and_only_valid_clients_are_saved(
    shared_db: Database, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
):
    path = write_csv(
        tmp_path_factory.mktemp("any") / "any.csv",
        ["First Name", "Last Name", "Date of Birth", "Email"],
        *rows,
    )
    try:
        source = importing.read_source(path)
    except ValidationError:
        return
    preview = importing.preview_import(shared_db, source, importing.guess_mapping(source))
    before = client_count(shared_db)
    made = importing.save_import(shared_db, preview)
    assert client_count(shared_db) == before + made.created
    for outcome in preview.new:
        clients.validate_client(outcome.form)  # what was saved passes the profile's checks
