"""client search trigrams: a practice file finds a rare word without reading every client

The client list's search (`search_text LIKE '%word%'` for each word typed,
`practice.clients.directory`) walked the list's covering index in list order until a page was
full. A common word fills a page at once; a rare one ("tanak" among 30,000 clients) read the
whole index, and its count too: 15 ms a key, a frame.

`client_fts` is an FTS5 index of the folded search text's trigrams (`tokenize='trigram'`),
with the client table as its content (`content='client'`): it stores the trigrams only, never a
second copy of the text. Three triggers keep it in step with every insert, change and delete.
A word of three characters or more narrows the search to the clients whose text holds it; LIKE
on the client table still decides, so the list is the same with or without the index. On a
PostgreSQL server migration 0019's GIN index does this; there this migration changes nothing.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 07:40:00.000000
"""

from alembic import op

from practice.store.guards import dialect


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE client_fts USING fts5("
    "search_text, content='client', content_rowid='id', tokenize='trigram', detail='none', columnsize=0)",
    "CREATE TRIGGER client_fts_insert AFTER INSERT ON client BEGIN"
    " INSERT INTO client_fts (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER client_fts_delete AFTER DELETE ON client BEGIN"
    " INSERT INTO client_fts (client_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER client_fts_update AFTER UPDATE OF id, search_text ON client BEGIN"
    " INSERT INTO client_fts (client_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO client_fts (rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO client_fts (client_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) != "sqlite":
        return
    for statement in STATEMENTS:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) != "sqlite":
        return
    for trigger in ("client_fts_insert", "client_fts_delete", "client_fts_update"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS client_fts")
