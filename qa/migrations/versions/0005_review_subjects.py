"""Review subjects: reviews, assignments and calibration items point at a subject, not a call

Every call that a review, an assignment or a calibration session refers to gets a subject
(kind "call", the call's agent and time); those rows are repointed and their call columns
dropped; ``calibration_calls`` becomes ``calibration_items``. A reviewer may keep one regular
review per subject (one per subject and session in calibration): where a double submit stored
several, the latest stays as it is and the earlier ones are kept with status "duplicate".
The downgrade puts the call columns back from the subjects.

Revision ID: 0005_review_subjects
Revises: 0004_dashboard_indexes
Create Date: 2026-12-06 05:10:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_review_subjects"
down_revision = "0004_dashboard_indexes"
branch_labels = None
depends_on = None

NOT_DUPLICATE = "status <> 'duplicate'"
REGULAR = f"calibration_session_id IS NULL AND {NOT_DUPLICATE}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def upgrade():
    op.create_table('review_subjects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind <> 'call' OR call_id IS NOT NULL", name=op.f('ck_review_subjects_call_has_call_id')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_review_subjects_agent_id_agents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_subjects_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_subjects')),
    sa.UniqueConstraint('call_id', name=op.f('uq_review_subjects_call_id'))
    )
    with op.batch_alter_table('review_subjects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_subjects_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_subjects_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_subjects_occurred_at'), ['occurred_at'], unique=False)

    # One subject per call that anything review-related refers to, in call order.
    op.execute(
        sa.text(
            "INSERT INTO review_subjects (kind, agent_id, occurred_at, call_id, created_at) "
            "SELECT 'call', calls.agent_id, COALESCE(calls.called_at, calls.created_at), "
            "calls.id, :now FROM calls WHERE calls.id IN ("
            "SELECT call_id FROM reviews UNION SELECT call_id FROM review_assignments "
            "UNION SELECT call_id FROM calibration_calls) ORDER BY calls.id"
        ).bindparams(now=_now())
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE reviews SET subject_id = (SELECT review_subjects.id FROM review_subjects "
        "WHERE review_subjects.call_id = reviews.call_id)"
    )
    # Earlier copies from double submits: kept, but no longer the reviewer's review.
    op.execute(
        "UPDATE reviews SET status = 'duplicate' WHERE reviewer_id IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM reviews later WHERE later.subject_id = reviews.subject_id "
        "AND later.reviewer_id = reviews.reviewer_id AND later.id > reviews.id AND ("
        "(later.calibration_session_id IS NULL AND reviews.calibration_session_id IS NULL) "
        "OR later.calibration_session_id = reviews.calibration_session_id))"
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_call_id'))
        batch_op.drop_constraint(batch_op.f('fk_reviews_call_id_calls'), type_='foreignkey')
        batch_op.drop_column('call_id')
        batch_op.create_index(batch_op.f('ix_reviews_subject_id'), ['subject_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reviews_subject_id_review_subjects'), 'review_subjects', ['subject_id'], ['id'], ondelete='CASCADE')
    op.create_index(
        'uq_reviews_subject_reviewer', 'reviews', ['subject_id', 'reviewer_id'], unique=True,
        sqlite_where=sa.text(REGULAR), postgresql_where=sa.text(REGULAR),
    )
    op.create_index(
        'uq_reviews_calibration_subject_reviewer', 'reviews',
        ['calibration_session_id', 'subject_id', 'reviewer_id'], unique=True,
        sqlite_where=sa.text(NOT_DUPLICATE), postgresql_where=sa.text(NOT_DUPLICATE),
    )

    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE review_assignments SET subject_id = (SELECT review_subjects.id FROM "
        "review_subjects WHERE review_subjects.call_id = review_assignments.call_id)"
    )
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_review_assignments_rule_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_review_assignments_call_id'))
        batch_op.drop_constraint(batch_op.f('fk_review_assignments_call_id_calls'), type_='foreignkey')
        batch_op.drop_column('call_id')
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_review_assignments_subject_id'), ['subject_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_review_assignments_rule_id'), ['rule_id', 'subject_id'])
        batch_op.create_foreign_key(batch_op.f('fk_review_assignments_subject_id_review_subjects'), 'review_subjects', ['subject_id'], ['id'], ondelete='CASCADE')

    op.create_table('calibration_items',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_calibration_items_session_id_calibration_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['review_subjects.id'], name=op.f('fk_calibration_items_subject_id_review_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'subject_id', name=op.f('pk_calibration_items'))
    )
    op.execute(
        "INSERT INTO calibration_items (session_id, subject_id) "
        "SELECT calibration_calls.session_id, review_subjects.id FROM calibration_calls "
        "JOIN review_subjects ON review_subjects.call_id = calibration_calls.call_id"
    )
    op.drop_table('calibration_calls')


def downgrade():
    op.create_table('calibration_calls',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_calibration_calls_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_calibration_calls_session_id_calibration_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'call_id', name=op.f('pk_calibration_calls'))
    )
    op.execute(
        "INSERT INTO calibration_calls (session_id, call_id) "
        "SELECT calibration_items.session_id, review_subjects.call_id FROM calibration_items "
        "JOIN review_subjects ON review_subjects.id = calibration_items.subject_id "
        "WHERE review_subjects.call_id IS NOT NULL"
    )
    op.drop_table('calibration_items')

    # Rows about subjects of later kinds have no call to go back to.
    op.execute(
        "DELETE FROM review_assignments WHERE subject_id IN "
        "(SELECT id FROM review_subjects WHERE call_id IS NULL)"
    )
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE review_assignments SET call_id = (SELECT review_subjects.call_id FROM "
        "review_subjects WHERE review_subjects.id = review_assignments.subject_id)"
    )
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_assignments_subject_id_review_subjects'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_review_assignments_rule_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_review_assignments_subject_id'))
        batch_op.drop_column('subject_id')
        batch_op.alter_column('call_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_review_assignments_call_id'), ['call_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_review_assignments_rule_id'), ['rule_id', 'call_id'])
        batch_op.create_foreign_key(batch_op.f('fk_review_assignments_call_id_calls'), 'calls', ['call_id'], ['id'], ondelete='CASCADE')

    op.drop_index('uq_reviews_calibration_subject_reviewer', table_name='reviews')
    op.drop_index('uq_reviews_subject_reviewer', table_name='reviews')
    op.execute("UPDATE reviews SET status = 'submitted' WHERE status = 'duplicate'")
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE reviews SET call_id = (SELECT review_subjects.call_id FROM review_subjects "
        "WHERE review_subjects.id = reviews.subject_id)"
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_subject_id_review_subjects'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reviews_subject_id'))
        batch_op.drop_column('subject_id')
        batch_op.create_index(batch_op.f('ix_reviews_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reviews_call_id_calls'), 'calls', ['call_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('review_subjects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_subjects_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_review_subjects_kind'))
        batch_op.drop_index(batch_op.f('ix_review_subjects_agent_id'))

    op.drop_table('review_subjects')
