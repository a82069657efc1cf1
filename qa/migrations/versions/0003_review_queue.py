"""Review queue and calibration: sampling rules, assignments, calibration sessions

Revision ID: 0003_review_queue
Revises: 0002_lead_quality
Create Date: 2026-11-27 07:37:43.051629

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_review_queue'
down_revision = '0002_lead_quality'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sampling_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('flag_label', sa.String(length=60), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sampling_rules_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_sampling_rules_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['scorecard_templates.id'], name=op.f('fk_sampling_rules_template_id_scorecard_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_rules'))
    )
    op.create_table('calibration_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scorecard_version_id', sa.Integer(), nullable=False),
    sa.Column('consensus', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calibration_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scorecard_version_id'], ['scorecard_versions.id'], name=op.f('fk_calibration_sessions_scorecard_version_id_scorecard_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_sessions'))
    )
    op.create_table('calibration_calls',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_calibration_calls_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_calibration_calls_session_id_calibration_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'call_id', name=op.f('pk_calibration_calls'))
    )
    op.create_table('calibration_participants',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_calibration_participants_session_id_calibration_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calibration_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_calibration_participants'))
    )
    op.create_table('review_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_assignments_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_assignments_review_id_reviews'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_review_assignments_reviewer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['sampling_rules.id'], name=op.f('fk_review_assignments_rule_id_sampling_rules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['scorecard_templates.id'], name=op.f('fk_review_assignments_template_id_scorecard_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_assignments')),
    sa.UniqueConstraint('rule_id', 'call_id', name=op.f('uq_review_assignments_rule_id'))
    )
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_assignments_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_assignments_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_assignments_rule_id'), ['rule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_assignments_status'), ['status'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calibration_session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reviews_calibration_session_id'), ['calibration_session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reviews_calibration_session_id_calibration_sessions'), 'calibration_sessions', ['calibration_session_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_calibration_session_id_calibration_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reviews_calibration_session_id'))
        batch_op.drop_column('calibration_session_id')

    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_assignments_status'))
        batch_op.drop_index(batch_op.f('ix_review_assignments_rule_id'))
        batch_op.drop_index(batch_op.f('ix_review_assignments_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_review_assignments_call_id'))

    op.drop_table('review_assignments')
    op.drop_table('calibration_participants')
    op.drop_table('calibration_calls')
    op.drop_table('calibration_sessions')
    op.drop_table('sampling_rules')
