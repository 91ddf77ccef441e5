"""Clinic mode: the practice on a real PostgreSQL server (a throwaway cluster, tests/pgcluster.py).

Tests taking `db` here run on both engines; the rest need the server and skip without it.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.errors import NewerDatabaseError
from practice.store import Database, schema
from practice.store.engines import ServerAddressError
from practice.store.practitioners import PractitionerForm, list_practitioners
from practice.store.seal.verify import verify_records
from practice.store.server import ServerError, init_server, open_server
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.rawsql import RawSQL

OWNER = PractitionerForm("Noor Haddad", "RMT", "", "")


def _signed_visit(db: Database) -> int:
    client = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    starts = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    draft = VisitDraft(VisitForm(starts_at=starts), SoapNote(complaint="Neck pain"), ())
    visit_id = visits.create_visit(db, client.id, draft).visit.id
    visits.sign_visit(db, visit_id, without_consent=True)
    return visit_id


def test_server_init_creates_the_schema_and_the_first_practitioner(
    empty_url: Any, tmp_path: Path
) -> None:
    url = empty_url()
    db = init_server(url, tmp_path, OWNER)
    try:
        assert [p.name for p in list_practitioners(db)] == ["Noor Haddad"]
        assert db.signer is not None and db.signer.name == "Noor Haddad"
        assert db.on_server
    finally:
        db.close()
    with pytest.raises(ServerError, match="already holds a Fascia practice"):
        init_server(url, tmp_path, OWNER)
    again = open_server(url, tmp_path)
    try:
        assert again.signer is not None and again.signer.name == "Noor Haddad"
    finally:
        again.close()


def test_models_and_migrations_agree_on_the_server(server_url_factory: Any, tmp_path: Path) -> None:
    """Autogenerate finds nothing to change on PostgreSQL either."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from practice import tables  # noqa: F401  (every feature's tables)
    from practice.store.base import Base
    from practice.store.schema import compared

    db = open_server(server_url_factory(), tmp_path)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": compared})
            diffs = compare_metadata(context, Base.metadata)
        assert diffs == []
    finally:
        db.close()


def test_a_database_without_a_practice_is_refused_with_the_command_that_makes_one(
    empty_url: Any, tmp_path: Path
) -> None:
    with pytest.raises(ServerError, match="fascia-cli server init"):
        open_server(empty_url(), tmp_path)


def test_a_server_on_a_newer_schema_is_refused_and_left_untouched(
    server_url_factory: Any, tmp_path: Path
) -> None:
    url = server_url_factory()
    raw = RawSQL(open_server(url, tmp_path))
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerDatabaseError, match="newer version of Fascia"):
        open_server(url, tmp_path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
    raw.close()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("mysql://host/practice", "not a server address"),
        ("postgresql://", "names no database"),
        ("postgresql://host:notaport/practice", "not a valid server address"),
    ],
)
def test_a_malformed_address_is_refused_in_one_sentence(
    address: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(ServerAddressError, match=message):
        open_server(address, tmp_path)


def test_a_server_that_is_down_is_named_as_not_answering(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://nobody@/practice?host={tmp_path}"  # no server has a socket there
    with pytest.raises(ServerError, match="not answering"):
        open_server(url, tmp_path)


def test_a_refused_login_says_so(pg_cluster: Any, server_template: str, tmp_path: Path) -> None:
    url = pg_cluster.url(server_template).replace("fascia_test@", "mallory@")
    with pytest.raises(ServerError, match="refused the login"):
        open_server(url, tmp_path)


def test_a_missing_database_is_named(pg_cluster: Any, tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="no database 'nowhere'"):
        open_server(pg_cluster.url("nowhere"), tmp_path)


def test_a_signed_visit_is_sealed_and_verifies_on_either_engine(db: Database) -> None:
    _signed_visit(db)
    result = verify_records(db)
    assert result.ok, result.problems
    assert result.seals >= 2  # the visit and its audit entries


def test_a_note_changed_behind_the_triggers_is_named_by_the_seal_check(
    server_url_factory: Any, tmp_path: Path
) -> None:
    """A server superuser can switch the triggers off; the seal still tells."""
    db = open_server(server_url_factory(), tmp_path, actor="test-therapist")
    try:
        visit_id = _signed_visit(db)
        raw = RawSQL(db)
        raw.execute("ALTER TABLE soap_note DISABLE TRIGGER USER")
        raw.execute("UPDATE soap_note SET complaint = 'forged' WHERE visit_id = ?", (visit_id,))
        raw.close()
        problems = verify_records(db).problems
        assert f"signed visit note {visit_id} was changed after it was sealed" in problems
    finally:
        db.close()


def test_writers_on_the_server_take_turns(server_url_factory: Any, tmp_path: Path) -> None:
    """A second write transaction waits for the first one's commit (the write lock), so a
    read-then-write unit of work never runs on a stale read."""
    url = server_url_factory()
    first, second = open_server(url, tmp_path), open_server(url, tmp_path)
    order: list[str] = []
    try:
        started = threading.Event()

        def hold() -> None:
            with first.transaction() as session:
                session.execute(text("SELECT 1"))
                started.set()
                time.sleep(0.5)
                order.append("first commits")

        holder = threading.Thread(target=hold)
        holder.start()
        started.wait(5)
        with second.transaction() as session:
            order.append("second writes")
            session.execute(text("SELECT 1"))
        holder.join()
        assert order == ["first commits", "second writes"]
    finally:
        first.close()
        second.close()


def test_the_head_revision_is_what_a_new_server_gets(
    server_url_factory: Any, tmp_path: Path
) -> None:
    db = open_server(server_url_factory(), tmp_path)
    try:
        with db.read() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == schema.head_revision()
    finally:
        db.close()


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE audit_entry SET summary = 'nothing happened'", "this record is final"),
        ("DELETE FROM audit_entry", "this record is final"),
        ("UPDATE seal SET chain = 'x'", "this record is final"),
        ("DELETE FROM seal", "this record is final"),
        ("UPDATE consent SET signer_name = 'Mallory'", "a consent signature cannot be changed"),
        ("DELETE FROM consent", "a consent signature cannot be changed"),
    ],
)
def test_the_audit_trail_seals_and_consents_refuse_raw_changes_on_either_engine(
    db: Database, consent: Any, statement: str, message: str
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    consent(client.id)
    raw = RawSQL(db)
    try:
        with pytest.raises(raw.IntegrityError, match=message):
            raw.execute(statement)
        raw.rollback()
    finally:
        raw.close()
    assert verify_records(db).ok


def test_a_server_connection_dropped_between_saves_is_replaced_before_the_next_save(
    server_url_factory: Any, pg_cluster: Any, tmp_path: Path
) -> None:
    """A server restart or a dropped network link between two saves costs nothing: pooled
    connections are checked before use and replaced."""
    url = server_url_factory()
    db = open_server(url, tmp_path)
    try:
        clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
        name = url.split("/")[-1].split("?")[0]
        pg_cluster.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid != pg_backend_pid()"
        )
        clients.create_client(db, ClientForm(given_name="Omar", family_name="Haddad"))
        assert len(clients.search_clients(db)) == 2
    finally:
        db.close()


def test_withdrawing_a_consent_is_the_one_change_its_guard_lets_through(
    db: Database, consent: Any
) -> None:
    client = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    consent(client.id)
    signed = clients.consents_for(db, client.id)[0]
    withdrawn = clients.withdraw_consent(db, signed.id, "Client asked by phone")
    assert withdrawn.withdrawn_at is not None
    assert verify_records(db).ok
