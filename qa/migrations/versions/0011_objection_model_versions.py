"""Retrained objection models: versions, their files and which one is active

Revision ID: 0011_objection_model_versions
Revises: 0010_objection_corrections
Create Date: 2026-12-06 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_objection_model_versions"
down_revision = "0010_objection_corrections"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "objection_model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("corrections", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("folder"),
    )
    with op.batch_alter_table("objection_model_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_model_versions_status"), ["status"], unique=False
        )
    op.create_table(
        "objection_model_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["objection_model_versions.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "lang"),
    )
    with op.batch_alter_table("objection_model_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_model_files_version_id"), ["version_id"], unique=False
        )


def downgrade():
    op.drop_table("objection_model_files")
    op.drop_table("objection_model_versions")
