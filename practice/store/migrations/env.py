"""Alembic environment: runs migrations against the file named in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import practice.tables  # noqa: F401  (registers every table on Base.metadata)
from practice.store.base import Base, UTCDateTime


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write app column types as plain SQLAlchemy ones so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


config = context.config
url = config.get_main_option("sqlalchemy.url")
engine = create_engine(url)

with engine.connect() as connection:
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
engine.dispose()
