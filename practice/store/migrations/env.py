"""Alembic environment: runs migrations against the file named in the config."""

from __future__ import annotations

from pathlib import Path

from alembic import context
from sqlalchemy import create_engine

from practice.store.base import UTCDateTime
from practice.store.connection import connect, driver_for
from practice.store.engines import make_server_engine
from practice.store.schema import compared


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write app column types as plain SQLAlchemy ones so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


config = context.config
url = config.get_main_option("sqlalchemy.url")
if config.attributes.get("fascia_server"):  # a clinic's PostgreSQL server (practice.store.server)
    engine = make_server_engine(url)
else:
    db_path = Path(config.attributes["fascia_db_path"])  # set by practice.store.schema
    # The one way to open a practice (with its key when it is encrypted).
    engine = create_engine(url, creator=lambda: connect(db_path), module=driver_for(db_path))


def target_metadata():  # type: ignore[no-untyped-def]
    """Every table, for autogenerate. Running migrations needs none of the app's models, and
    importing them all costs half a second of an upgrade at startup."""
    if config.attributes.get("fascia_migrate_only"):
        return None
    import practice.tables  # noqa: F401  (registers every table on Base.metadata)
    from practice.store.base import Base

    return Base.metadata


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        include_object=compared,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
try:
    if given is not None:  # the caller's transaction (moving a practice to a server): it commits
        run(given)
    else:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            run(connection)
            connection.commit()
finally:  # a migration refused (a login that may not upgrade) leaves no connection open
    engine.dispose()
