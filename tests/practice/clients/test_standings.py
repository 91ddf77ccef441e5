"""The client list's standing of each client (balance owed, last visit, next appointment) is the
same figure the billing account, the visit history and the schedule give, for every client of a
demo practice, in one grouped query and client by client."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from practice.billing import service as billing
from practice.clients import service
from practice.clients.records import ClientForm, Standing
from practice.demo import generate
from practice.schedule import queries as schedule
from practice.store import Database
from practice.visits import service as visits

TODAY = date.today()


def test_each_standing_agrees_with_billing_visits_and_the_schedule(db: Database) -> None:
    generate(db, clients_count=24, seed=5, today=TODAY)
    now = datetime.now(UTC)
    standings = service.standings(db, now)
    owing = booked = seen = 0
    for row in service.search_clients(db, include_archived=True):
        standing = standings.get(row.id, Standing())
        # The list re-reads one client after a change to them: the same figures.
        assert service.standing(db, row.id, now) == standing, row.display_name
        account = billing.client_account(db, row.id)
        assert Decimal(standing.owed_cents) / 100 == account.owed, row.display_name
        completed = [
            v.starts_at for v in visits.visit_history(db, row.id) if v.status == "completed"
        ]
        assert standing.last_visit == max(completed, default=None), row.display_name
        ahead = [
            a.starts_at
            for a in schedule.client_appointments(db, row.id, upcoming=True, now=now)
            if a.state in ("booked", "confirmed") and a.starts_at > now
        ]
        assert standing.next_visit == min(ahead, default=None), row.display_name
        owing += standing.owed_cents > 0
        booked += standing.next_visit is not None
        seen += standing.last_visit is not None
    assert owing and booked and seen  # the demo exercises every figure


def test_a_client_with_nothing_on_record_has_no_standing(db: Database) -> None:
    client = service.create_client(db, ClientForm("Noah", "Smith"))
    assert client.id not in service.standings(db)
    assert service.standing(db, client.id) == Standing()
