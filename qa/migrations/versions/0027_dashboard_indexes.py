"""Dashboard indexes: a campaign's period counts from the index alone, findings by call and label

Revision ID: 0027_dashboard_indexes
Revises: 0026_worker_heartbeats
Create Date: 2026-12-06 15:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_dashboard_indexes'
down_revision = '0026_worker_heartbeats'
branch_labels = None
depends_on = None


def upgrade():
    # (campaign_id, created_at) grows status and channel: the per-campaign lead counts of a
    # period read the index alone, in campaign order (no sort for the GROUP BY).
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(
            'ix_leads_campaign_figures',
            ['campaign_id', 'created_at', 'status', 'channel'],
            unique=False,
        )
        batch_op.drop_index('ix_leads_campaign_created')
    # (call_id) grows label: "has this call a price finding" is an index-only probe.
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index('ix_findings_call_label', ['call_id', 'label'], unique=False)
        batch_op.drop_index('ix_findings_call_id')


def downgrade():
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index('ix_findings_call_id', ['call_id'], unique=False)
        batch_op.drop_index('ix_findings_call_label')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(
            'ix_leads_campaign_created', ['campaign_id', 'created_at'], unique=False
        )
        batch_op.drop_index('ix_leads_campaign_figures')
