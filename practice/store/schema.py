"""Schema versions: a quick check on every start, Alembic only when an upgrade is due."""

from __future__ import annotations

from pathlib import Path

from practice.errors import DamagedDatabaseError, NewerDatabaseError
from practice.store.health import NotAPractice, read_revision

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Made on a server by the migrations alone, with no model (the client search's trigram index,
# migration 0019): comparing the models with a server's tables leaves them out.
SERVER_ONLY_INDEXES = frozenset({"ix_client_search_trigrams"})
# Made in a practice file by the migrations alone (the client search's trigram index, migration
# 0020): an FTS5 table and the tables it keeps its index in, derived from the client table.
SEARCH_INDEX = "client_fts"


def is_search_index(table: str) -> bool:
    """Whether a table of a practice file is the client search index or one of its own tables."""
    return table == SEARCH_INDEX or table.startswith(SEARCH_INDEX + "_")


def compared(_object: object, name: str | None, type_: str, reflected: bool, _to: object) -> bool:
    """Alembic's `include_object` for comparing the models with a database (autogenerate)."""
    if type_ == "table" and reflected and name is not None and is_search_index(name):
        return False
    return not (type_ == "index" and reflected and name in SERVER_ONLY_INDEXES)


def known_revisions() -> list[str]:
    """Revision ids in order. Migration files are named NNNN_slug.py with revision = "NNNN"."""
    return sorted(
        p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")
    )


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(db_path: Path) -> str | None:
    """The file's schema revision, None when there is no file yet.

    Raises DamagedDatabaseError (naming the newest verified backup) when the file is there but
    is not a usable Fascia practice: an empty file is never taken for a new practice.
    """
    try:
        return read_revision(db_path)
    except NotAPractice as problem:
        from practice.store.backups.listing import newest_verified

        newest = newest_verified(db_path.parent)
        raise DamagedDatabaseError(
            db_path, problem.reason, newest.path if newest else None
        ) from None


def work_due(db_path: Path) -> bool:
    """Whether `prepare` has to create or upgrade the file (and so will take a moment)."""
    return current_revision(db_path) != head_revision()


def prepare(db_path: Path) -> Path | None:
    """Bring the database to the current schema. Returns the backup made first, if any.

    A new practice is created, and an old one upgraded, on a copy that replaces the file in one
    atomic rename once it is verified (see `practice.store.upgrade`): a kill at any moment
    leaves the old practice or the new one.
    """
    current = current_revision(db_path)
    head = head_revision()
    if current == head:
        return None  # the fast path: Alembic is not even imported
    if current is not None and current not in known_revisions():
        raise NewerDatabaseError(
            f"This practice file ({db_path}) was saved by a newer version of Fascia "
            f"(schema {current}; this version knows up to {head}). Install the newer Fascia "
            "to open it. The file has not been changed."
        )
    from practice.store import upgrade as upgrading

    if current is None:
        upgrading.create_practice(db_path)
        return None
    return upgrading.upgrade_practice(db_path)


def upgrade(db_path: Path, revision: str = "head") -> None:
    """Run the migrations on `db_path` in place (on a copy: see `prepare`)."""
    from alembic import command

    config = alembic_config(db_path)
    config.attributes["fascia_migrate_only"] = True
    command.upgrade(config, revision)


def alembic_config(db_path: Path):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    config.attributes["fascia_db_path"] = db_path
    return config
