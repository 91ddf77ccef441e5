"""What the client list shows: its rows and each client's standing.

Apart from `practice.clients.records` (which re-exports them) so that the list, which shows
before anything else loads, does not build every record class of a client to show its names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ClientRow:
    """One line of the client list: only what the list shows and searches."""

    id: int
    display_name: str
    family_name: str
    date_of_birth: date | None
    phone: str
    email: str
    archived: bool


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a client stands, for the list: cents owed, last visit, next appointment."""

    owed_cents: int = 0
    last_visit: datetime | None = None
    next_visit: datetime | None = None
