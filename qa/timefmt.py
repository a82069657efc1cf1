"""One rule for time: stored as naive UTC, shown and typed in the company's time zone.

The database keeps every moment as a naive datetime in UTC (``qa.models._base.utcnow``).
Everything a person reads (pages, exports, the API) goes through the formatters here, which
convert to the zone on the *Company settings* page; everything a person types without a zone
(forms, filters, imported files) goes through :func:`stored_from_local`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from flask import has_app_context
from flask_babel import get_locale

# The zone itself is a company setting, cached per request by the settings service.
from qa.services.admin.settings import company_zone, forget_company_zone

__all__ = ["company_zone", "forget_company_zone"]


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (naive values are UTC by the storage rule)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored moment as an aware datetime in the company's zone (or ``zone``)."""
    return as_utc(moment).astimezone(zone or company_zone())


def stored_from_local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """What to store for a typed time: naive means company-local; the result is naive UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or company_zone())
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def day_start(day: date, zone: tzinfo | None = None) -> datetime:
    """The stored (naive UTC) moment at which ``day`` begins in the company's zone."""
    return stored_from_local(datetime.combine(day, time.min), zone)


def day_bounds(first: date, last: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """Stored moments [start of ``first``, start of the day after ``last``) in local days."""
    return day_start(first, zone), day_start(last + timedelta(days=1), zone)


def local_today(zone: tzinfo | None = None) -> date:
    """Today's date in the company's zone."""
    return datetime.now(zone or company_zone()).date()


def _locale(locale: str | None) -> Locale:
    """The reader's locale as an object: babel parses a locale's name again on every call."""
    if locale:
        return Locale.parse(locale)
    if has_app_context():
        return get_locale() or Locale("en")
    return Locale("en")


def format_moment(
    moment: datetime | None, *, zone: tzinfo | None = None, locale: str | None = None
) -> str:
    """Date and time to the minute, in the reader's language: "6 дек. 2026 г., 19:00"."""
    if moment is None:
        return "–"
    local = to_local(moment, zone)
    lang = _locale(locale)
    # The locale's own way of joining a medium date and a short time (no seconds).
    return str(get_datetime_format("medium", locale=lang)).format(
        format_time(local, "short", locale=lang), format_date(local, "medium", locale=lang)
    )


def format_day(
    value: date | datetime | None, *, zone: tzinfo | None = None, locale: str | None = None
) -> str:
    """A calendar day in the reader's language; a stored moment is first made local."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_local(value, zone).date()
    return format_date(value, "medium", locale=_locale(locale))


def format_clock(
    moment: datetime | None, *, zone: tzinfo | None = None, locale: str | None = None
) -> str:
    """Only the local time of day (to the minute)."""
    if moment is None:
        return "–"
    return format_time(to_local(moment, zone), "short", locale=_locale(locale))


def seconds_clock(seconds: float) -> str:
    """A position in a recording, in seconds, as m:ss or h:mm:ss."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_local(moment: datetime | None, zone: tzinfo | None = None) -> str | None:
    """ISO 8601 in the company's zone with its offset, to the second: for the API."""
    if moment is None:
        return None
    return to_local(moment, zone).replace(microsecond=0).isoformat()


def table_cell(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """Local "YYYY-MM-DD HH:MM" for CSV and XLSX cells: sortable, the same in every language."""
    if moment is None:
        return ""
    return to_local(moment, zone).strftime("%Y-%m-%d %H:%M")
