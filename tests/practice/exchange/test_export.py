"""Exporting the whole practice, or one client's records, to an open and documented archive."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from practice.errors import ValidationError
from practice.exchange import export
from practice.exchange.archive import ArchiveError, verify_archive
from practice.exchange.columns import export_tables
from practice.progress import Cancelled, Progress
from practice.store import Database, audit
from practice.store.base import Base
from tests.pdftext import pdf_text
from tests.practice.exchange.conftest import AWKWARD_NOTE, Demo, read_zip


def table_rows(files: dict[str, bytes], table: str) -> list[dict[str, str]]:
    text = files[f"tables/{table}.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def stored_count(db: Database, table: str, where: str = "1", *args: object) -> int:
    with sqlite3.connect(db.path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0]


def test_the_archive_has_one_csv_per_table_with_every_row(practice: Database, tmp_path: Path):
    made = export.export_practice(practice, tmp_path / "practice.zip")
    files = read_zip(made.path)
    for table in Base.metadata.sorted_tables:
        rows = table_rows(files, table.name)
        # The export's own audit entry, and its seal, are written after its snapshot.
        own_entry = table.name in ("audit_entry", "seal")
        stored = stored_count(practice, table.name) - own_entry
        assert len(rows) == stored == made.counts[table.name]
    assert made.counts["visit"] > 0 and made.counts["invoice"] > 0


def test_money_is_decimal_text_and_dates_and_moments_are_iso(practice: Database, tmp_path: Path):
    files = read_zip(export.export_practice(practice, tmp_path / "p.zip").path)
    invoices = table_rows(files, "invoice")
    with sqlite3.connect(practice.path) as connection:
        stored = dict(connection.execute("SELECT id, total_cents FROM invoice").fetchall())
    for row in invoices:
        assert "total_cents" not in row
        whole, _, cents = row["total"].partition(".")
        assert len(cents) == 2 and int(whole + cents) == stored[int(row["id"])]
    visit = table_rows(files, "visit")[0]
    assert visit["starts_at"].endswith("+00:00") and visit["starts_at"][10] == "T"
    assert len(table_rows(files, "intake")[0]["recorded_on"]) == len("2025-03-05")
    rates = table_rows(files, "tax_rate")
    assert all(float(r["rate_percent"]) < 100 for r in rates)


def test_every_issued_pdf_is_in_the_archive_exactly_as_issued(
    practice: Database, demo: Demo, tmp_path: Path
):
    files = read_zip(export.export_practice(practice, tmp_path / "p.zip").path)
    (row,) = table_rows(files, "issued_document")
    pdf = files[row["pdf"]]
    assert row["pdf"].startswith("documents/") and pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == row["sha256"]


def test_body_charts_are_json_files_the_csv_points_to(practice: Database, tmp_path: Path):
    files = read_zip(export.export_practice(practice, tmp_path / "p.zip").path)
    charts = table_rows(files, "body_chart")
    assert charts
    for row in charts:
        chart = json.loads(files[row["data"]])
        assert "marks" in chart
    regions = files["charts/regions.csv"].decode()
    assert regions.startswith("code,name,view,side")


def test_formula_looking_text_is_escaped_and_any_script_survives(
    practice: Database, demo: Demo, tmp_path: Path
):
    files = read_zip(export.export_practice(practice, tmp_path / "p.zip").path)
    (client,) = [r for r in table_rows(files, "client") if r["id"] == str(demo.awkward_client)]
    assert client["notes"] == "'" + AWKWARD_NOTE
    assert client["occupation"] == "'-5 yoga teacher 🧘"
    assert client["given_name"] == "지민"
    assert client["family_name"] == "Ben-David, \u05d3\u05d5\u05d3"


def test_the_manifest_lists_every_file_with_its_checksum_and_the_counts(
    practice: Database, tmp_path: Path
):
    made = export.export_practice(practice, tmp_path / "p.zip")
    files = read_zip(made.path)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["format"] == "fascia-export" and manifest["scope"] == "practice"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files)
    for name, data in files.items():
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed[name]["size"] == len(data)
    assert manifest["counts"]["client"] == stored_count(practice, "client")


def test_the_readme_explains_every_column_of_every_table(practice: Database, tmp_path: Path):
    readme = read_zip(export.export_practice(practice, tmp_path / "p.zip").path)["README.txt"]
    text = readme.decode()
    for table in export_tables():
        section = text.split(f"{table.file_name} (")[1].split("\ntables/")[0]
        assert table.description
        for column in table.columns:
            assert f"\n  {column.header} (" in section, f"{table.name}.{column.header}"
            assert column.description, f"{table.name}.{column.name} has no description"


def test_a_changed_or_cut_archive_fails_its_check(practice: Database, tmp_path: Path):
    made = export.export_practice(practice, tmp_path / "p.zip")
    files = read_zip(made.path)
    files["tables/client.csv"] = files["tables/client.csv"].replace(b"a", b"b", 1)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(ArchiveError, match=r"client\.csv"):
        verify_archive(changed)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(made.path.read_bytes()[: made.size // 2])
    with pytest.raises(ArchiveError, match="not a whole"):
        verify_archive(cut)


def test_a_client_export_holds_that_client_and_what_their_records_refer_to(
    practice: Database, demo: Demo, tmp_path: Path
):
    made = export.export_client(practice, demo.document_client, tmp_path / "client.zip")
    files = read_zip(made.path)
    assert [r["id"] for r in table_rows(files, "client")] == [str(demo.document_client)]
    for table in ("visit", "invoice", "body_chart", "issued_document", "intake"):
        rows = table_rows(files, table)
        assert rows and {r["client_id"] for r in rows} == {str(demo.document_client)}
        assert len(rows) == stored_count(practice, table, "client_id = ?", demo.document_client)
    notes = table_rows(files, "soap_note")
    visits = {r["id"] for r in table_rows(files, "visit")}
    assert notes and {n["visit_id"] for n in notes} <= visits
    assert table_rows(files, "consent_form")  # the text they signed
    assert not table_rows(files, "billing_settings") and not table_rows(files, "technique")
    assert json.loads(files["manifest.json"])["client_id"] == demo.document_client


def test_an_export_is_audited_and_names_the_file(practice: Database, tmp_path: Path):
    out = tmp_path / "p.zip"
    export.export_practice(practice, out)
    with practice.read() as session:
        entry = audit.entries(session, limit=1)[0]
    assert entry.action == "export" and entry.entity == "practice"
    assert str(out) in entry.summary


def test_a_cancelled_export_leaves_the_earlier_file_and_nothing_else(
    practice: Database, tmp_path: Path
):
    out = tmp_path / "p.zip"
    out.write_bytes(b"an earlier export")
    progress = Progress(lambda done, total, text: progress.cancel() if done > 100 else None)
    with pytest.raises(Cancelled):
        export.export_practice(practice, out, progress)
    assert out.read_bytes() == b"an earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zip", "practice"]


def test_the_practice_database_or_a_missing_folder_is_refused_as_target(
    practice: Database, tmp_path: Path
):
    with pytest.raises(ValidationError):
        export.export_practice(practice, practice.path)
    with pytest.raises(ValidationError):
        export.export_practice(practice, tmp_path / "missing" / "p.zip")
    assert not (tmp_path / "missing").exists()


def test_a_client_export_has_their_documents_as_pdf_and_audits_them(
    practice: Database, demo: Demo, tmp_path: Path
):
    out = tmp_path / "client.zip"
    made = export.export_client(practice, demo.document_client, out)
    files = read_zip(made.path)
    pdfs = sorted(name for name in files if name.startswith("pdf/"))
    signed = stored_count(
        practice, "visit", "client_id = ? AND signed_at IS NOT NULL", demo.document_client
    )
    issued = stored_count(
        practice, "invoice", "client_id = ? AND status != 'draft'", demo.document_client
    )
    assert len([p for p in pdfs if "Visit note" in p]) == signed > 0
    assert pdfs[0].startswith("pdf/001 Intake") and "Body chart history" in pdfs[1]
    assert len(pdfs) == 2 + signed + issued
    name = table_rows(files, "client")[0]["given_name"]
    assert all(name in pdf_text(files[p]) for p in pdfs[:3])
    with practice.read() as session:
        entries = audit.entries(session, limit=2)
    assert {e.action for e in entries} == {"export"}
    assert all(str(out) in e.summary for e in entries)
    bundle = next(e for e in entries if e.changes.get("document") == [None, "client_records"])
    assert len(bundle.changes["visit_ids"][1]) == signed
