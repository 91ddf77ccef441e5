"""What the core gives the front desk on a clinic's server: nothing it would have to read from
the clinical tables the server refuses them, and a plain refusal where a task needs them."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from practice.billing import service as billing
from practice.billing.superbill import superbill
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import FasciaError
from practice.store import staff
from practice.store.seal.verify import verify_records
from practice.store.server import open_server
from practice.timeline import service as timeline
from practice.timeline.records import CLINICAL_KINDS, Kind
from practice.today.figures import CardKind
from practice.today.overview import card_kinds, today_overview

_made = itertools.count()


@pytest.fixture
def desk(server_db_factory: Any, tmp_path: Path) -> Any:
    """The front desk's practice, and a client of it."""
    import os

    admin = server_db_factory(tmp_path / "admin")
    login = f"reads_desk_{os.getpid()}_{next(_made)}"  # logins are the whole server's
    staff.add_user(admin, login, "front_desk", "pw", display_name="Anna Lee")
    client = clients.create_client(admin, ClientForm(given_name="Ana", family_name="Peña"))
    url = make_url(admin.server_url or "").set(username=login).render_as_string(False)
    db = open_server(url, tmp_path / "desk")
    yield db, client.id
    db.close()
    admin.close()


def test_the_front_desk_gets_no_clinical_kinds_cards_or_alerts(desk: Any) -> None:
    db, client_id = desk
    assert not staff.sees_clinical(db) and not staff.reads_everything(db)
    assert timeline.readable_kinds(db) == frozenset(Kind) - CLINICAL_KINDS
    page = timeline.timeline(db, client_id)  # every kind asked for: the desk's are read
    assert all(entry.kind not in CLINICAL_KINDS for entry in page.entries)
    assert card_kinds(db) == (CardKind.BALANCES,)
    assert [card.kind for card in today_overview(db).cards] == [CardKind.BALANCES]
    assert clients.alerts_for(db, client_id) == []


def test_tasks_that_need_clinical_records_are_refused_in_words(desk: Any) -> None:
    db, client_id = desk
    for task in (
        lambda: billing.bill_visit(db, 1),
        lambda: superbill(db, client_id, date(2026, 1, 1), date(2026, 12, 31)),
        lambda: verify_records(db),
    ):
        with pytest.raises(FasciaError) as refused:
            task()
        assert type(refused.value) is FasciaError
