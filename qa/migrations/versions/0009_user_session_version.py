"""Users' session version: bumping it ends every session and remember-me cookie of the user

Revision ID: 0009_user_session_version
Revises: 0008_job_faults
Create Date: 2026-12-06 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_user_session_version"
down_revision = "0008_job_faults"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), nullable=False, server_default='1')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
