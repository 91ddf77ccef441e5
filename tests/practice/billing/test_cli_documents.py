"""fascia-cli invoice pdf (and --receipt) and superbill pdf on a real practice folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from practice.billing import service as billing
from practice.billing.records import PaymentForm, PaymentMethod, ServiceForm, TaxRateForm
from practice.cli import main
from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.paths import DB_FILENAME
from practice.plans import service as plans
from practice.plans.records import PlanForm
from practice.store import open_database
from tests.practice.billing.conftest import make_visit


@dataclass(frozen=True)
class Practice:
    folder: Path
    client_id: int
    idle_client_id: int
    paid: str  # number of an invoice with a payment on it
    unpaid: str
    credit_note: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path) -> Practice:
    """Two billed visits (one paid in part, one voided by a credit note) and an idle client,
    made once for the module (see `practice`)."""
    data_dir = tmp_path_factory.mktemp("billing-cli") / "practice"
    data_dir.mkdir()
    shutil.copyfile(migrated_db_file, data_dir / DB_FILENAME)
    db = open_database(data_dir, actor="test-therapist")
    try:
        clients.save_profile(
            db,
            PracticeProfile(
                "Jane O'Brien", "Riverside Medical Massage", "LMT", "MA.0123", npi="1245319599"
            ),
        )
        client = clients.create_client(db, ClientForm(given_name="Ελένη", family_name="O'Brien"))
        idle = clients.create_client(db, ClientForm(given_name="Marc", family_name="Dubois"))
        tax = billing.save_tax_rate(db, TaxRateForm("Tax", Decimal("5"), "TX-1"))
        massage = billing.save_service(
            db, ServiceForm("60-min massage", Decimal("100.00"), 60, (tax.id,), ("97140",))
        )
        plans.create_plan(
            db,
            client.id,
            PlanForm(
                start_date=date.today() - timedelta(days=20),
                frequency_count=1,
                length_weeks=6,
                diagnoses=("M54.50",),
            ),
        )
        first = billing.bill_visit(
            db, make_visit(db, client.id, ("myofascial_release", 45), days_ago=9), massage.id
        )
        second = billing.bill_visit(
            db, make_visit(db, client.id, ("myofascial_release", 45), days_ago=2), massage.id
        )
        billing.record_payment(
            db,
            client.id,
            PaymentForm(Decimal("60.00"), PaymentMethod.CARD, date.today(), first.id),
        )
        note = billing.void_invoice(db, second.id, "Billed twice")
        assert first.number and second.number and note.number
        return Practice(data_dir, client.id, idle.id, first.number, second.number, note.number)
    finally:
        db.close()


@pytest.fixture
def practice(built: Practice, tmp_path: Path) -> Practice:
    """A copy of the built practice of this test's own (printing a receipt records it)."""
    copy = tmp_path / "practice"
    shutil.copytree(built.folder, copy, ignore=shutil.ignore_patterns("*.lock"))
    return replace(built, folder=copy)


def _text(path: Path) -> str:
    pages = PdfReader(BytesIO(path.read_bytes())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _cli(practice: Practice, *args: str) -> int:
    return main(["--data-dir", str(practice.folder), *args])


def test_invoice_pdf_writes_the_invoice(
    practice: Practice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "invoice.pdf"
    assert _cli(practice, "invoice", "pdf", practice.paid, "--out", str(out)) == 0
    assert f"Invoice {practice.paid} written to {out}" in capsys.readouterr().out
    text = _text(out)
    assert f"Invoice {practice.paid}" in text
    assert "Ελένη O'Brien" in text
    assert "60-min massage 97140 1 $100.00 Tax $100.00" in text
    assert "Total $105.00" in text
    assert "Balance due $45.00" in text


def test_a_voided_invoice_and_its_credit_note_print_as_such(
    practice: Practice, tmp_path: Path
) -> None:
    void, note = tmp_path / "void.pdf", tmp_path / "note.pdf"
    assert _cli(practice, "invoice", "pdf", practice.unpaid, "--out", str(void)) == 0
    assert _cli(practice, "invoice", "pdf", practice.credit_note, "--out", str(note)) == 0
    assert "VOID · Cancelled in full by a credit note. Reason: Billed twice" in _text(void)
    text = _text(note)
    assert f"Credit note {practice.credit_note}" in text
    assert f"Credit note for invoice {practice.unpaid}" in text
    assert "Total credited $105.00" in text


def test_the_receipt_is_marked_duplicate_from_the_second_print(
    practice: Practice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "receipt.pdf", tmp_path / "again.pdf"
    assert _cli(practice, "invoice", "pdf", practice.paid, "--receipt", "--out", str(first)) == 0
    assert _cli(practice, "invoice", "pdf", practice.paid, "--receipt", "--out", str(second)) == 0
    printed = capsys.readouterr().out
    assert f"Receipt R-{practice.paid} written to {first}" in printed
    assert f"Receipt R-{practice.paid} (DUPLICATE, copy 2) written to {second}" in printed
    assert "DUPLICATE" not in _text(first)
    assert "Amount paid $60.00" in _text(first)
    assert "DUPLICATE" in _text(second)


def test_superbill_pdf_writes_the_visits_of_the_period(
    practice: Practice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "superbill.pdf"
    since, until = (date.today() - timedelta(days=14)).isoformat(), date.today().isoformat()
    args = ["--client", str(practice.client_id), "--from", since, "--to", until]
    assert _cli(practice, "superbill", "pdf", *args, "--out", str(out)) == 0
    # The second visit's invoice was voided: it is no billed service, so it is not listed.
    assert f"Superbill of 1 visit, {since} to {until} written to {out}" in capsys.readouterr().out
    text = _text(out)
    assert "Name Ελένη O'Brien" in text
    assert "A M54.50" in text
    assert "97140 Manual therapy techniques · 45 min A 3 $100.00" in text
    assert "Total charges $100.00" in text
    assert "$0.00" not in text.split("Total charges")[0]  # no unbilled visit at $0.00
    assert "Amount paid $60.00" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invoice", "pdf", "2099-9999"], "No invoice or credit note numbered 2099-9999."),
        (["invoice", "pdf", "{unpaid}", "--receipt"], "is void; no receipt."),
        (
            [
                "superbill",
                "pdf",
                "--client",
                "{idle}",
                "--from",
                "2020-01-01",
                "--to",
                "2020-12-31",
            ],
            "Marc Dubois has no billed visits from 2020-01-01 to 2020-12-31.",
        ),
        (
            ["superbill", "pdf", "--client", "999", "--from", "2020-01-01", "--to", "2020-12-31"],
            "No client with id 999.",
        ),
        (
            [
                "superbill",
                "pdf",
                "--client",
                "{idle}",
                "--from",
                "2020-12-31",
                "--to",
                "2020-01-01",
            ],
            "The --from date is after the --to date.",
        ),
    ],
)
def test_bad_requests_say_why_and_write_nothing(
    practice: Practice,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "out.pdf"
    filled = [a.format(unpaid=practice.unpaid, idle=practice.idle_client_id) for a in args]
    assert _cli(practice, *filled, "--out", str(out)) != 0
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_date_is_refused_by_the_parser(
    practice: Practice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--client", "1", "--from", "2026-02-30", "--to", "2026-03-01"]
    with pytest.raises(SystemExit) as exit_info:
        _cli(practice, "superbill", "pdf", *args, "--out", str(tmp_path / "x.pdf"))
    assert exit_info.value.code == 2
    assert "'2026-02-30' is not a date like 2025-03-05" in capsys.readouterr().err


def test_a_receipt_for_an_unpaid_invoice_is_refused(
    practice: Practice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(practice.folder)
    try:
        client = clients.get_client(db, practice.client_id)
        service = billing.list_services(db)[0]
        unpaid = billing.bill_visit(
            db, make_visit(db, client.id, ("myofascial_release", 30)), service.id
        )
    finally:
        db.close()
    out = tmp_path / "receipt.pdf"
    assert _cli(practice, "invoice", "pdf", str(unpaid.number), "--receipt", "--out", str(out)) == 2
    assert "Nothing is paid on invoice" in capsys.readouterr().err
    assert not out.exists()
