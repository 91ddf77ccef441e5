"""Storage: the SQLite engine, sessions, migrations, backups and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from practice.store.database import Database, open_database

__all__ = ["Database", "open_database"]


def __getattr__(name: str) -> Any:
    # Loaded on first use so that startup can claim the folder before SQLAlchemy is imported.
    if name in __all__:
        from practice.store import database

        return getattr(database, name)
    raise AttributeError(name)
