"""Each run's size in bytes (filled in for runs saved before), and indexes for listing and per-owner counts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("size_bytes", sa.Integer(), nullable=False, server_default="0"))
    runs = sa.table("runs", sa.column("state", sa.LargeBinary()), sa.column("size_bytes", sa.Integer()))
    op.execute(runs.update().values(size_bytes=sa.func.length(runs.c.state)))
    op.create_index("ix_runs_created_at", "runs", ["created_at"])
    op.create_index("ix_runs_owner_hash", "runs", ["owner_hash"])


def downgrade() -> None:
    op.drop_index("ix_runs_owner_hash", "runs")
    op.drop_index("ix_runs_created_at", "runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("size_bytes")
