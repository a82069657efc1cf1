"""Scorecard defaults per call language and agent team, scorecard languages, review drafts

Revision ID: 0019_scorecard_defaults
Revises: 0018_comments
Create Date: 2026-12-06 12:00:00.000000

Existing scorecards get no language (usable on any call). An install with one active scorecard
keeps reviewing every call with it: it becomes the default for every language. With several, no
default is guessed: reviewers choose the scorecard of a call until a scorecard admin sets them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019_scorecard_defaults"
down_revision = "0018_comments"
branch_labels = None
depends_on = None

# The languages calls are in (the app's LANGUAGES setting when this migration was written).
LANGUAGES = ("ru", "en")


def upgrade():
    with op.batch_alter_table("scorecard_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    op.create_table(
        "scorecard_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"], ["scorecard_templates.id"],
            name="fk_scorecard_defaults_template_id_scorecard_templates", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scorecard_defaults"),
        sa.UniqueConstraint("kind", "value", name="uq_scorecard_defaults_kind_value"),
    )
    with op.batch_alter_table("scorecard_defaults", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scorecard_defaults_template_id", ["template_id"], unique=False
        )
    op.create_table(
        "review_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_version_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["review_subjects.id"],
            name="fk_review_drafts_subject_id_review_subjects", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_review_drafts_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_version_id"], ["scorecard_versions.id"],
            name="fk_review_drafts_scorecard_version_id_scorecard_versions", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name="fk_review_drafts_review_id_reviews",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_review_drafts"),
        sa.UniqueConstraint("subject_id", "user_id", name="uq_review_drafts_subject_user"),
    )
    with op.batch_alter_table("review_drafts", schema=None) as batch_op:
        batch_op.create_index("ix_review_drafts_subject_id", ["subject_id"], unique=False)
        batch_op.create_index("ix_review_drafts_user_id", ["user_id"], unique=False)
    _keep_the_only_scorecard()


def _keep_the_only_scorecard():
    conn = op.get_bind()
    active = conn.execute(
        sa.text("SELECT id FROM scorecard_templates WHERE active = :yes"), {"yes": True}
    ).scalars().all()
    if len(active) != 1:
        return
    for language in LANGUAGES:
        conn.execute(
            sa.text(
                "INSERT INTO scorecard_defaults (template_id, kind, value) "
                "VALUES (:template, 'language', :language)"
            ),
            {"template": active[0], "language": language},
        )


def downgrade():
    with op.batch_alter_table("review_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_review_drafts_user_id")
        batch_op.drop_index("ix_review_drafts_subject_id")
    op.drop_table("review_drafts")
    with op.batch_alter_table("scorecard_defaults", schema=None) as batch_op:
        batch_op.drop_index("ix_scorecard_defaults_template_id")
    op.drop_table("scorecard_defaults")
    with op.batch_alter_table("scorecard_templates", schema=None) as batch_op:
        batch_op.drop_column("language")
