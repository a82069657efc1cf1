"""The single row of company settings."""

from __future__ import annotations

from zoneinfo import available_timezones

import phonenumbers
from flask_babel import gettext as _

from qa.extensions import db
from qa.models import CompanySettings
from qa.services.errors import ValidationFailed


def company_settings() -> CompanySettings:
    """Return the settings row, creating it with defaults on first use."""
    settings = db.session.get(CompanySettings, 1)
    if settings is None:
        settings = CompanySettings(id=1)
        db.session.add(settings)
        db.session.flush()
    return settings


def update_company_settings(
    *, name: str, timezone: str, currency: str, phone_region: str, lead_link_window_hours: int
) -> CompanySettings:
    if timezone not in available_timezones():
        raise ValidationFailed(_("Unknown time zone: %(tz)s", tz=timezone))
    region = phone_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed(_("Unknown phone region: %(region)s", region=phone_region))
    if not 0 < lead_link_window_hours <= 24 * 30:
        raise ValidationFailed(_("The linking window must be between 1 hour and 30 days."))
    settings = company_settings()
    settings.name = name.strip()
    settings.timezone = timezone
    settings.currency = currency.upper()
    settings.phone_region = region
    settings.lead_link_window_hours = lead_link_window_hours
    db.session.flush()
    return settings
