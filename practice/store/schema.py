"""Schema versions: a quick check on every start, Alembic only when an upgrade is due."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from practice.errors import NewerDatabaseError
from practice.store.backup import backup_file

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def known_revisions() -> list[str]:
    """Revision ids in order. Migration files are named NNNN_slug.py with revision = "NNNN"."""
    return sorted(
        p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")
    )


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(db_path: Path) -> str | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    finally:
        conn.close()


def prepare(db_path: Path) -> Path | None:
    """Bring the database to the current schema. Returns the backup made first, if any."""
    current = current_revision(db_path)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise NewerDatabaseError(
            f"This practice file ({db_path}) was saved by a newer version of Fascia "
            f"(schema {current}; this version knows up to {head}). Install the newer Fascia "
            "to open it. The file has not been changed."
        )
    backup = backup_file(db_path, reason=f"before-upgrade-to-{head}") if current else None
    upgrade(db_path)
    return backup


def upgrade(db_path: Path, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(db_path), revision)


def alembic_config(db_path: Path):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return config
