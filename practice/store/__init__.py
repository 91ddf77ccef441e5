"""Storage: the SQLite engine, sessions, migrations, backups and the audit log."""

from practice.store.database import Database, open_database

__all__ = ["Database", "open_database"]
