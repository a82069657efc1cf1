"""Dashboard indexes: per-period lead figures, repeat-buyer checks, a campaign's leads by date

Revision ID: 0004_dashboard_indexes
Revises: 0003_review_queue
Create Date: 2026-11-27 08:04:16.487151

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_dashboard_indexes'
down_revision = '0003_review_queue'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index(
            'ix_leads_period_figures',
            ['created_at', 'campaign_id', 'status', 'channel', 'customer_id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_leads_customer_status', ['customer_id', 'status', 'created_at'], unique=False
        )
        batch_op.create_index(
            'ix_leads_campaign_created', ['campaign_id', 'created_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_campaign_created')
        batch_op.drop_index('ix_leads_customer_status')
        batch_op.drop_index('ix_leads_period_figures')
