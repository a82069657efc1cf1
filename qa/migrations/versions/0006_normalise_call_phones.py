"""Phones on calls (and leads) in E.164, as every door now stores them

Calls uploaded in the browser kept the phone as typed ("+7 916 111-00-01"), so they never
matched a lead's normalised phone. Numbers are read in the company's phone region; a value that
is not a valid number is left as it is (nothing typed is lost).

Revision ID: 0006_normalise_call_phones
Revises: 0005_review_subjects
Create Date: 2026-12-06 05:30:00

"""
import phonenumbers
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0006_normalise_call_phones"
down_revision = "0005_review_subjects"
branch_labels = None
depends_on = None

DEFAULT_REGION = 'RU'  # the company_settings default when the row was never saved


def _e164(raw, region):
    """The number in E.164, or None when ``raw`` is not a valid number in ``region``."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalise(conn, table_name, region):
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('phone', sa.String))
    rows = conn.execute(sa.select(table.c.id, table.c.phone).where(table.c.phone.is_not(None)))
    for row_id, phone in rows.all():
        normalised = _e164(phone, region)
        if normalised is not None and normalised != phone:
            conn.execute(table.update().where(table.c.id == row_id).values(phone=normalised))


def upgrade():
    conn = op.get_bind()
    region = conn.execute(
        sa.text('SELECT phone_region FROM company_settings ORDER BY id LIMIT 1')
    ).scalar() or DEFAULT_REGION
    _normalise(conn, 'calls', region)
    _normalise(conn, 'leads', region)


def downgrade():
    # The typed spellings are not kept; E.164 is a valid value for the older code too.
    pass
