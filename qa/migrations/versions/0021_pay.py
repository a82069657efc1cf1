"""Pay tied to results: owners, sellers and setters, appointments, KPI plans, statements

Revision ID: 0021_pay
Revises: 0020_segment_structure
Create Date: 2026-12-06 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_pay"
down_revision = "0020_segment_structure"
branch_labels = None
depends_on = None

OPEN = "status = 'open'"


def upgrade():
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay_role", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_agents_pay_role"), ["pay_role"], unique=False)
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_campaigns_owner_id"), ["owner_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_campaigns_owner_id_agents", "agents", ["owner_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seller_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("setter_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_leads_seller_id"), ["seller_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_setter_id"), ["setter_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_leads_seller_id_agents", "agents", ["seller_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_leads_setter_id_agents", "agents", ["setter_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(
            "ix_leads_pay_period",
            ["created_at", "campaign_id", "status", "sale_amount", "seller_id", "setter_id"],
            unique=False,
        )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("setter_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["setter_id"], ["agents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointments_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_appointments_scheduled_at"), ["scheduled_at"], unique=False
        )
        batch_op.create_index(
            "ix_appointments_setter_period", ["setter_id", "scheduled_at"], unique=False
        )
    op.create_table(
        "pay_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("role", "valid_from", name="uq_pay_plans_role_from"),
    )
    with op.batch_alter_table("pay_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_plans_role"), ["role"], unique=False)
    op.create_table(
        "pay_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("fixed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("variable", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["plan_id"], ["pay_plans.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent_id", "period", "version", name="uq_pay_statements_version"),
    )
    with op.batch_alter_table("pay_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_statements_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_statements_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_statements_state"), ["state"], unique=False)
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.alter_column("review_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("statement_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_disputes_statement_id"), ["statement_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_disputes_statement_id_pay_statements", "pay_statements", ["statement_id"],
            ["id"], ondelete="CASCADE",
        )
    op.create_index(
        "uq_disputes_open_statement_line", "disputes", ["statement_id", "item_key"], unique=True,
        sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index("uq_disputes_open_statement_line", table_name="disputes")
    op.execute("DELETE FROM disputes WHERE review_id IS NULL")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_disputes_statement_id_pay_statements", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_disputes_statement_id"))
        batch_op.drop_column("statement_id")
        batch_op.alter_column("review_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("pay_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_statements_state"))
        batch_op.drop_index(batch_op.f("ix_pay_statements_period"))
        batch_op.drop_index(batch_op.f("ix_pay_statements_agent_id"))
    op.drop_table("pay_statements")
    with op.batch_alter_table("pay_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_plans_role"))
    op.drop_table("pay_plans")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_setter_period")
        batch_op.drop_index(batch_op.f("ix_appointments_scheduled_at"))
        batch_op.drop_index(batch_op.f("ix_appointments_lead_id"))
    op.drop_table("appointments")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_pay_period")
        batch_op.drop_constraint("fk_leads_setter_id_agents", type_="foreignkey")
        batch_op.drop_constraint("fk_leads_seller_id_agents", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_leads_setter_id"))
        batch_op.drop_index(batch_op.f("ix_leads_seller_id"))
        batch_op.drop_column("setter_id")
        batch_op.drop_column("seller_id")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint("fk_campaigns_owner_id_agents", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_campaigns_owner_id"))
        batch_op.drop_column("owner_id")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agents_pay_role"))
        batch_op.drop_column("pay_role")
