"""The reports page: ageing buckets, revenue and tax for a period, CSV export that is safe."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from practice.billing import service
from practice.billing.records import LineForm, PaymentForm, PaymentMethod, TaxRateForm
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from ui.billing.reports import BUCKETS, ReportsPage
from ui.billing.widgets import preset_range
from ui.ops import runner


@pytest.fixture
def seeded(db: Database) -> None:
    """Four unpaid invoices of 100.00 + 13 % issued 10, 45, 75 and 120 days ago."""
    hst = service.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))
    ana = clients.create_client(db, ClientForm("Ana", "Peña"))
    cmd = clients.create_client(db, ClientForm("=cmd|' /C calc'!A0", "Evil"))
    for days, who in ((10, ana), (45, ana), (75, cmd), (120, cmd)):
        line = LineForm("Massage", unit_price=Decimal("100.00"), tax_rate_ids=(hst.id,))
        draft = service.create_invoice(db, who.id, [line])
        service.issue_invoice(db, draft.id, issued_on=date.today() - timedelta(days=days))
    first = service.list_invoices(db, ana.id)[0]
    service.record_payment(
        db, ana.id, PaymentForm(Decimal("13.00"), PaymentMethod.CASH, invoice_id=first.id)
    )


def page_for(qtbot: QtBot, db: Database) -> ReportsPage:
    page = ReportsPage(db)
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.refresh()
    return page


def test_outstanding_balances_fall_into_ageing_buckets(
    qtbot: QtBot, db: Database, seeded: None
) -> None:
    page = page_for(qtbot, db)
    cards = {name: card.value.text() for name, card in page.bucket_cards.items()}
    assert cards == {
        "0-30 days": "$100.00",  # 113.00 less the 13.00 paid
        "31-60 days": "$113.00",
        "61-90 days": "$113.00",
        "Over 90 days": "$113.00",
        "Total": "$439.00",
    }
    model = page.ageing_model
    assert model.rowCount() == 3  # two clients and the total
    assert model.cell(2, 0) == "Total" and model.cell(2, 6) == "$439.00"
    assert not page.period.isEnabled()  # ageing is as of today


def test_revenue_and_tax_follow_the_period(qtbot: QtBot, db: Database, seeded: None) -> None:
    page = page_for(qtbot, db)
    page.tabs.setCurrentIndex(1)
    since, until = date.today() - timedelta(days=200), date.today()
    page.period.set_range(since, until)
    assert page.revenue_cards["Invoiced before tax"].value.text() == "$400.00"
    assert page.revenue_cards["Tax"].value.text() == "$52.00"
    assert page.revenue_cards["Money received"].value.text() == "$13.00"
    assert page.method_model.cell(0, 0) == "Cash"

    page.tabs.setCurrentIndex(2)
    assert page.tax_card.value.text() == "$52.00"
    assert page.tax_model.cell(0, 2) == "123456789RT0001"

    page.period.set_range(until, since)
    assert page.report is None
    assert page.error.message()


def test_csv_export_neutralises_formula_cells(
    qtbot: QtBot, db: Database, seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ageing"
    asked: list[str] = []

    def save_name(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    page = page_for(qtbot, db)
    written = page.export_csv()
    qtbot.waitUntil(lambda: runner().idle)

    assert written == tmp_path / "ageing.csv"
    assert asked[0].startswith("outstanding-")
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [row[0] for row in rows[2:]]
    assert "'=cmd|' /C calc'!A0 Evil" in names
    assert "Ana Peña" in names
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_export_cancelled_writes_nothing(
    qtbot: QtBot, db: Database, seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    page = page_for(qtbot, db)
    assert page.export_csv() is None
    assert list(tmp_path.glob("*.csv")) == []


def test_period_presets() -> None:
    today = date(2026, 3, 15)
    assert preset_range("this_month", today) == (date(2026, 3, 1), date(2026, 3, 31))
    assert preset_range("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_range("this_year", today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert preset_range("last_month", date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_outstanding_balances_agree_on_screen_in_the_cli_and_on_today_for_the_demo(
    qtbot: QtBot, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One function (`reports.ageing`) behind the Outstanding tab, `fascia-cli report
    balances` and Today's "Balances owed" card: every client's row and every bucket agree."""
    from practice.cli import main
    from practice.demo import generate
    from practice.store import open_database
    from practice.today.figures import CardKind
    from ui.today.page import TodayPage

    db = open_database(data_dir, actor="demo")
    generate(db, clients_count=40, seed=5)
    db.close()
    assert main(["--data-dir", str(data_dir), "report", "balances"]) == 0
    printed = capsys.readouterr().out.splitlines()[2:]  # the title and the header left out
    db = open_database(data_dir)
    try:
        page = page_for(qtbot, db)
        qtbot.waitUntil(lambda: runner().idle)
        money = page.money.text
        model = page.ageing_model
        screen = [[model.cell(row, col) for col in range(7)] for row in range(model.rowCount())]
        # The command prints the first 19 clients, "..." and the total row.
        *shown_rows, total_line = printed
        if "..." in shown_rows:
            shown_rows = shown_rows[: shown_rows.index("...")]
        assert len(screen) > len(shown_rows) > 1

        def on_screen(line: str, dated: bool) -> list[str]:
            """A printed row as the screen shows it: amounts in the practice's money, zero
            buckets left blank (not the total)."""
            *name, invoices, b0, b1, b2, b3, total = line.split()[: -1 if dated else None]
            amounts = [Decimal(text) for text in (b0, b1, b2, b3, total)]
            shown = [money(a) if a or k == 4 else "" for k, a in enumerate(amounts)]
            return [" ".join(name), invoices, *shown]

        for row, line in zip(screen, shown_rows, strict=False):
            assert row == on_screen(line, dated=True)
        total = on_screen(total_line, dated=False)
        total[2:6] = [text or money(Decimal(0)) for text in total[2:6]]
        assert screen[-1] == total  # the screen's total row shows its zero buckets
        assert [page.bucket_cards[name].value.text() for name in BUCKETS] == total[2:]

        today = TodayPage(db)
        qtbot.addWidget(today)
        today.show()
        qtbot.waitUntil(lambda: runner().idle and today.loaded)
        owed = today.cards[CardKind.BALANCES].figure.text()
        assert owed == f"{len(screen) - 1} · {total[6]}"
    finally:
        runner().wait_idle()
        db.close()
