"""Objection corrections and ad audit marks (training data), per-company objection thresholds,
and the model version on every finding

Revision ID: 0010_objection_corrections
Revises: 0009_user_session_version
Create Date: 2026-12-06 08:03:58.148116

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_objection_corrections'
down_revision = '0009_user_session_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ad_audit_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['ad_audits.id'], name=op.f('fk_ad_audit_marks_audit_id_ad_audits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ad_audit_marks_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_audit_marks'))
    )
    with op.batch_alter_table('ad_audit_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_audit_marks_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_audit_marks_created_at'), ['created_at'], unique=False)

    op.create_table('objection_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('segment_text', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_objection_corrections_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_objection_corrections_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_objection_corrections_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_objection_corrections_finding_id_findings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['segment_id'], ['transcript_segments.id'], name=op.f('fk_objection_corrections_segment_id_transcript_segments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection_corrections'))
    )
    with op.batch_alter_table('objection_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objection_corrections_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objection_corrections_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index('ix_objection_corrections_segment_status', ['segment_id', 'status'], unique=False)
        batch_op.create_index('ix_objection_corrections_status_created', ['status', 'created_at'], unique=False)

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objection_threshold_price', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('objection_threshold_assortment', sa.Double(), nullable=True))

    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model_version', sa.String(length=40), nullable=True))



def downgrade():
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_column('model_version')

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.drop_column('objection_threshold_assortment')
        batch_op.drop_column('objection_threshold_price')

    with op.batch_alter_table('objection_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_objection_corrections_status_created')
        batch_op.drop_index('ix_objection_corrections_segment_status')
        batch_op.drop_index(batch_op.f('ix_objection_corrections_finding_id'))
        batch_op.drop_index(batch_op.f('ix_objection_corrections_call_id'))

    op.drop_table('objection_corrections')
    with op.batch_alter_table('ad_audit_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_audit_marks_created_at'))
        batch_op.drop_index(batch_op.f('ix_ad_audit_marks_audit_id'))

    op.drop_table('ad_audit_marks')
