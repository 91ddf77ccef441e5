"""care team policies: on a server, a practitioner changes only the care team of a client whose
clinical records they see, and the front desk only reads the teams

No table changes: the grants and row-level security policies of `practice.store.grants` are
applied again (a practice file keeps no policies).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:55:00
"""

from alembic import op

from practice.store import grants
from practice.store.guards import dialect


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) == "postgresql":
        grants.apply(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if dialect(bind) == "postgresql":
        for name in grants.CARE_TEAM_POLICIES:
            bind.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {grants.CARE_TEAM}")
        bind.exec_driver_sql(f"ALTER TABLE {grants.CARE_TEAM} DISABLE ROW LEVEL SECURITY")
        desk = grants.GROUPS["front_desk"]
        bind.exec_driver_sql(f"GRANT ALL ON {grants.CARE_TEAM} TO {desk}")

