"""Mystery shopping: locations, scenarios, waves, assignments and their history

Revision ID: 0012_mystery_shopping
Revises: 0011_objection_model_versions
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_mystery_shopping"
down_revision = "0011_objection_model_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["manager_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_manager_id"), ["manager_id"], unique=False)
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legend", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("objections", sa.JSON(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("needs_recording", sa.Boolean(), nullable=False),
        sa.Column("needs_photos", sa.Boolean(), nullable=False),
        sa.Column("needs_receipt", sa.Boolean(), nullable=False),
        sa.Column("min_narrative_chars", sa.Integer(), nullable=False),
        sa.Column("lockout_days", sa.Integer(), nullable=False),
        sa.Column("report_deadline_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["scorecard_templates.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waves_scenario_id"), ["scenario_id"], unique=False)
    op.create_table(
        "shop_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("shopper_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["shopper_id"], ["users.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shop_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shop_assignments_wave_id"), ["wave_id"])
        batch_op.create_index(batch_op.f("ix_shop_assignments_location_id"), ["location_id"])
        batch_op.create_index(batch_op.f("ix_shop_assignments_shopper_id"), ["shopper_id"])
        batch_op.create_index(batch_op.f("ix_shop_assignments_state"), ["state"])
        batch_op.create_index(
            "ix_shop_assignments_shopper_location", ["shopper_id", "location_id"]
        )
    op.create_table(
        "assignment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignment_id"], ["shop_assignments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_events_assignment_id"), ["assignment_id"]
        )
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_agents_location_id"), ["location_id"])
        batch_op.create_foreign_key(
            "fk_agents_location_id_locations", "locations", ["location_id"], ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("review_subjects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shop_assignment_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_review_subjects_shop_assignment_id"), ["shop_assignment_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_review_subjects_shop_assignment_id_shop_assignments"),
            "shop_assignments", ["shop_assignment_id"], ["id"], ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_review_subjects_mystery_shop_has_assignment_id"),
            "kind <> 'mystery_shop' OR shop_assignment_id IS NOT NULL",
        )


def downgrade():
    with op.batch_alter_table("review_subjects", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_review_subjects_mystery_shop_has_assignment_id"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_review_subjects_shop_assignment_id_shop_assignments"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("uq_review_subjects_shop_assignment_id"), type_="unique"
        )
        batch_op.drop_column("shop_assignment_id")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_constraint("fk_agents_location_id_locations", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_agents_location_id"))
        batch_op.drop_column("location_id")
    op.drop_table("assignment_events")
    op.drop_table("shop_assignments")
    op.drop_table("waves")
    op.drop_table("scenarios")
    op.drop_table("locations")
