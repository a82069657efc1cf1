"""Split and merged transcript lines in the segment history

Revision ID: 0020_segment_structure
Revises: 0019_scorecard_defaults
Create Date: 2026-12-06 11:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020_segment_structure"
down_revision = "0019_scorecard_defaults"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("segment_edits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("segment_edits", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.drop_column("action")
