"""Units under the CMS 8-minute rule and the per-code rule; superbill lines, pointers, warnings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import BillingSettings, UnitRule
from practice.billing.superbill import superbill
from practice.billing.units import allot_units
from practice.plans import service as plans
from practice.plans.records import PlanForm
from tests.practice.billing.conftest import make_visit


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4), (67, 4), (68, 5)],
)
def test_total_minutes_follow_the_published_cms_unit_table(minutes: int, units: int) -> None:
    """CMS Pub. 100-04 ch. 5 s. 20.2: 8-22 min = 1 unit, 23-37 = 2, 38-52 = 3, 53-67 = 4."""
    assert sum(allot_units({"97140": minutes}).values()) == units


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        # CMS examples (Pub. 100-04 ch. 5 s. 20.2):
        ({"97112": 24, "97110": 23}, {"97112": 2, "97110": 1}),
        ({"97110": 33, "97140": 7}, {"97110": 2, "97140": 1}),
        (
            {"97110": 18, "97140": 13, "97112": 10, "97035": 8},
            {"97110": 1, "97140": 1, "97112": 1, "97035": 0},
        ),
        ({"97112": 7, "97110": 7}, {"97112": 1, "97110": 0}),
    ],
)
def test_cms_multi_code_examples(minutes: dict[str, int], expected: dict[str, int]) -> None:
    assert allot_units(minutes) == expected


def test_the_per_code_rule_counts_each_code_on_its_own() -> None:
    assert allot_units({"97110": 33, "97140": 7}, UnitRule.PER_CODE) == {"97110": 2, "97140": 0}


def test_superbill_lists_codes_units_pointers_and_warns_on_97124_with_97140(shop) -> None:
    today = date.today()
    plans.create_plan(
        shop.db,
        shop.client_id,
        PlanForm(
            start_date=today - timedelta(days=10),
            frequency_count=1,
            length_weeks=6,
            diagnoses=("M54.50", "M62.830"),
        ),
    )
    visit = make_visit(
        shop.db, shop.client_id, ("effleurage", 20), ("myofascial_release", 25), days_ago=2
    )
    invoice = billing.bill_visit(shop.db, visit)
    bill = superbill(shop.db, shop.client_id, today - timedelta(days=7), today)
    assert [d.code for d in bill.diagnoses] == ["M54.50", "M62.830"]
    [day] = bill.visits
    assert day.timed_minutes == 45
    units = {line.cpt: line.units for line in day.lines}
    assert units == {"97140": 2, "97124": 1}  # 45 min = 3 units, most minutes first
    assert sum(line.charge for line in day.lines) == Decimal("100.00")
    assert day.lines[0].pointer_letters == "AB"
    assert day.place_of_service == "11"
    assert day.invoice_numbers == (invoice.number,)
    assert day.warnings and "97124" in day.warnings[0]
    billing.save_settings(shop.db, BillingSettings(unit_rule=UnitRule.PER_CODE))
    per_code = superbill(shop.db, shop.client_id, today - timedelta(days=7), today)
    assert {line.cpt: line.units for line in per_code.visits[0].lines} == units


def test_a_taxed_visit_paid_in_full_leaves_nothing_owing_on_the_superbill(shop) -> None:
    """Charges are listed before tax (box 24F); the tax is added back before the payments."""
    from practice.billing.records import PaymentForm, PaymentMethod

    today = date.today()
    visit = make_visit(shop.db, shop.client_id, ("effleurage", 60), days_ago=2)
    invoice = billing.bill_visit(shop.db, visit)
    billing.record_payment(
        shop.db,
        shop.client_id,
        PaymentForm(invoice.total, PaymentMethod.CARD, invoice_id=invoice.id),
    )
    bill = superbill(shop.db, shop.client_id, today - timedelta(days=7), today)
    assert bill.total_charge == Decimal("100.00")
    assert bill.total_tax == Decimal("13.00")
    assert bill.total_paid == Decimal("113.00")
    assert bill.balance == Decimal("0.00")
