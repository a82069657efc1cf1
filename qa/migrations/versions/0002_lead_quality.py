"""Lead quality: target bands in company settings, UTM tags on leads, how a call was linked

Revision ID: 0002_lead_quality
Revises: 0001
Create Date: 2026-11-27 07:35:24.237160

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_lead_quality'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_link', sa.String(length=10), nullable=True))

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mass_view_lead_red', sa.Double(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('mass_view_lead_green', sa.Double(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('targeted_view_lead_red', sa.Double(), nullable=False, server_default='20'))
        batch_op.add_column(sa.Column('targeted_view_lead_green', sa.Double(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('lead_sale_red', sa.Double(), nullable=False, server_default='60'))
        batch_op.add_column(sa.Column('lead_sale_green_above', sa.Double(), nullable=False, server_default='70'))

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('utm_source', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('utm_medium', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('utm_campaign', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False, server_default=sa.func.now()))



def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('utm_campaign')
        batch_op.drop_column('utm_medium')
        batch_op.drop_column('utm_source')

    with op.batch_alter_table('company_settings', schema=None) as batch_op:
        batch_op.drop_column('lead_sale_green_above')
        batch_op.drop_column('lead_sale_red')
        batch_op.drop_column('targeted_view_lead_green')
        batch_op.drop_column('targeted_view_lead_red')
        batch_op.drop_column('mass_view_lead_green')
        batch_op.drop_column('mass_view_lead_red')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('lead_link')

