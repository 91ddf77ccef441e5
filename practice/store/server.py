"""Clinic mode: the practice on a PostgreSQL server, through the same Database and services.

What differs from the practice file, and why:

* Writers take one transaction-scoped advisory lock (`pg_advisory_xact_lock`) as their first
  statement, where SQLite takes its write lock with BEGIN IMMEDIATE. Every service was written
  for a database with one writer at a time: numbering reads the last number and writes the
  next, a consent check reads before a visit is signed. Under READ COMMITTED each statement
  after the lock sees everything committed before it, so those read-then-write units stay
  correct unchanged, and readers are never blocked (MVCC). SERIALIZABLE would need every unit
  of work re-run on a serialization failure, which a `with db.transaction()` block cannot do
  for its caller. Clinic transactions are short, so queueing writers costs little; finer locks
  (per client, per invoice series) can replace the one lock later without touching services.
* The signed-record guards are PL/pgSQL triggers made from the same descriptions as SQLite's
  (`practice.store.guards`), and the seal queue is a temporary table each of Fascia's
  connections creates, filled by row triggers (`seal.chain.server_queue_statements`).
* Migrations run in place, in one transaction (PostgreSQL's DDL is transactional): the
  file-copy dance of `practice.store.upgrade` is SQLite's.
* There is no folder lock: many copies of Fascia share one server.
* The client list's search (the same `LIKE '%word%'` per typed word,
  `practice.clients.directory`) is answered from a trigram index of the folded search text
  (`pg_trgm`, GIN), and the name keys compare by code point (`COLLATE "C"`, SQLite's BINARY)
  whatever the database's collation: both made by migration 0019 on a server only, so a
  server lists what the same practice lists in its file.

Each Database opens its own engine, so a later per-user login (a PostgreSQL role per
practitioner, row-level security) is a matter of the URL each user opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from practice.errors import FasciaError, NewerDatabaseError, ServerGoneError
from practice.store import live, schema, staff
from practice.store.engines import ServerConnection, make_server_engine, server_url
from practice.store.seal.chain import SERVER_QUEUE

if TYPE_CHECKING:
    from practice.store.database import Database
    from practice.store.practitioners import PractitionerForm


class ServerError(FasciaError):
    """The server cannot be reached, refused the login, or holds no Fascia practice.

    `reason` says which, for a sign-in screen to answer it: "password" (the server wants a
    password and none was given), "login" (refused: wrong user or password), "unreachable"
    (down, unknown, too slow: retrying may help), "database" (no such database there),
    "no_practice" (the database holds no Fascia practice yet), "other".
    """

    def __init__(self, message: str, reason: str = "other") -> None:
        super().__init__(message)
        self.reason = reason


# SQLSTATEs of a connection that is gone: the 08 class, and the server shutting it down
# (pg_terminate_backend, a fast or crash shutdown, a server that is still starting).
_GONE_STATES = ("57P01", "57P02", "57P03")


def gone(error: BaseException, url: str, *, saving: bool = False) -> ServerGoneError | None:
    """The plain error for a driver error that means the server went away (None otherwise:
    a deadlock or a refused statement is not a lost connection), for a save or a read."""
    import psycopg  # a server practice's: loaded already
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError):  # SQLAlchemy's wrapping of the driver's error
        invalidated, driver_error = error.connection_invalidated, error.orig
    elif isinstance(error, psycopg.Error):  # the pool's own connect, unwrapped
        invalidated, driver_error = False, error
    else:
        return None
    state = getattr(driver_error, "sqlstate", None)
    lost = invalidated or (
        isinstance(driver_error, psycopg.OperationalError)
        and (state is None or state.startswith("08") or state in _GONE_STATES)
    )
    if not lost:
        return None
    outcome = "this was not saved (nothing is half-saved)" if saving else "this could not be read"
    return ServerGoneError(
        f"The server for {describe(url)} stopped answering, so {outcome}. Try again once the "
        "connection is back."
    )


def describe(url: str) -> str:
    """The server and database a URL names, without its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "localhost"
    return f"{parsed.database} on {host}"


def explain(error: Exception, url: str) -> ServerError:
    """A driver's connection error in one plain sentence."""
    detail = str(getattr(error, "orig", error)).strip().splitlines()
    first = detail[0] if detail else type(error).__name__
    where = describe(url)
    lowered = " ".join(detail).lower()
    if "no password supplied" in lowered:
        return ServerError(f"The server for {where} asks for a password.", "password")
    if "no encryption" in lowered and "pg_hba.conf" in lowered:
        return ServerError(
            f"The server for {where} accepts only encrypted connections: add ?sslmode=require "
            "to the address (postgresql://user@host/database?sslmode=require).",
            "address",
        )
    if "password authentication failed" in lowered or "no pg_hba.conf entry" in lowered:
        return ServerError(
            f"The server refused the login for {where}: check the user and password.", "login"
        )
    if "role" in lowered and "does not exist" in lowered:
        return ServerError(f"The server refused the login for {where}: {first}.", "login")
    if "database" in lowered and "does not exist" in lowered:
        return ServerError(
            f"The server has no database {where.split(' on ')[0]!r}: {first}.", "database"
        )
    if "could not translate host name" in lowered or "name or service not known" in lowered:
        return ServerError(f"No server by that name ({where}): check the address.", "unreachable")
    if "connection refused" in lowered or "no such file or directory" in lowered:
        return ServerError(
            f"The server for {where} is not answering: is PostgreSQL running there?",
            "unreachable",
        )
    if "timeout" in lowered or "timed out" in lowered:
        return ServerError(f"The server for {where} did not answer in time.", "unreachable")
    return ServerError(f"Could not use the server ({where}): {first}")


class AccessRefusedError(FasciaError):
    """The server refused the signed-in login a read or a write its role may not make."""


INSUFFICIENT_PRIVILEGE = "42501"  # also a row-level security policy's WITH CHECK failing


def refusal(error: Exception) -> AccessRefusedError | None:
    """A driver error the server's roles caused, in words; None for any other error."""
    if getattr(getattr(error, "orig", error), "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    return AccessRefusedError(
        "The server refused this to your login: its role may not read or change these records "
        "(a client whose care team you are not on, or records the front desk does not see). "
        "Nothing was changed."
    )


def local_folder(data_dir: Path, url: str) -> Path:
    """This computer's own folder for a server's practice (beside the solo practice's)."""
    import hashlib

    from sqlalchemy.engine import make_url

    address = make_url(server_url(url)).render_as_string(hide_password=True)
    return (
        data_dir.parent
        / f"{data_dir.name} servers"
        / hashlib.sha256(address.encode()).hexdigest()[:16]
    )


def _prepare_connection(dbapi_connection: Any, _record: Any) -> None:
    """Each of Fascia's connections gets its own seal queue (see seal.chain)."""
    previous = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        exists = dbapi_connection.execute("SELECT to_regclass('seal') IS NOT NULL").fetchone()[0]
        if exists:
            dbapi_connection.execute(SERVER_QUEUE)
    finally:
        dbapi_connection.autocommit = previous


def engine_for(url: str) -> Engine:
    engine = make_server_engine(url)
    event.listen(engine, "connect", _prepare_connection)
    return engine


def revision(engine: Engine) -> str | None:
    """The server database's schema revision; None when it holds no Fascia schema."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config(url: str):  # type: ignore[no-untyped-def]
    config = schema.alembic_config(Path("server"))
    config.set_main_option("sqlalchemy.url", server_url(url).replace("%", "%%"))
    config.attributes["fascia_server"] = True
    config.attributes["fascia_migrate_only"] = True
    return config


def migrate(url: str, target: str = "head") -> None:
    """Run the migrations on the server database, in one transaction."""
    from alembic import command

    command.upgrade(_alembic_config(url), target)


def _checked(url: str, engine: Engine) -> str | None:
    """The revision, after checking the server can be reached and is not newer than this app."""
    try:
        current = revision(engine)
    except (OperationalError, DBAPIError) as error:
        raise explain(error, url) from None
    head = schema.head_revision()
    if current is not None and current not in schema.known_revisions():
        raise NewerDatabaseError(
            f"The practice on {describe(url)} was saved by a newer version of Fascia "
            f"(schema {current}; this version knows up to {head}). Install the newer Fascia "
            "to use it. Nothing was changed."
        )
    return current


def open_server(url: str, local_dir: Path, *, actor: str | None = None) -> Database:
    """The practice on a server, upgraded to this version's schema when it is older.

    `local_dir` is this computer's own folder for the server (exports, caches). Raises
    ServerError (unreachable, login refused, no practice there yet) and NewerDatabaseError.
    """
    server_url(url)  # a clear error for a malformed address before any connection
    engine = engine_for(url)
    try:
        current = _checked(url, engine)
        if current is None:
            raise ServerError(
                f"There is no Fascia practice on {describe(url)} yet: create it with "
                "`fascia-cli server init URL`.",
                "no_practice",
            )
        if current != schema.head_revision():
            try:
                migrate(url)
            except (OperationalError, DBAPIError):
                raise ServerError(
                    f"The practice on {describe(url)} was saved by an older version of Fascia "
                    "and this login may not upgrade it: its administrator upgrades it by "
                    "opening it once with the login that created it. Nothing was changed.",
                    "older",
                ) from None
        return _database(url, engine, local_dir, actor)
    except BaseException:
        engine.dispose()
        raise


def init_server(url: str, local_dir: Path, owner: PractitionerForm) -> Database:
    """Create the schema on an empty server database and its first practitioner, the owner.

    Refuses a database that already holds a Fascia practice.
    """
    from practice.store.practitioners import save_practitioner

    server_url(url)
    engine = engine_for(url)
    try:
        if _checked(url, engine) is not None:
            raise ServerError(
                f"{describe(url)} already holds a Fascia practice: nothing was changed."
            )
        try:
            migrate(url)
        except (OperationalError, DBAPIError) as error:
            raise explain(error, url) from None
        engine.dispose()  # connections made before the seal table existed have no queue
        db = _database(url, engine, local_dir, None)
        save_practitioner(db, owner)
        return db
    except BaseException:
        engine.dispose()
        raise


def _database(url: str, engine: Engine, local_dir: Path, actor: str | None) -> Database:
    from practice.store.database import Database

    local_dir.mkdir(parents=True, exist_ok=True)
    db = Database(data_dir=local_dir, engine=engine, actor_override=actor or None, server_url=url)
    db.start_seals()
    db.sign_in()
    staff.sign_in_user(db)  # a clinic login signs as its own practitioner record
    return db


def reader(db: Database) -> ServerConnection:
    """A connection of the practice's own for plain-SQL reads (the client list), each
    statement seeing what was last committed (autocommit), kept out of the engine's pool."""
    return ReaderConnection(db)


def own_connection(db: Database) -> Any:
    """A new autocommit driver connection, detached from the engine's pool."""
    import psycopg

    try:
        pooled = db.engine.raw_connection()
    except (DBAPIError, psycopg.Error) as error:
        raise gone(error, db.server_url or "") or error from None
    driver = pooled.driver_connection
    pooled.detach()  # closing it closes it, whether or not the engine was disposed first
    driver.autocommit = True
    return driver


class ReaderConnection(ServerConnection):
    """A reader's own connection: each statement stands alone (autocommit), so when the server
    dropped the connection (a restart, a cut) it is opened again and the statement run again,
    once; while the server is away, ServerGoneError."""

    def __init__(self, db: Database) -> None:
        self._db = db
        super().__init__(self._connect())

    def _connect(self) -> Any:
        driver = own_connection(self._db)
        # Each search planned for its own words: the driver prepares a query run five times,
        # and the server's plan for "any pattern" reads the whole trigram index for one letter
        # (ten times slower than walking the list in order, which a one-letter search wants).
        driver.execute("SET plan_cache_mode = force_custom_plan")
        return driver

    def execute(self, sql: str, parameters: Any = None) -> Any:
        import psycopg

        if self.driver.closed:
            self.driver = self._connect()
        try:
            return super().execute(sql, parameters)
        except psycopg.OperationalError:
            if not self.driver.broken:
                raise  # a refused statement, not a lost connection
            self.driver = self._connect()
            return super().execute(sql, parameters)


def watch_changes(db: Database) -> None:
    """Count commits that wrote rows (`Database.changes_made`): the sessions that flushed."""

    def flushed(session: Session, _context: Any) -> None:
        session.info["fascia_wrote"] = True

    def committed(session: Session) -> None:
        if session.info.pop("fascia_wrote", False):
            db.counted_change()

    event.listen(db._sessions, "after_flush", flushed)
    event.listen(db._sessions, "after_commit", committed)
    live.announce_commits(db)  # and tell the other copies what changed (LISTEN/NOTIFY)
