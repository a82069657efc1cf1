"""Ad video audits run on the job queue: the video row carries the audit's state

Revision ID: 0030_ad_video_jobs
Revises: 0029_retention
Create Date: 2026-12-06 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0030_ad_video_jobs"
down_revision = "0029_retention"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ad_videos", schema=None) as batch_op:
        # Every video stored before the queue was audited at upload: "done".
        batch_op.add_column(
            sa.Column("audit_status", sa.String(length=16), nullable=False, server_default="done")
        )
        batch_op.add_column(sa.Column("audit_error", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("audit_requested_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("audit_queued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("audit_started_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_ad_videos_audit_requested_by_id_users",
            "users",
            ["audit_requested_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_ad_videos_audit_status", ["audit_status"], unique=False)


def downgrade():
    with op.batch_alter_table("ad_videos", schema=None) as batch_op:
        batch_op.drop_index("ix_ad_videos_audit_status")
        batch_op.drop_constraint("fk_ad_videos_audit_requested_by_id_users", type_="foreignkey")
        batch_op.drop_column("audit_started_at")
        batch_op.drop_column("audit_queued_at")
        batch_op.drop_column("audit_requested_by_id")
        batch_op.drop_column("audit_error")
        batch_op.drop_column("audit_status")
