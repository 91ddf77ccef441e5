"""fascia-cli's printouts, each run as a real process (forked from a warm parent: see
tests/practice/warm_cli.py): the file, its client, one export entry."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from practice.store import Database, open_database
from tests.pdftext import pdf_text
from tests.practice.printouts.conftest import (
    Records,
    entries_since,
    last_entry_id,
    tamper,
)
from tests.practice.printouts.kinds import CLI_KINDS, Kind
from tests.practice.warm_cli import shared

PRINTS = {"print", "export"}


def fascia_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """fascia-cli in a process of its own, on this checkout's code."""
    return shared().completed(["--data-dir", str(folder), *args])


def _mark(folder: Path) -> int:
    db = open_database(folder)
    try:
        return last_entry_id(db)
    finally:
        db.close()


def _printed(folder: Path, mark: int) -> list:  # type: ignore[type-arg]
    """The print and export entries written since `mark` (issuing has its own entry)."""
    db: Database = open_database(folder)
    try:
        return [e for e in entries_since(db, mark) if e.action in PRINTS]
    finally:
        db.close()


@pytest.mark.parametrize("kind", CLI_KINDS, ids=str)
def test_each_cli_printout_writes_its_client_and_one_export_entry(
    kind: Kind, folder: Path, records: Records, tmp_path: Path
) -> None:
    out = tmp_path / "out.pdf"
    assert kind.cli is not None
    mark = _mark(folder)

    done = fascia_cli(folder, *kind.cli(records), "--out", str(out))

    assert done.returncode == 0, done.stderr
    assert f"written to {out}" in done.stdout
    assert records.name in pdf_text(out.read_bytes())
    [entry] = _printed(folder, mark)
    assert entry.action == "export"
    assert entry.client_id == records.client_id
    assert entry.entity == kind.entity
    assert entry.changes["document"] == [None, kind.document.value]
    assert entry.changes["file"] == [None, str(out)]


def test_issuing_a_summary_from_the_cli_records_the_issue_and_one_export(
    folder: Path, records: Records, tmp_path: Path
) -> None:
    out = tmp_path / "issued.pdf"
    mark = _mark(folder)

    done = fascia_cli(
        folder, "summary", "--client", str(records.client_id), "--issue", "--out", str(out)
    )

    assert done.returncode == 0, done.stderr
    assert records.name in pdf_text(out.read_bytes())
    db = open_database(folder)
    try:
        actions = [(e.action, e.entity) for e in entries_since(db, mark)]
    finally:
        db.close()
    assert actions == [("issue", "issued_document"), ("export", "issued_document")]


def test_a_billing_report_csv_from_the_cli_is_one_export_entry(
    folder: Path, records: Records, tmp_path: Path
) -> None:
    out = tmp_path / "tax.csv"
    mark = _mark(folder)
    period = ["--from", records.first_visit.isoformat(), "--to", records.last_visit.isoformat()]

    done = fascia_cli(folder, "report", "tax", *period, "--csv", str(out))

    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0].startswith("Tax collected, ")
    [entry] = _printed(folder, mark)
    assert (entry.action, entry.entity, entry.client_id) == ("export", "billing_report", None)
    assert entry.changes["report"] == [None, "tax"]


def test_document_list_shows_the_issued_summary_to_reprint(folder: Path, records: Records) -> None:
    done = fascia_cli(folder, "document", "list", "--client", str(records.client_id))
    assert done.returncode == 0, done.stderr
    assert f"{records.document_id:>6}  " in done.stdout
    assert "Treatment summary" in done.stdout


def test_a_tampered_issued_document_is_refused_by_the_cli_with_one_plain_line(
    folder: Path, records: Records, tmp_path: Path
) -> None:
    tamper(folder / "fascia.db", records.document_id)
    out = tmp_path / "reprint.pdf"
    mark = _mark(folder)

    done = fascia_cli(folder, "document", "pdf", str(records.document_id), "--out", str(out))

    assert done.returncode == 1
    assert done.stderr.startswith("fascia-cli: The stored copy of the treatment summary issued")
    assert "has been changed since it was issued" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # no traceback
    assert not out.exists()
    assert _printed(folder, mark) == []


def test_a_cli_printout_to_a_missing_folder_writes_and_records_nothing(
    folder: Path, records: Records, tmp_path: Path
) -> None:
    out = tmp_path / "nowhere" / "chart.pdf"
    mark = _mark(folder)
    done = fascia_cli(
        folder, "chart", "history", "--client", str(records.client_id), "--out", str(out)
    )
    assert done.returncode == 2
    assert "is not a file in an existing folder" in done.stderr
    assert _printed(folder, mark) == []
