"""Retention: per-company days to keep recordings, transcripts and redacted copies; when a
call's recording and transcript were deleted; records of deletions on request

Revision ID: 0029_retention
Revises: 0028_redaction
Create Date: 2026-12-06 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0029_retention"
down_revision = "0028_redaction"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recording_retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("transcript_retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("redacted_retention_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recording_deleted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("transcript_deleted_at", sa.DateTime(), nullable=True))
    op.create_table(
        "personal_data_erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_erasures")),
    )
    with op.batch_alter_table("personal_data_erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_data_erasures_at"), ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("personal_data_erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_data_erasures_at"))
    op.drop_table("personal_data_erasures")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("transcript_deleted_at")
        batch_op.drop_column("recording_deleted_at")
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("redacted_retention_days")
        batch_op.drop_column("transcript_retention_days")
        batch_op.drop_column("recording_retention_days")
