"""The client list read with sqlite3 alone gives what the service gives, and sees new saves."""

from __future__ import annotations

from datetime import date

from practice.clients import service
from practice.clients.directory import ClientDirectory
from practice.clients.records import ClientForm
from practice.store import Database


def test_the_directory_lists_and_searches_exactly_like_the_service(db: Database) -> None:
    for given, family, born in [
        ("Chloé", "Lefèvre", date(1984, 3, 12)),
        ("Noah", "O'Brien", None),
        ("민지", "김", date(1990, 1, 2)),
        ("Ana_50%", "Peña", None),
    ]:
        service.create_client(db, ClientForm(given, family, date_of_birth=born))
    archived = service.create_client(db, ClientForm("Old", "Record"))
    service.set_archived(db, archived.id, True)
    directory = ClientDirectory(db.path)
    try:
        for text in ("", "chloe", "LEFEVRE chl", "o'b", "김", "50%", "_", "zzz", "record"):
            for include_archived in (False, True):
                assert directory.search(text, include_archived=include_archived) == (
                    service.search_clients(db, text, include_archived=include_archived)
                ), (text, include_archived)
        everyone = directory.search()
        assert directory.search("", limit=2) == everyone[:2]
    finally:
        directory.close()


def test_the_directory_sees_what_the_engine_saves_after_it_opened(db: Database) -> None:
    directory = ClientDirectory(db.path)
    try:
        assert directory.search() == []
        created = service.create_client(db, ClientForm("Élodie", "Côté"))
        assert [r.id for r in directory.search("elodie")] == [created.id]
    finally:
        directory.close()
