"""Disputes: the statement version that corrected an upheld pay-line dispute

Revision ID: 0022_dispute_correction
Revises: 0021_pay
Create Date: 2026-12-06 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022_dispute_correction"
down_revision = "0021_pay"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrected_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_disputes_corrected_by_id_pay_statements", "pay_statements",
            ["corrected_by_id"], ["id"], ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_disputes_corrected_by_id_pay_statements", type_="foreignkey")
        batch_op.drop_column("corrected_by_id")
