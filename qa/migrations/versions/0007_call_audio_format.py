"""calls.audio_format: the probed container a recording is served as

Revision ID: 0007_call_audio_format
Revises: 0006_normalise_call_phones
Create Date: 2026-12-06 05:35:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0007_call_audio_format"
down_revision = "0006_normalise_call_phones"
branch_labels = None
depends_on = None


def upgrade():
    # Empty for calls stored before: the recording route probes those files when served.
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audio_format', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('audio_format')
