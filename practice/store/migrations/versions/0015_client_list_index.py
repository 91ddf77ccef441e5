"""client list index: the list pages through one covering index in list order

The client list shows a page at a time: `ix_client_list` (name key, id, archived, search text)
is walked in list order and holds everything a search filters on, so a page of a search and its
count read the index alone, never the table. It replaces `ix_client_sort_key`, its prefix.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:05:00.000000
"""

from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX: no table rebuild, so the client table keeps what it has.
    op.create_index(
        'ix_client_list', 'client', ['sort_key', 'id', 'archived', 'search_text'], unique=False
    )
    op.drop_index('ix_client_sort_key', table_name='client')


def downgrade() -> None:
    op.create_index('ix_client_sort_key', 'client', ['sort_key'], unique=False)
    op.drop_index('ix_client_list', table_name='client')
