"""server client search: a trigram index for the client list's search, list order by code point

On a PostgreSQL server the client list's search (`search_text LIKE '%word%'` for each word
typed, `practice.clients.directory`) is answered from a GIN index of the folded search text's
trigrams (`pg_trgm`, a trusted extension the database's owner may create), as SQLite answers it
from the list's covering index: a rare word no longer reads every client. The index only finds
candidates; LIKE still decides, so both engines list the same clients.

The list's order, `sort_key` then id, compares the name keys by code point on a server too
(COLLATE "C", SQLite's BINARY): a database created with a language's collation would otherwise
sort 'smith\\x1fzoe' before 'smithe\\x1fann' (it skips the separator) and the list, its pages and
positions would differ from the same practice in a file. The practice file changes nothing.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:40:00.000000
"""

from alembic import op

from practice.store.guards import dialect


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) != "postgresql":
        return
    bind.exec_driver_sql('ALTER TABLE client ALTER COLUMN sort_key TYPE VARCHAR(400) COLLATE "C"')
    bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # fastupdate off: a new client goes into the index at once, never into a pending list
    # that every search would read through until the next VACUUM (clients are added one at a
    # time; the list is searched at every key).
    bind.exec_driver_sql(
        "CREATE INDEX ix_client_search_trigrams ON client USING gin (search_text gin_trgm_ops)"
        " WITH (fastupdate = off)"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) != "postgresql":
        return
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_client_search_trigrams")
    bind.exec_driver_sql("ALTER TABLE client ALTER COLUMN sort_key TYPE VARCHAR(400)")
