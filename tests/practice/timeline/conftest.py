"""The sample client (every kind of record) and a client whose records share moments, built once
for the timeline tests in a practice they only read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from practice.store import Database, open_database
from tests.practice.timeline.sample import TODAY, Sample, build_sample, days_ago


@dataclass(frozen=True, slots=True)
class Practice:
    db: Database
    sample: Sample
    crowded_id: int  # a client whose records pile up on the same days and moments


@pytest.fixture(scope="package")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    folder = tmp_path_factory.mktemp("timeline") / "practice"
    folder.mkdir()
    db = open_database(folder, actor="Maya Chen, RMT")
    try:
        sample = build_sample(db)
        yield Practice(db, sample, _crowded_client(db))
    finally:
        db.close()


def _crowded_client(db: Database) -> int:
    """Entries that tie: the same moment for timed records, the same day for dated ones."""
    from practice.billing import service as billing
    from practice.billing.records import LineForm, PaymentForm, PaymentMethod
    from practice.bodymap import service as charts
    from practice.bodymap.chart import ChartData, Quality, RegionMark
    from practice.clients import service as clients
    from practice.clients.intake import IntakeData
    from practice.clients.records import ClientForm, ConsentSignature
    from practice.visits import outcomes
    from practice.visits import service as visits
    from practice.visits.records import HeadacheForm, SoapNote, VisitDraft, VisitForm

    cid = clients.create_client(db, ClientForm(given_name="Crowded", family_name="Day")).id
    day = TODAY - timedelta(days=10)
    moment = days_ago(10, 11)
    form = clients.consent_forms(db)[0]  # the sample's general consent
    for _ in range(3):
        clients.sign_consent(db, cid, ConsentSignature(form.id, "C. Day", signed_at=moment))
        clients.save_intake(db, cid, IntakeData(recorded_on=day))
        visits.create_visit(db, cid, VisitDraft(VisitForm(moment, 30), SoapNote(pain_before=4), ()))
        outcomes.record_sleep_quality(db, cid, day, 5)
        outcomes.record_headache(db, cid, HeadacheForm(day, 2, 3))
        billing.record_payment(
            db, cid, PaymentForm(Decimal("20.00"), PaymentMethod.CASH, day, as_credit=True)
        )
        line = LineForm("Cupping", unit_price=Decimal("30"))
        billing.create_invoice(db, cid, [line], created_on=day)
        data = ChartData(marks=(RegionMark("B_NECK_R", 3, frozenset({Quality.ACHE})),))
        charts.save_chart(db, cid, day, data)
    visits.create_visit(db, cid, VisitDraft(VisitForm(days_ago(9, 8), 30), SoapNote(), ()))
    return cid
