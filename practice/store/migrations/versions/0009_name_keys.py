"""name keys: names compared by a stored casefolded key, so Unicode duplicates are found

SQLite's lower() folds ASCII only, so 'Étirements' and 'ÉTIREMENTS' passed the old duplicate
checks. Each table with a unique name gets `name_key` (practice.text.name_key) under a unique
index, filled in from the existing rows. Of names that already collide, the oldest row keeps
the key and the others get none until they are renamed (the service then asks for a name of
their own).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:56:42.303754
"""

import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# table -> length of its key column
TABLES = {
    'measure_definition': 400,
    'service': 400,
    'tax_rate': 200,
    'technique': 400,
    'visit_template': 400,
}


def name_key(name: str) -> str:
    """practice.text.name_key as of this revision, for names saved before it.

    Migrations never import the app. Saved names were already stripped and NFC-normalised; a
    name still holding an invisible character gets a key with it, which its next save
    replaces with the current key.
    """
    folded = unicodedata.normalize('NFKC', ' '.join((name or '').split())).casefold()
    return ' '.join(unicodedata.normalize('NFKC', folded).split())


def upgrade() -> None:
    for table, length in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=length), nullable=True))
        _fill_keys(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_name_key'), ['name_key'], unique=True)


def _fill_keys(table: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f'SELECT id, name FROM {table} ORDER BY id')).all()
    taken: set[str] = set()
    for row_id, name in rows:
        key = name_key(name)
        if key in taken:
            continue  # a duplicate: no key until it is renamed
        taken.add(key)
        bind.execute(
            sa.text(f'UPDATE {table} SET name_key = :key WHERE id = :id'), {'key': key, 'id': row_id}
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_name_key'))
            batch_op.drop_column('name_key')
