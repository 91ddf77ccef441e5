"""Today's cards: each counts exactly what it lists, and fascia-cli today prints the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.billing import service as billing
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.records import PlanForm
from practice.schedule import missed, queries, service
from practice.schedule.records import AppointmentForm
from practice.today import figures
from practice.today.figures import CardKind
from practice.today.overview import summary_lines, today_overview
from practice.visits import service as visits
from practice.visits.imported import PastVisit, add_imported_visits, check_past_visit
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.practice.schedule.conftest import NOW, Practice, local

# The schedule tests' practice: made once per test process, each test's `db` a copy of it.
from tests.practice.schedule.conftest import built_practice as built_practice  # the fixtures
from tests.practice.schedule.conftest import db as db
from tests.practice.schedule.conftest import practice as practice

TODAY = date(2026, 2, 20)  # NOW's day in Toronto: a Friday


@pytest.fixture
def p(practice: Practice) -> Practice:
    return practice


def _visit(p: Practice, days_ago: int, *, sign: bool = False) -> int:
    starts = NOW - timedelta(days=days_ago, hours=2)
    draft = VisitDraft(VisitForm(starts, 60), SoapNote(complaint="Low back ache"))
    record = visits.create_visit(p.db, p.client_id, draft, TODAY)
    if sign:
        visits.sign_visit(p.db, record.visit.id, draft, TODAY)
    return record.visit.id


def test_a_visit_whose_note_is_unsigned_is_counted_until_it_is_signed(p: Practice) -> None:
    draft_id = _visit(p, 2)
    _visit(p, 3, sign=True)
    card = figures.unsigned_notes(p.db, NOW)
    assert [i.record_id for i in card.items] == [draft_id]
    assert card.items[0].client_name == "Chloé O'Brien"
    visits.sign_visit(p.db, draft_id, today=TODAY)
    assert figures.unsigned_notes(p.db, NOW).count == 0


def test_a_completed_visit_is_unbilled_until_it_is_on_an_invoice(p: Practice) -> None:
    visit_id = _visit(p, 1, sign=True)
    card = figures.unbilled_visits(p.db, NOW)
    assert [(i.record_id, i.detail) for i in card.items] == [(visit_id, "Signed, not billed")]
    invoice = billing.bill_visit(p.db, visit_id, p.massage.id)
    assert figures.unbilled_visits(p.db, NOW).count == 0
    billing.void_invoice(p.db, invoice.id, "Wrong service")
    assert figures.unbilled_visits(p.db, NOW).count == 1


def _imported(p: Practice, days_ago: int) -> int:
    """A past visit brought in from another tool's export (final, never signed here)."""
    starts = NOW - timedelta(days=days_ago, hours=2)
    draft = check_past_visit(
        VisitDraft(VisitForm(starts, 60), SoapNote(complaint="Neck stiffness")), TODAY
    )
    with p.db.transaction() as session:
        (visit_id,) = add_imported_visits(
            p.db, session, [PastVisit(p.client_id, draft, "Jane export visits.csv, line 2")]
        )
    return visit_id


def test_an_imported_visit_is_never_unbilled_and_cannot_be_billed_here(p: Practice) -> None:
    imported_id = _imported(p, 2)
    own_id = _visit(p, 1, sign=True)
    card = figures.unbilled_visits(p.db, NOW)
    assert [i.record_id for i in card.items] == [own_id]  # the other tool billed it
    with pytest.raises(ValidationError) as error:
        billing.bill_visit(p.db, imported_id, p.massage.id)
    assert "billed: Fascia does not bill it again" in error.value.errors["visits"]
    assert billing.invoices_for_visit(p.db, imported_id) == []


def test_balances_owed_list_who_owes_and_add_up_to_the_total(p: Practice) -> None:
    visit_id = _visit(p, 1, sign=True)
    billing.bill_visit(p.db, visit_id, p.massage.id, issued_on=TODAY)
    card = figures.balances_owed(p.db, TODAY)
    assert [i.client_id for i in card.items] == [p.client_id]
    assert card.total == Decimal("113.00") == card.items[0].amount


def test_plans_due_for_reevaluation_are_the_active_ones_due_within_a_week(p: Practice) -> None:
    form = PlanForm(date(2026, 1, 5), 1, 8, reevaluation_date=date(2026, 2, 18))
    plan = plans.create_plan(p.db, p.client_id, form, today=date(2026, 1, 5))
    later = PlanForm(date(2026, 1, 5), 1, 12, reevaluation_date=date(2026, 3, 16))
    plans.create_plan(p.db, p.caller_id, later, today=date(2026, 1, 5))
    card = figures.plans_due(p.db, TODAY)
    assert [(i.record_id, i.detail) for i in card.items] == [(plan.id, "Overdue")]


def test_clients_booked_this_week_without_intake_or_consent_are_listed(p: Practice) -> None:
    newcomer = clients.create_client(p.db, ClientForm(given_name="Noah", family_name="Smith"))
    for client_id in (p.client_id, newcomer.id):
        form = AppointmentForm(client_id, local(2026, 2, 23, 10 + client_id % 2), 60)
        service.book(p.db, form, now=NOW, confirm=True)
    card = figures.missing_paperwork(p.db, NOW)
    details = {i.client_id: i.detail for i in card.items}
    assert details == {p.client_id: "No intake", newcomer.id: "No intake and no consent"}


def test_the_week_counts_visits_revenue_and_the_no_show_rate(p: Practice) -> None:
    visit_id = _visit(p, 1, sign=True)
    billing.bill_visit(p.db, visit_id, p.massage.id, issued_on=TODAY)
    for hour in (9, 11):
        form = AppointmentForm(p.client_id, local(2026, 2, 18, hour), 60)
        service.book(p.db, form, now=NOW - timedelta(days=5), confirm=True)
    nine = queries.client_appointments(p.db, p.client_id)[0]
    missed.mark_no_show(p.db, nine.id, now=NOW, bill=False)
    week = figures.week_figures(p.db, TODAY)
    assert (week.first_day, week.last_day) == (date(2026, 2, 16), date(2026, 2, 22))
    assert week.visits == 1
    assert week.revenue == Decimal("100.00")
    assert week.no_show_rate == pytest.approx(0.5)


def test_without_a_backup_the_card_says_so(p: Practice) -> None:
    state = figures.backup_state(p.db, NOW)
    assert not state.healthy
    assert state.warning == "No backup yet"


def test_after_a_verified_backup_the_card_gives_its_time(p: Practice) -> None:
    from practice.store.backups.run import back_up

    made = back_up(p.db.data_dir, reason="manual").backup
    state = figures.backup_state(p.db, made.made_at)
    assert state.healthy
    assert state.last_backup_at == made.made_at


def test_the_cli_prints_each_card_with_the_figure_the_screen_shows(
    p: Practice, capsys: pytest.CaptureFixture[str]
) -> None:
    from practice.cli import main

    _visit(p, 1)
    overview = today_overview(p.db)
    p.db.close()  # the CLI refuses a practice another program has open
    assert main(["--data-dir", str(p.db.data_dir), "today"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == summary_lines(overview)
    assert "Unsigned notes: 1" in printed
    assert overview.card(CardKind.UNSIGNED).count == 1


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=st.datetimes(timezones=st.just(UTC)) | st.datetimes())
def test_any_moment_gives_figures_or_a_plain_refusal(p: Practice, moment: datetime) -> None:
    try:
        figures.unsigned_notes(p.db, moment)
        figures.missing_paperwork(p.db, moment)
    except ValidationError as error:
        assert "now" in error.errors
