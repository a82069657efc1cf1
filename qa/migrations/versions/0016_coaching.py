"""Coaching: examples from calls, their tags, and examples assigned to employees

Revision ID: 0016_coaching
Revises: 0015_employee_users
Create Date: 2026-12-06 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_coaching"
down_revision = "0015_employee_users"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coaching_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("start_s", sa.Double(), nullable=True),
        sa.Column("end_s", sa.Double(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["transcript_segments.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coaching_examples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_examples_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coaching_examples_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_coaching_examples_lang"), ["lang"], unique=False)
    op.create_table(
        "coaching_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("example_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["example_id"], ["coaching_examples.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("example_id", "kind", "value", name="uq_coaching_tags_example_value"),
    )
    with op.batch_alter_table("coaching_tags", schema=None) as batch_op:
        batch_op.create_index("ix_coaching_tags_kind_value", ["kind", "value"], unique=False)
    op.create_table(
        "coaching_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("example_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["example_id"], ["coaching_examples.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "example_id", "assignee_id", name="uq_coaching_assignments_example_user"
        ),
    )
    with op.batch_alter_table("coaching_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_assignments_assignee_id"), ["assignee_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("coaching_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_assignments_assignee_id"))
    op.drop_table("coaching_assignments")
    with op.batch_alter_table("coaching_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_coaching_tags_kind_value")
    op.drop_table("coaching_tags")
    with op.batch_alter_table("coaching_examples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_examples_lang"))
        batch_op.drop_index(batch_op.f("ix_coaching_examples_kind"))
        batch_op.drop_index(batch_op.f("ix_coaching_examples_call_id"))
    op.drop_table("coaching_examples")
