"""Acknowledgements: an employee read a review about their work (who and when)

Revision ID: 0017_review_acknowledgements
Revises: 0016_coaching
Create Date: 2026-12-06 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_review_acknowledgements"
down_revision = "0016_coaching"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "user_id", name="uq_review_ack_user"),
    )
    with op.batch_alter_table("review_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_acknowledgements_review_id"), ["review_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("review_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_acknowledgements_review_id"))
    op.drop_table("review_acknowledgements")
