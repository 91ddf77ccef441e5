"""Invoices: exact totals, drafts, issuing with gapless numbers, locking, voiding, bad input."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.money import line_tax
from practice.billing.records import (
    BillingSettings,
    InvoiceStatus,
    LineForm,
    PaymentForm,
    PaymentMethod,
    ServiceForm,
    TaxRateForm,
)
from practice.errors import LockedRecordError, ValidationError
from tests.rawsql import RawSQL, another_database

D = Decimal


def test_tax_is_rounded_half_up_per_line_and_summed(shop) -> None:
    """13 % of 0.50 is 0.065: rounded half up to 0.07 on each line, never float 0.06."""
    assert line_tax(50, 13000) == 7
    invoice = billing.create_invoice(
        shop.db,
        shop.client_id,
        [
            LineForm("Arnica balm", unit_price=D("0.50"), tax_rate_ids=(shop.hst.id,)),
            LineForm("Arnica balm", unit_price=D("0.50"), tax_rate_ids=(shop.hst.id,)),
            LineForm(service_id=shop.massage.id, discount=D("10.00")),
        ],
    )
    assert invoice.subtotal == D("101.00")
    assert invoice.discount_total == D("10.00")
    assert invoice.tax_total == D("0.07") + D("0.07") + D("11.70")
    assert invoice.total == D("91.00") + invoice.tax_total
    assert [t.label for t in invoice.tax_lines] == ["HST 13%"]
    assert invoice.tax_lines[0].taxable == D("91.00")
    assert all(isinstance(v, Decimal) for v in (invoice.total, invoice.balance))


def test_several_tax_rates_apply_to_one_line(shop) -> None:
    gst = billing.save_tax_rate(shop.db, TaxRateForm("GST", D("5")))
    qst = billing.save_tax_rate(shop.db, TaxRateForm("QST", D("9.975")))
    invoice = billing.create_invoice(
        shop.db,
        shop.client_id,
        [LineForm("Massage", unit_price=D("100.00"), tax_rate_ids=(gst.id, qst.id))],
    )
    assert invoice.total == D("114.98")  # 5.00 + 9.975 -> 9.98
    assert {t.label for t in invoice.tax_lines} == {"GST 5%", "QST 9.975%"}


def test_issuing_numbers_invoices_in_a_gapless_sequence_with_the_year(shop) -> None:
    numbers = []
    for _ in range(3):
        draft = billing.create_invoice(
            shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)]
        )
        numbers.append(billing.issue_invoice(shop.db, draft.id, issued_on=date(2026, 3, 1)).number)
    assert numbers == ["2026-0001", "2026-0002", "2026-0003"]
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    issued = billing.issue_invoice(shop.db, draft.id, issued_on=date(2027, 1, 2))
    assert issued.number == "2027-0001"
    assert issued.due_on == date(2027, 2, 1)
    assert billing.invoice_by_number(shop.db, "2026-0002").status is InvoiceStatus.ISSUED


def test_a_custom_prefix_is_used(shop) -> None:
    billing.save_settings(shop.db, BillingSettings(invoice_prefix="RMT-{year}/", number_digits=5))
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    assert billing.issue_invoice(shop.db, draft.id, issued_on=date(2026, 5, 1)).number == (
        "RMT-2026/00001"
    )


def test_an_empty_invoice_cannot_be_issued(shop) -> None:
    draft = billing.create_invoice(shop.db, shop.client_id, [])
    with pytest.raises(ValidationError) as error:
        billing.issue_invoice(shop.db, draft.id)
    assert "lines" in error.value.errors
    assert billing.get_invoice(shop.db, draft.id).status is InvoiceStatus.DRAFT


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (LineForm("Oil", unit_price=D("-1.00")), "unit_price"),
        (LineForm("Oil", unit_price=D("1.005")), "unit_price"),
        (LineForm("Oil", unit_price=D("5.00"), quantity=0), "quantity"),
        (LineForm("Oil", unit_price=D("5.00"), quantity=-2), "quantity"),
        (LineForm("Oil", unit_price=D("5.00"), discount=D("6.00")), "discount"),
        (LineForm("Oil", unit_price=D("5.00"), tax_rate_ids=(999,)), "tax_rate_ids"),
        (LineForm("", unit_price=D("5.00")), "description"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_saved(shop, line: LineForm, field: str) -> None:
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    with pytest.raises(ValidationError) as error:
        billing.update_draft(shop.db, draft.id, [LineForm(service_id=shop.massage.id), line])
    assert field in error.value.errors
    assert billing.get_invoice(shop.db, draft.id).lines == draft.lines


def test_an_issued_invoice_cannot_be_edited_through_the_service(shop) -> None:
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    issued = billing.issue_invoice(shop.db, draft.id)
    for attempt in (
        lambda: billing.update_draft(shop.db, issued.id, notes="changed"),
        lambda: billing.add_line(shop.db, issued.id, LineForm("Oil", unit_price=D("1.00"))),
        lambda: billing.remove_line(shop.db, issued.id, issued.lines[0].id),
        lambda: billing.delete_draft(shop.db, issued.id),
    ):
        with pytest.raises(LockedRecordError):
            attempt()
    assert billing.get_invoice(shop.db, issued.id) == issued


def test_the_database_refuses_changes_to_an_issued_invoice(shop) -> None:
    """The triggers of migration 0005 hold even for raw SQL."""
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    issued = billing.issue_invoice(shop.db, draft.id)
    line_id = issued.lines[0].id
    conn = RawSQL(shop.db)
    try:
        for sql in (
            f"UPDATE invoice SET total_cents = 1 WHERE id = {issued.id}",
            f"UPDATE invoice SET number = '2026-9999' WHERE id = {issued.id}",
            f"DELETE FROM invoice WHERE id = {issued.id}",
            f"UPDATE invoice_line SET unit_price_cents = 1 WHERE id = {line_id}",
            f"DELETE FROM invoice_line WHERE id = {line_id}",
            f"INSERT INTO invoice_line (invoice_id, position, description, quantity, "
            f"unit_price_cents, discount_cents, net_cents, tax_cents) "
            f"VALUES ({issued.id}, 9, 'x', 1, 1, 0, 1, 0)",
            f"UPDATE invoice_line_tax SET amount_cents = 0 WHERE line_id = {line_id}",
        ):
            with pytest.raises(conn.IntegrityError, match="issued invoices cannot be changed"):
                conn.execute(sql)
        # Voiding is the one change allowed, and only of the status and the reason.
        with pytest.raises(conn.IntegrityError):
            conn.execute(f"UPDATE invoice SET status='void', total_cents=0 WHERE id={issued.id}")
    finally:
        conn.close()
    assert billing.get_invoice(shop.db, issued.id) == issued


def test_voiding_issues_a_credit_note_and_frees_what_was_paid(shop) -> None:
    draft = billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    invoice = billing.issue_invoice(shop.db, draft.id)
    billing.record_payment(
        shop.db, shop.client_id, PaymentForm(D("113.00"), PaymentMethod.CARD, invoice_id=invoice.id)
    )
    assert billing.get_invoice(shop.db, invoice.id).status is InvoiceStatus.PAID
    note = billing.void_invoice(shop.db, invoice.id, "Billed the wrong client")
    assert note.number == "CN-0001"
    assert note.total == invoice.total
    assert note.credits_invoice_number == invoice.number
    voided = billing.get_invoice(shop.db, invoice.id)
    assert voided.status is InvoiceStatus.VOID
    assert voided.credit_note_id == note.id
    account = billing.client_account(shop.db, shop.client_id)
    assert account.owed == 0
    assert account.account_credit == D("113.00")
    with pytest.raises(ValidationError):
        billing.void_invoice(shop.db, invoice.id, "again")


def test_concurrent_issuing_never_repeats_or_skips_a_number(shop, data_dir) -> None:
    """Eight threads, each with its own Database on the same file, issue at the same moment."""
    drafts = [
        billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)]).id
        for _ in range(16)
    ]
    shop.db.close()  # the folder lock is per process: reopen without it, as each thread does

    start = threading.Barrier(8)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work(ids: list[int]) -> None:
        db = another_database(shop.db)
        try:
            start.wait()
            for invoice_id in ids:
                numbers.append(billing.issue_invoice(db, invoice_id).number or "")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=work, args=(drafts[k::8],)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = date.today().year
    assert sorted(numbers) == [f"{year}-{n:04d}" for n in range(1, 17)]


@pytest.mark.parametrize("amount", [D("1E+30"), D("-1E+30"), D("NaN"), D("Infinity")])
def test_a_price_or_discount_like_1e30_is_refused_with_a_message(shop, amount: Decimal) -> None:
    with pytest.raises(ValidationError) as error:
        billing.create_invoice(
            shop.db, shop.client_id, [LineForm("Massage", unit_price=amount, discount=amount)]
        )
    assert {"unit_price", "discount"} <= set(error.value.errors)
    with pytest.raises(ValidationError) as error:
        billing.save_service(shop.db, ServiceForm("Hot stones", amount, 60))
    assert set(error.value.errors) == {"price"}
    assert billing.list_invoices(shop.db, shop.client_id) == []


@pytest.mark.parametrize("rate", [D("nan"), D("sNaN"), D("Infinity"), D("1E+30"), D("-1")])
def test_a_tax_rate_of_nan_or_infinity_is_refused_with_a_message(shop, rate: Decimal) -> None:
    with pytest.raises(ValidationError) as error:
        billing.save_tax_rate(shop.db, TaxRateForm("PST", rate))
    assert set(error.value.errors) == {"rate"}
    assert [r.name for r in billing.list_tax_rates(shop.db)] == ["HST"]


def test_tax_and_service_names_are_unique_in_any_case_and_script(shop) -> None:
    with pytest.raises(ValidationError, match="already a tax called"):
        billing.save_tax_rate(shop.db, TaxRateForm("hst", D("15")))
    billing.save_service(shop.db, ServiceForm("Étirements assistés", D("40.00"), 30))
    with pytest.raises(ValidationError, match="already a service called"):
        billing.save_service(shop.db, ServiceForm("ÉTIREMENTS  ASSISTÉS", D("45.00"), 30))
    renamed = billing.save_service(
        shop.db, replace(shop.massage.form(), name="60-MIN MEDICAL MASSAGE"), shop.massage.id
    )
    assert renamed.name == "60-MIN MEDICAL MASSAGE"  # its own name in another case


def test_an_invoice_prefix_cannot_hold_a_format_that_would_fill_the_memory(shop) -> None:
    with pytest.raises(ValidationError) as error:
        billing.save_settings(shop.db, BillingSettings(invoice_prefix="{year:>999999999}"))
    assert set(error.value.errors) == {"invoice_prefix"}


def test_an_amount_is_written_as_babel_writes_it_however_often_it_is_shown() -> None:
    """Money text is made once per amount (a practice shows the same prices again and again),
    keyed by the amount's exact text: a credit's "-$0.00" never becomes "$0.00" for having
    been shown after it, nor a price's text another currency's or locale's."""
    from babel.numbers import format_currency

    from practice.billing.money import format_money

    amounts = ["-0.00", "0.00", "110.00", "110.0", "-5.5", "1234567.891", "0.005"]
    for _round in range(2):
        for text in amounts:
            for currency, locale in (("CAD", "en_CA"), ("EUR", "fr_FR"), ("CAD", "fr_CA")):
                amount = Decimal(text)
                expected = format_currency(amount, currency, locale=locale)
                assert format_money(amount, currency, locale) == expected
    assert format_money(Decimal("-0.00"), "CAD", "en_CA") != format_money(
        Decimal("0.00"), "CAD", "en_CA"
    )


def test_a_long_invoice_list_holds_each_repeated_value_once(shop) -> None:
    """A practice's whole invoice list is held by the Billing area: the client's name, the
    status, the days and the amounts repeated down it are one object each, not one per row
    (at 30,000 clients, 162,000 invoices held 110 MiB; so, 40 MiB)."""
    for _ in range(3):
        billing.create_invoice(shop.db, shop.client_id, [LineForm(service_id=shop.massage.id)])
    first, *others = billing.list_invoices(shop.db)
    assert len(others) == 2
    for other in others:
        assert other.client_name == first.client_name == "Chloé O'Brien"
        assert other.client_name is first.client_name
        assert other.status_code is first.status_code
        assert other.created_day is first.created_day
        assert other.total_cents is first.total_cents == 11300  # 100.00 + 13 % HST
        assert other.id != first.id


def test_values_are_shared_down_a_column_never_across_columns() -> None:
    from decimal import Decimal as D

    from practice.store.rows import sharing_values

    rows = [(0, D(0), "a", 0.0, "x"), (0, D(0), "a", 0.0, "x" * 2)]
    made = sharing_values(iter(rows), tuple, 5, unique=(4,))
    assert made == rows
    assert [type(value) for value in made[1]] == [int, D, str, float, str]  # 0, 0, 0.0 apart
