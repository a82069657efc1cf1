"""Redaction of personal data: company settings, redacted text and spans per line, and the
redacted copy of a recording

Revision ID: 0028_redaction
Revises: 0027_dashboard_indexes
Create Date: 2026-12-06 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0028_redaction"
down_revision = "0027_dashboard_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("redact_transcripts", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("keep_originals", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column(
                "original_roles",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'[\"admin\", \"qa_lead\"]'"),
            )
        )
    with op.batch_alter_table("transcript_segments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redacted_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("pii_spans", sa.JSON(), nullable=True))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("redacted_recording_path", sa.String(length=500), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("redacted_recording_path")
    with op.batch_alter_table("transcript_segments", schema=None) as batch_op:
        batch_op.drop_column("pii_spans")
        batch_op.drop_column("redacted_text")
    with op.batch_alter_table("company_settings", schema=None) as batch_op:
        batch_op.drop_column("original_roles")
        batch_op.drop_column("keep_originals")
        batch_op.drop_column("redact_transcripts")
