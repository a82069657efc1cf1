"""Reading the audit trail: the admin page's filters, its pages and its CSV export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from qa.extensions import db
from qa.models import AuditEvent
from qa.services import exports
from qa.services.validation import clean_text, sane_date, sane_dates, whole_number
from qa.timefmt import day_start, format_moment
from qa.vocabulary import AUDIT_ACTION, AUDIT_OBJECT

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
MAX_OBJECT_ID = 2**31 - 1  # the ids the app stores are 32-bit integers


def object_id(value: object) -> int | None:
    """The object id typed in the filter; None when empty (ValidationFailed when not an id)."""
    return whole_number(value, field=_("Object ID"), minimum=1, maximum=MAX_OBJECT_ID)


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None  # part of the actor's name or e-mail
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: date | None = None  # company-time days, both included
    date_to: date | None = None


def actor_text(value: object) -> str | None:
    """The name or e-mail part typed in the filter; None when empty."""
    return clean_text(value, field=_("Who"), max_length=120) or None


def day(value: date | None) -> date | None:
    """A day typed in the filter, within the years the app accepts."""
    sane_date(value, field=_("Date"))
    return value


def _filtered(filters: AuditFilters) -> Select[Any]:
    sane_dates((filters.date_from, _("From")), (filters.date_to, _("To")))
    actor = actor_text(filters.actor)
    query = select(AuditEvent)
    if actor:
        pattern = f"%{actor.lower()}%"
        query = query.where(
            AuditEvent.actor_name.ilike(pattern) | AuditEvent.actor_email.ilike(pattern)
        )
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= day_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < day_start(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def list_events(filters: AuditFilters, page: int = 1) -> Any:
    """One page of events, newest first."""
    return db.paginate(_filtered(filters), page=page, per_page=PAGE_SIZE, error_out=False)


def _rows(filters: AuditFilters) -> Iterator[list[exports.Cell]]:
    for event in db.session.scalars(_filtered(filters).limit(EXPORT_LIMIT)):
        yield [
            format_moment(event.at),
            event.actor_id,
            event.actor_name,
            event.actor_email,
            AUDIT_ACTION.label(event.action),
            AUDIT_OBJECT.label(event.object_type),
            event.object_id,
            event.summary,
            event.ip,
        ]


def export_csv(filters: AuditFilters) -> bytes:
    """The filtered events as CSV, times in company time, every cell formula-safe."""
    header = [
        _("Time"),
        _("User ID"),
        _("Name"),
        _("E-mail"),
        _("Action"),
        _("Object"),
        _("Object ID"),
        _("Summary"),
        _("IP address"),
    ]
    return exports.csv_bytes(header, _rows(filters))
