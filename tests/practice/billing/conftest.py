"""A practice with HST 13 %, a 60-minute massage, a 5-visit package and a client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from practice.billing import service as billing
from practice.billing.records import Service as BillingService
from practice.billing.records import ServiceForm, ServiceKind, TaxRate, TaxRateForm
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.visits import service as visits
from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm


@dataclass
class Shop:
    db: Database
    client_id: int
    hst: TaxRate
    massage: BillingService
    package: BillingService


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


@pytest.fixture(scope="module")
def shared_shop(shared_db: Database) -> Shop:
    """The same practice once for a whole module (the property tests)."""
    return build_shop(shared_db)


def build_shop(db: Database) -> Shop:
    client = clients.create_client(db, ClientForm(given_name="Chloé", family_name="O'Brien"))
    hst = billing.save_tax_rate(db, TaxRateForm("HST", Decimal("13"), "123456789RT0001"))
    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("100.00"), 60, (hst.id,), ("97124",))
    )
    package = billing.save_service(
        db,
        ServiceForm(
            "5-visit package",
            Decimal("450.00"),
            None,
            (hst.id,),
            kind=ServiceKind.PACKAGE,
            package_visits=5,
            package_service_id=massage.id,
        ),
    )
    return Shop(db, client.id, hst, massage, package)


def make_visit(
    db: Database,
    client_id: int,
    *treatments: tuple[str, int],
    days_ago: int = 1,
    signed: bool = True,
) -> int:
    """A completed visit with this treatment log, signed unless told otherwise."""
    starts = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    starts -= timedelta(days=days_ago)
    entries = tuple(TreatmentInput(technique=code, minutes=m) for code, m in treatments)
    record = visits.create_visit(
        db, client_id, VisitDraft(VisitForm(starts, 60), SoapNote(complaint="Neck"), entries)
    )
    if signed:
        visits.sign_visit(db, record.visit.id, without_consent=True)
    return record.visit.id
