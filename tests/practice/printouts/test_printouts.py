"""Printouts from the core: each kind reads back with its client, and leaves one audit entry."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice import printouts
from practice.billing import service as billing
from practice.errors import FasciaError, LockedRecordError, ValidationError
from practice.printouts import Document
from practice.store import Database
from tests.pdftext import pdf_text
from tests.practice.printouts.conftest import (
    Records,
    entries_since,
    last_entry_id,
    tamper,
)
from tests.practice.printouts.kinds import KINDS, Kind


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_each_printout_reads_back_with_its_client_and_is_audited_once_as_a_print(
    kind: Kind, practice: Database, records: Records
) -> None:
    mark = last_entry_id(practice)

    made = kind.make(practice, records, None)

    assert records.name in pdf_text(made.data)
    [entry] = entries_since(practice, mark)
    assert entry.action == "print"
    assert entry.client_id == records.client_id
    assert (entry.entity, entry.entity_id) == (kind.entity, made.entity_id)
    assert entry.changes["document"] == [None, kind.document.value]
    assert entry.actor == practice.actor
    assert made.title in entry.summary or kind.document is Document.RECEIPT
    if kind.document is not Document.RECEIPT:  # a receipt's entry is written before it is drawn
        assert entry.changes["sha256"] == [None, hashlib.sha256(made.data).hexdigest()]


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_each_printout_sent_to_a_file_is_audited_once_as_an_export_naming_the_file(
    kind: Kind, practice: Database, records: Records, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"{kind.name}.pdf"
    mark = last_entry_id(practice)

    made = kind.make(practice, records, out)

    assert out.read_bytes() == made.data
    assert records.name in pdf_text(out.read_bytes())
    [entry] = entries_since(practice, mark)
    assert entry.action == "export"
    assert entry.client_id == records.client_id
    assert entry.changes["file"] == [None, str(out)]
    assert str(out) in entry.summary
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_a_billing_report_csv_is_an_audited_export_of_billing_data(
    practice: Database, records: Records, tmp_path: Path
) -> None:
    out = tmp_path / "revenue.csv"
    mark = last_entry_id(practice)

    made = printouts.billing_report_csv(
        practice, "revenue", since=records.first_visit, until=date.today(), to_file=out
    )

    data = out.read_bytes()
    assert data == made.data and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[0] and rows[1]
    [entry] = entries_since(practice, mark)
    assert (entry.action, entry.entity, entry.client_id) == ("export", "billing_report", None)
    assert entry.changes["report"] == [None, "revenue"]
    assert entry.changes["since"] == [None, records.first_visit.isoformat()]
    assert entry.changes["file"] == [None, str(out)]


def test_balances_report_names_the_clients_who_owe_and_is_audited(
    practice: Database, tmp_path: Path
) -> None:
    out = tmp_path / "balances.csv"
    mark = last_entry_id(practice)
    printouts.billing_report_csv(practice, "balances", to_file=out)
    assert "Outstanding" in out.read_text(encoding="utf-8-sig")
    [entry] = entries_since(practice, mark)
    assert entry.changes["as_of"] == [None, date.today().isoformat()]


def test_every_receipt_after_the_first_is_a_counted_duplicate(
    practice: Database, records: Records
) -> None:
    first = printouts.receipt_pdf(practice, records.paid_invoice_id)
    mark = last_entry_id(practice)
    second = printouts.receipt_pdf(practice, records.paid_invoice_id)

    assert "DUPLICATE" not in pdf_text(first.data)
    assert "DUPLICATE" in pdf_text(second.data)
    assert second.title.endswith("(DUPLICATE, copy 2)")
    [entry] = entries_since(practice, mark)
    assert entry.changes["copy"] == [None, 2]
    assert entry.changes["invoice_id"] == [None, records.paid_invoice_id]
    receipts = billing.receipts_for(practice, records.paid_invoice_id)
    assert [r.duplicate for r in receipts] == [False, True]


def test_saving_a_copy_of_a_receipt_is_one_export_and_no_new_duplicate(
    practice: Database, records: Records, tmp_path: Path
) -> None:
    made = printouts.receipt_pdf(practice, records.paid_invoice_id)
    mark = last_entry_id(practice)

    printouts.export_copy(practice, made, tmp_path / "copy.pdf")

    assert (tmp_path / "copy.pdf").read_bytes() == made.data
    [entry] = entries_since(practice, mark)
    assert (entry.action, entry.entity, entry.entity_id) == ("export", "receipt", made.entity_id)
    assert len(billing.receipts_for(practice, records.paid_invoice_id)) == 1


def test_a_tampered_issued_document_is_refused_and_never_printed(
    folder: Path, practice: Database, records: Records, tmp_path: Path
) -> None:
    tamper(practice.path, records.document_id)
    out = tmp_path / "reprint.pdf"
    mark = last_entry_id(practice)

    for to_file in (None, out):
        with pytest.raises(LockedRecordError, match="has been changed since it was issued"):
            printouts.issued_document_pdf(practice, records.document_id, to_file=to_file)

    assert not out.exists()
    assert entries_since(practice, mark) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda db, r: printouts.pain_chart_pdf(db, 99_999), "No client with id 99999."),
        (
            lambda db, r: printouts.pain_chart_pdf(db, r.client_id, chart_id=2**70),
            "No body chart with id",
        ),
        (lambda db, r: printouts.visit_note_pdf(db, -1), "No visit with id -1."),
        (lambda db, r: printouts.invoice_pdf(db, 0), "No invoice with id 0."),
        (lambda db, r: printouts.receipt_pdf(db, r.credit_note_id), "issued invoices"),
        (lambda db, r: printouts.issued_document_pdf(db, 77_777), "No issued document"),
        (
            lambda db, r: printouts.superbill_pdf(
                db, r.client_id, date(1990, 1, 1), date(1990, 2, 1)
            ),
            "has no billed visits",
        ),
        (
            lambda db, r: printouts.chart_comparison_pdf(db, r.client_id, before_id=r.charts[0]),
            "both charts",
        ),
        (
            lambda db, r: printouts.billing_report_csv(db, "profits", to_file=Path("x.csv")),
            "No billing report 'profits'",
        ),
    ],
)
def test_a_request_that_cannot_be_printed_says_why_and_records_nothing(
    make, message: str, practice: Database, records: Records
) -> None:  # type: ignore[no-untyped-def]
    mark = last_entry_id(practice)
    with pytest.raises(ValidationError, match=message):
        make(practice, records)
    assert entries_since(practice, mark) == []


def test_a_file_in_a_missing_folder_is_refused_before_anything_is_recorded(
    practice: Database, records: Records, tmp_path: Path
) -> None:
    mark = last_entry_id(practice)
    receipts = len(billing.receipts_for(practice, records.paid_invoice_id))
    out = tmp_path / "missing" / "receipt.pdf"
    with pytest.raises(ValidationError, match="is not a file in an existing folder"):
        printouts.receipt_pdf(practice, records.paid_invoice_id, to_file=out)
    assert entries_since(practice, mark) == []
    assert len(billing.receipts_for(practice, records.paid_invoice_id)) == receipts


def test_writing_a_file_replaces_the_old_one_whole_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "chart.pdf"
    target.write_bytes(b"old " * 1000)
    printouts.write_file(target, b"%PDF new")
    assert target.read_bytes() == b"%PDF new"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.pdf"]
    with pytest.raises(ValidationError, match="is not a file in an existing folder"):
        printouts.write_file(target / "inside.pdf", b"x")  # a file is no folder


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(
        ["chart", "compare", "visit", "invoice", "receipt", "document", "superbill"]
    ),
    first=st.one_of(st.integers(), st.integers(min_value=-3, max_value=40)),
    second=st.one_of(st.integers(), st.integers(min_value=-3, max_value=40)),
    since=st.dates(),
    until=st.dates(),
)
def test_any_ids_and_dates_give_a_printout_or_one_of_fascias_own_errors(
    practice: Database, kind: str, first: int, second: int, since: date, until: date
) -> None:
    make = {
        "chart": lambda: printouts.pain_chart_pdf(practice, first, chart_id=second),
        "compare": lambda: printouts.chart_comparison_pdf(
            practice, first, before_id=second, after_id=first
        ),
        "visit": lambda: printouts.visit_note_pdf(practice, first),
        "invoice": lambda: printouts.invoice_pdf(practice, first),
        "receipt": lambda: printouts.receipt_pdf(practice, first),
        "document": lambda: printouts.issued_document_pdf(practice, first),
        "superbill": lambda: printouts.superbill_pdf(practice, first, since, until),
    }[kind]
    mark = last_entry_id(practice)
    try:
        made = make()
    except FasciaError:
        assert entries_since(practice, mark) == []
    else:
        assert made.data.startswith(b"%PDF")
        assert len(entries_since(practice, mark)) == 1


def test_a_printout_is_never_written_over_the_practice_database(
    practice: Database, records: Records
) -> None:
    before = practice.path.read_bytes()[:4096]
    mark = last_entry_id(practice)
    for name in ("fascia.db", "fascia.db-wal"):
        with pytest.raises(ValidationError, match="the practice's own database"):
            printouts.chart_history_pdf(
                practice, records.client_id, to_file=practice.path.parent / name
            )
    assert practice.path.read_bytes()[:4096] == before
    assert entries_since(practice, mark) == []


def test_a_very_long_name_still_gives_a_file_name_a_disk_accepts(
    practice: Database, tmp_path: Path
) -> None:
    from practice.clients import service as clients
    from practice.clients.intake import IntakeData
    from practice.clients.records import ClientForm

    long_name = "김민지" * 66  # the longest name a client may have: 198 characters, 594 bytes
    client = clients.create_client(practice, ClientForm(long_name, "Okafor"))
    clients.save_intake(practice, client.id, IntakeData(recorded_on=date.today()))

    made = printouts.intake_summary_pdf(practice, client.id)

    assert len(made.file_name.encode()) < 255
    out = tmp_path / made.file_name
    printouts.export_copy(practice, made, out)
    assert out.read_bytes() == made.data
