"""Transcription jobs: lost leases counted apart from failed attempts; when the queue was told

Revision ID: 0008_job_faults
Revises: 0007_call_audio_format
Create Date: 2026-12-06 05:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_job_faults"
down_revision = "0007_call_audio_format"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lost_leases', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('lost_leases')
