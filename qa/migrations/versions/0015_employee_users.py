"""Employees as users: a user linked to their agent record

Revision ID: 0015_employee_users
Revises: 0014_disputes
Create Date: 2026-12-06 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_employee_users"
down_revision = "0014_disputes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_users_agent_id", ["agent_id"])
        batch_op.create_foreign_key(
            "fk_users_agent_id_agents", "agents", ["agent_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("fk_users_agent_id_agents", type_="foreignkey")
        batch_op.drop_constraint("uq_users_agent_id", type_="unique")
        batch_op.drop_column("agent_id")
