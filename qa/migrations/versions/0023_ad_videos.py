"""Ad videos and their audits

Revision ID: 0023_ad_videos
Revises: 0022_dispute_correction
Create Date: 2026-12-06 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023_ad_videos"
down_revision = "0022_dispute_correction"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ad_videos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("video_path", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Double(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("has_audio", sa.Boolean(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ad_videos", schema=None) as batch_op:
        batch_op.create_index("ix_ad_videos_campaign_id", ["campaign_id"], unique=False)
        batch_op.create_index("ix_ad_videos_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_ad_videos_sha256", ["sha256"], unique=False)
    op.create_table(
        "ad_video_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("has_offer", sa.Boolean(), nullable=False),
        sa.Column("has_deadline", sa.Boolean(), nullable=False),
        sa.Column("has_cta", sa.Boolean(), nullable=False),
        sa.Column("deadline_expired", sa.Boolean(), nullable=False),
        sa.Column("marking_complete", sa.Boolean(), nullable=False),
        sa.Column("screen_read", sa.Boolean(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("audited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["video_id"], ["ad_videos.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["audited_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ad_video_audits", schema=None) as batch_op:
        batch_op.create_index("ix_ad_video_audits_video_id", ["video_id"], unique=False)


def downgrade():
    op.drop_table("ad_video_audits")
    op.drop_table("ad_videos")
