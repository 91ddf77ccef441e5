"""What every printout reads first: the client it is about and the letterhead."""

from __future__ import annotations

from datetime import date

from practice.clients import service as clients
from practice.clients.records import Client, PracticeProfile
from practice.errors import NotFoundError, ValidationError
from practice.store.database import Database

NAME_IN_FILE = 120  # bytes of the client's name in a file name
NO_PROFILE = "Fill in the practice profile first (Edit > Practice profile); it heads every page."


def client(db: Database, client_id: int) -> Client:
    try:
        return clients.get_client(db, client_id)
    except NotFoundError:
        raise ValidationError({"client": f"No client with id {client_id}."}) from None


def profile(db: Database) -> PracticeProfile:
    found = clients.get_profile(db)
    if found is None:
        raise ValidationError({"profile": NO_PROFILE})
    return found


def file_name(what: str, who: Client | str, when: date | str | None = None) -> str:
    """'Pain chart Chloé Dubois 2025-03-05.pdf': what, whose, and its day or period if any."""
    name = who if isinstance(who, str) else (who.display_name or who.legal_name)
    if len(name.encode()) > NAME_IN_FILE:  # file names stop at 255 bytes on most disks
        name = name.encode()[: NAME_IN_FILE - 3].decode(errors="ignore").rstrip() + "…"
    if isinstance(when, date):
        when = when.isoformat()
    return f"{what} {name}{' ' + when if when else ''}.pdf"
