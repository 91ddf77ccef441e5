"""A practice in Toronto with a 60-minute massage (HST 13 %) and two clients, one without email."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from practice.billing import service as billing
from practice.billing.records import Service, ServiceForm, TaxRateForm
from practice.clients import service as clients
from practice.clients.records import ClientForm, PracticeProfile
from practice.schedule.records import ScheduleSettings
from practice.schedule.settings import save_settings
from practice.store import Database
from tests.conftest import Made, give_consent, made_once, made_result, own_practice

ZONE = "America/Toronto"
# A Friday before the week under test: every booking below is in the future from here.
NOW = datetime(2026, 2, 20, 14, 0, tzinfo=UTC)


@dataclass
class Practice:
    db: Database
    client_id: int  # has an email address
    caller_id: int  # phone only
    massage: Service  # 60 minutes, 100.00 + HST
    short: Service  # 30 minutes, 60.00


@pytest.fixture(scope="session")
def built_practice(
    tmp_path_factory: pytest.TempPathFactory, migrated_db_file: Path
) -> Made[Practice]:
    """The practice below, made once per test process; each test gets a copy (`db`)."""
    return made_once(tmp_path_factory, migrated_db_file, "schedule", _build)


@pytest.fixture
def db(
    request: pytest.FixtureRequest, built_practice: Made[Practice], tmp_path: Path
) -> Iterator[Database]:
    yield from own_practice(request, built_practice, tmp_path)


@pytest.fixture
def practice(
    request: pytest.FixtureRequest, db: Database, built_practice: Made[Practice]
) -> Practice:
    return replace(made_result(request, built_practice), db=db)


def _build(db: Database) -> Practice:
    clients.save_profile(
        db,
        PracticeProfile(
            therapist_name="Jordan Rivera",
            practice_name="Riverside Medical Massage",
            address="210 King Street West\nToronto, ON",
            phone="(416) 555-0142",
            currency="CAD",
            locale="en_CA",
        ),
    )
    save_settings(db, ScheduleSettings(time_zone=ZONE))
    client = clients.create_client(
        db, ClientForm(given_name="Chloé", family_name="O'Brien", email="chloe@example.com")
    )
    caller = clients.create_client(
        db, ClientForm(given_name="민지", family_name="김", phone_mobile="(416) 555-0199")
    )
    hst = billing.save_tax_rate(db, TaxRateForm("HST", Decimal("13")))
    massage = billing.save_service(
        db, ServiceForm("60-min medical massage", Decimal("100.00"), 60, (hst.id,), ("97124",))
    )
    short = billing.save_service(db, ServiceForm("30-min focused", Decimal("60.00"), 30))
    give_consent(db, client.id)
    give_consent(db, caller.id)
    return Practice(db, client.id, caller.id, massage, short)


def local(*args: int) -> datetime:
    """A wall-clock time in Toronto (naive: the schedule reads it in the practice's zone)."""
    return datetime(*args)  # type: ignore[arg-type]
