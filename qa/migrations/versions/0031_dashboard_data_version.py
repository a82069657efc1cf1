"""Data versions: a counter per group of tables, raised by every committed write to them

Revision ID: 0031_dashboard_data_version
Revises: 0030_ad_video_jobs
Create Date: 2026-12-06 18:30:00.000000

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0031_dashboard_data_version"
down_revision = "0030_ad_video_jobs"
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    # The dashboard's group starts with a token of its own: nothing cached before can match it.
    op.bulk_insert(versions, [{"name": "lead_figures", "token": secrets.token_hex(16), "version": 0}])


def downgrade():
    op.drop_table("data_versions")
