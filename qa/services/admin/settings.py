"""The single row of company settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import CompanySettings
from qa.roles import ROLES
from qa.services.admin import audit
from qa.services.errors import ValidationFailed
from qa.services.queue_messages import REDACTION, send_after_commit
from qa.services.validation import clean_text, finite_float
from qa.vocabulary import OBJECTION

DEFAULT_ZONE = "UTC"


def company_zone() -> ZoneInfo:
    """The company's time zone, read once per application context."""
    if not has_app_context():
        return ZoneInfo(DEFAULT_ZONE)
    zone: ZoneInfo | None = g.get("company_zone")
    if zone is None:
        zone = ZoneInfo(company_settings().timezone or DEFAULT_ZONE)
        g.company_zone = zone
    return zone


def forget_company_zone() -> None:
    """Drop the cached zone (after the settings change within one request)."""
    if has_app_context():
        g.pop("company_zone", None)


def company_settings() -> CompanySettings:
    """Return the settings row, creating it with defaults on first use."""
    settings = db.session.get(CompanySettings, 1)
    if settings is None:
        try:
            with db.session.begin_nested():
                settings = CompanySettings(id=1)
                db.session.add(settings)
        except IntegrityError:
            # Another request stored the row since it was read (the first requests of a new
            # instance, in parallel): theirs is the row, and this request goes on with it.
            settings = db.session.get(CompanySettings, 1)
            if settings is None:
                raise
    return settings


# The objection labels whose threshold a company may set, and the column holding each.
THRESHOLD_COLUMNS = {
    "price": "objection_threshold_price",
    "assortment": "objection_threshold_assortment",
}
THRESHOLD_MIN, THRESHOLD_MAX = 0.05, 0.99


def objection_thresholds(settings: CompanySettings | None = None) -> dict[str, float]:
    """The thresholds the company set, by label; a label left unset keeps the model's own.

    Read without creating the settings row: the analysis runs in workers too, and two of them
    must not both insert it.
    """
    settings = settings or db.session.get(CompanySettings, 1)
    if settings is None:
        return {}
    found = {label: getattr(settings, column) for label, column in THRESHOLD_COLUMNS.items()}
    return {label: float(value) for label, value in found.items() if value is not None}


def checked_thresholds(values: dict[str, object]) -> dict[str, float | None]:
    """Thresholds as typed (label -> number or None): each within 0.05..0.99, else refused."""
    checked: dict[str, float | None] = {}
    for label, value in values.items():
        if label not in THRESHOLD_COLUMNS:
            raise ValidationFailed(_("Unknown objection label: %(label)s", label=label))
        if value is None or (isinstance(value, str) and not value.strip()):
            checked[label] = None
            continue
        name = _("Threshold (%(label)s)", label=OBJECTION.label(label))
        number = finite_float(value, field=name, minimum=None, maximum=Decimal("Infinity"))
        if number is None or not THRESHOLD_MIN <= number <= THRESHOLD_MAX:
            raise ValidationFailed(
                _(
                    "%(field)s: must be between %(low)s and %(high)s.",
                    field=name,
                    low=THRESHOLD_MIN,
                    high=THRESHOLD_MAX,
                )
            )
        checked[label] = round(number, 4)
    return checked


def update_objection_thresholds(values: dict[str, object]) -> CompanySettings:
    """Store the company's objection thresholds (None: the model's own)."""
    checked = checked_thresholds(values)
    settings = company_settings()
    for label, value in checked.items():
        setattr(settings, THRESHOLD_COLUMNS[label], value)
    db.session.flush()
    return settings


def update_redaction(*, enabled: bool, keep_originals: bool, roles: Iterable[object]) -> None:
    """Store whether transcripts are redacted, whether originals are kept, and which roles may
    see them (known roles only). Switched on or changed, every stored call is redacted again in
    the background (the same as ``qa redact --calls --all``)."""
    wanted = set()
    for role in roles:
        if not isinstance(role, str) or role not in ROLES:
            raise ValidationFailed(_("Unknown role: %(role)s", role=str(role)[:40]))
        wanted.add(role)
    settings = company_settings()
    before = (settings.redact_transcripts, settings.keep_originals, settings.original_roles)
    settings.redact_transcripts = bool(enabled)
    settings.keep_originals = bool(keep_originals)
    settings.original_roles = [role for role in ROLES if role in wanted]
    db.session.flush()
    after = (settings.redact_transcripts, settings.keep_originals, settings.original_roles)
    if after != before:
        audit.record(
            "update",
            "settings",
            settings.id,
            _("Redaction of personal data"),
            redact_transcripts=settings.redact_transcripts,
            keep_originals=settings.keep_originals,
            original_roles=settings.original_roles,
        )
        if settings.redact_transcripts:
            send_after_commit(REDACTION, settings.id)


@dataclass(frozen=True)
class TargetBands:
    """Dashboard target bands in percent: below *_red is red, green from *_green (or above)."""

    mass_view_lead_red: float = 5.0
    mass_view_lead_green: float = 10.0
    targeted_view_lead_red: float = 20.0
    targeted_view_lead_green: float = 30.0
    lead_sale_red: float = 60.0
    lead_sale_green_above: float = 70.0


def target_bands(settings: CompanySettings) -> TargetBands:
    """The bands stored in ``settings``."""
    return TargetBands(**{f.name: float(getattr(settings, f.name)) for f in fields(TargetBands)})


def _validate_bands(bands: TargetBands) -> None:
    pairs = (
        (bands.mass_view_lead_red, bands.mass_view_lead_green, _("mass view → lead")),
        (bands.targeted_view_lead_red, bands.targeted_view_lead_green, _("targeted view → lead")),
        (bands.lead_sale_red, bands.lead_sale_green_above, _("lead → sale")),
    )
    for red, green, name in pairs:
        for value in (red, green):
            finite_float(value, field=name, minimum=0, maximum=100)
        if not (0 <= red <= 100 and 0 <= green <= 100):
            raise ValidationFailed(
                _("Target bands are percentages from 0 to 100 (%(name)s).", name=name)
            )
        if red > green:
            raise ValidationFailed(
                _("The red limit must not exceed the green limit (%(name)s).", name=name)
            )


def update_company_settings(
    *,
    name: str,
    timezone: str,
    currency: str,
    phone_region: str,
    lead_link_window_hours: int,
    bands: TargetBands | None = None,
    dispute_window_days: int | None = None,
) -> CompanySettings:
    """Validate and store the settings; ``bands`` or ``dispute_window_days`` None keep the
    current values."""
    name = clean_text(name, field=_("Company name"), max_length=120) or ""
    timezone = clean_text(timezone, field=_("Time zone"), max_length=64, required=True) or ""
    currency = clean_text(currency, field=_("Currency"), max_length=3, required=True) or ""
    if timezone not in available_timezones():
        raise ValidationFailed(_("Unknown time zone: %(tz)s", tz=timezone))
    region = phone_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed(_("Unknown phone region: %(region)s", region=phone_region))
    if not 0 < lead_link_window_hours <= 24 * 30:
        raise ValidationFailed(_("The linking window must be between 1 hour and 30 days."))
    if bands is not None:
        _validate_bands(bands)
    if dispute_window_days is not None and not 0 < dispute_window_days <= 90:
        raise ValidationFailed(_("The dispute window must be between 1 and 90 days."))
    settings = company_settings()
    settings.name = name
    settings.timezone = timezone
    settings.currency = currency.upper()
    settings.phone_region = region
    settings.lead_link_window_hours = lead_link_window_hours
    if dispute_window_days is not None:
        settings.dispute_window_days = dispute_window_days
    if bands is not None:
        for field in fields(TargetBands):
            setattr(settings, field.name, getattr(bands, field.name))
    db.session.flush()
    audit.record(
        "update",
        "settings",
        settings.id,
        name,
        name=name,
        timezone=timezone,
        currency=settings.currency,
        phone_region=region,
        lead_link_window_hours=lead_link_window_hours,
        dispute_window_days=settings.dispute_window_days,
        thresholds=objection_thresholds(settings),
    )
    forget_company_zone()  # the rest of this request shows times in the new zone
    return settings
