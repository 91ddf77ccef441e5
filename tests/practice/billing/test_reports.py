"""Ageing, revenue and tax reports; CSV safe for spreadsheets; `fascia-cli report`."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from practice import printouts
from practice.billing import reports
from practice.billing import service as billing
from practice.billing.records import LineForm, PaymentForm, PaymentMethod
from practice.cli import main

D = Decimal


def _invoice(shop, price: str, issued_on: date, description: str = "Massage") -> int:
    draft = billing.create_invoice(
        shop.db,
        shop.client_id,
        [LineForm(description, unit_price=D(price), tax_rate_ids=(shop.hst.id,))],
    )
    return billing.issue_invoice(shop.db, draft.id, issued_on=issued_on).id


def test_ageing_puts_balances_in_buckets_by_days_since_issue(shop) -> None:
    today = date(2026, 6, 30)
    for days, price in ((5, "10.00"), (45, "20.00"), (75, "30.00"), (120, "40.00")):
        _invoice(shop, price, today - timedelta(days=days))
    paid = _invoice(shop, "100.00", today - timedelta(days=200))
    billing.record_payment(
        shop.db, shop.client_id, PaymentForm(D("113.00"), PaymentMethod.CASH, invoice_id=paid)
    )
    report = reports.ageing(shop.db, today)
    [row] = report.rows
    assert (row.current, row.days_31_60, row.days_61_90, row.over_90) == (
        D("11.30"),
        D("22.60"),
        D("33.90"),
        D("45.20"),
    )
    assert row.invoices == 4
    assert report.total == D("113.00")


def test_ageing_buckets_end_on_days_30_60_and_90(shop) -> None:
    """Each bucket's last day belongs to it: 30 days is current, 31 is "31-60" (the sums are
    made by the database, from dates: none may slip by a day)."""
    today = date(2026, 6, 30)
    prices = {0: "1.00", 30: "2.00", 31: "4.00", 60: "8.00", 61: "16.00", 90: "32.00"}
    prices |= {91: "64.00", 400: "128.00"}
    for days, price in prices.items():
        _invoice(shop, price, today - timedelta(days=days))
    _invoice(shop, "1000.00", today + timedelta(days=1))  # issued after the day asked about
    report = reports.ageing(shop.db, today)
    [row] = report.rows
    hst = D("1.13")
    assert (row.current, row.days_31_60, row.days_61_90, row.over_90) == (
        D("3.00") * hst,
        D("12.00") * hst,
        D("48.00") * hst,
        D("192.00") * hst,
    )
    assert row.invoices == 8 and row.oldest_issued_on == today - timedelta(days=400)
    assert (report.current, report.over_90, report.total) == (
        row.current,
        row.over_90,
        D("255.00") * hst,
    )


def test_revenue_and_tax_net_out_credit_notes(shop) -> None:
    first = _invoice(shop, "100.00", date(2026, 1, 10))
    _invoice(shop, "50.00", date(2026, 2, 3))
    billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(
            D("113.00"), PaymentMethod.E_TRANSFER, invoice_id=first, received_on=date(2026, 1, 12)
        ),
    )
    billing.void_invoice(shop.db, first, "Duplicate", voided_on=date(2026, 2, 5))
    report = reports.revenue(shop.db, date(2026, 1, 1), date(2026, 2, 28))
    assert [(r.key, r.invoiced) for r in report.by_month] == [
        ("2026-01", D("100.00")),
        ("2026-02", D("-50.00")),
    ]
    assert report.invoiced == D("50.00")
    assert [(r.key, r.received) for r in report.by_method] == [("E-transfer", D("113.00"))]
    tax = reports.tax_collected(shop.db, date(2026, 1, 1), date(2026, 2, 28))
    [row] = tax.rows
    assert (row.collected, row.credited, row.net) == (D("19.50"), D("13.00"), D("6.50"))
    assert row.registration == "123456789RT0001"


def test_csv_neutralises_formulas_and_keeps_unicode(shop, tmp_path: Path) -> None:
    _invoice(shop, "10.00", date(2026, 3, 1), description='=HYPERLINK("http://x")')
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    evil = clients.create_client(
        shop.db, ClientForm(given_name="=cmd|' /C calc'!A0", family_name="김")
    )
    draft = billing.create_invoice(shop.db, evil.id, [LineForm("Massage", unit_price=D("5.00"))])
    billing.issue_invoice(shop.db, draft.id, issued_on=date(2026, 3, 2))
    path = tmp_path / "ageing.csv"
    printouts.billing_report_csv(shop.db, "balances", as_of=date(2026, 3, 10), to_file=path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=cmd|' /C calc'!A0 김" in cells
    assert "Chloé O'Brien" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert reports.safe_cell("-12.50") == "-12.50"
    assert reports.safe_cell("-1+2") == "'-1+2"
    assert reports.safe_cell("\tx") == "'\tx"


def test_cli_report_revenue_prints_a_table_and_writes_csv(
    shop, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _invoice(shop, "100.00", date(2026, 4, 2))
    shop.db.close()
    out = tmp_path / "revenue.csv"
    args = ["--data-dir", str(data_dir), "report", "revenue", "--from", "2026-04-01"]
    assert main([*args, "--to", "2026-04-30", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2026-04" in printed and "100.00" in printed
    assert "Massage" in out.read_text(encoding="utf-8-sig")
    assert main([*args, "--to", "2026-03-01"]) == 2
    assert "after the end date" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "report", "balances", "--as-of", "2026-05-01"]) == 0
    assert "113.00" in capsys.readouterr().out
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "report",
                "tax",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
            ]
        )
        == 0
    )
    assert "HST" in capsys.readouterr().out


def test_csv_cells_lose_invisible_characters_and_escape_a_leading_control(
    shop, tmp_path: Path
) -> None:
    """Names saved before Fascia cleaned text may hold NUL or zero-width characters."""
    _invoice(shop, "10.00", date(2026, 3, 1))
    with shop.db.transaction() as session:
        session.connection().exec_driver_sql(
            "UPDATE client SET given_name = ?, family_name = ? WHERE id = ?",
            ("\x07=cmd\x00", "Pe\u200bña\u202e", shop.client_id),
        )
    path = tmp_path / "ageing.csv"
    path.write_bytes(reports.csv_bytes(reports.tables(reports.ageing(shop.db, date(2026, 3, 10)))))
    raw = path.read_text(encoding="utf-8-sig")
    assert not {"\x00", "\u200b", "\u202e"} & set(raw)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=cmd Peña" in cells  # the hidden bell no longer hides the formula
    assert reports.safe_cell("\x07=1+1") == "'=1+1"
    assert reports.safe_cell("\nx") == "'\nx"
