"""Appointments (meetings, measurements, first contacts) from a CRM export or the API.

The same steps as leads: a preview that checks every row, line errors, and an import that
creates new appointments and updates known ones by external id, each row in its own savepoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Agent, Appointment, Lead
from qa.services.admin.settings import company_settings
from qa.services.errors import ValidationFailed
from qa.services.marketing.leads import parse_datetime
from qa.services.pay.people import agent_named
from qa.services.row_import import RowsPreview, find_columns, store_rows, unchanged
from qa.services.tabular import Table
from qa.services.validation import clean_text, shown
from qa.vocabulary import APPOINTMENT_KIND

ALIASES = {
    "external_id": ("external_id", "id", "appointment_id", "crm_id"),
    "scheduled_at": ("scheduled_at", "date", "datetime", "when"),
    "kind": ("kind", "type"),
    "held": ("held", "happened", "status"),
    "setter": ("setter", "setter_email", "employee"),
    "lead": ("lead", "lead_id", "lead_external_id"),
}
TEXT_LIMITS = {
    "external_id": 120,
    "scheduled_at": 40,
    "kind": 40,
    "held": 20,
    "setter": 254,
    "lead": 120,
}
YES = {"1", "yes", "true", "held", "да", "состоялась", "состоялся", "y"}
NO = {"", "0", "no", "false", "not held", "нет", "не состоялась", "не состоялся", "n"}


@dataclass(frozen=True)
class AppointmentValues:
    external_id: str
    scheduled_at: datetime
    kind: str
    held: bool
    setter: Agent | None
    lead: Lead | None


AppointmentPreview = RowsPreview[AppointmentValues]


@dataclass
class AppointmentImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def list_appointments(page: int, per_page: int) -> Pagination:
    query = (
        select(Appointment)
        .options(selectinload(Appointment.setter), selectinload(Appointment.lead))
        .order_by(Appointment.scheduled_at.desc(), Appointment.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def check_values(
    values: dict[str, Any], columns: dict[str, str] | None = None
) -> AppointmentValues:
    """One appointment's values (from a file row or the API), checked."""
    columns = columns or {}
    text = {
        key: clean_text(values.get(key), field=columns.get(key, key), max_length=limit)
        for key, limit in TEXT_LIMITS.items()
    }
    external_id = text["external_id"]
    if not external_id:
        raise ValidationFailed(_("The external id is empty."))
    when = parse_datetime(
        text["scheduled_at"] or "",
        company_settings().timezone,
        columns.get("scheduled_at", "scheduled_at"),
    )
    kind = APPOINTMENT_KIND.value_for(text["kind"] or "meeting")
    if kind is None:
        raise ValidationFailed(
            _(
                "Unknown kind: %(value)s (use %(values)s).",
                value=shown(text["kind"]),
                values=", ".join(APPOINTMENT_KIND.values),
            )
        )
    held_text = (text["held"] or "").casefold()
    if held_text not in YES | NO:
        raise ValidationFailed(
            _("Held: expected yes or no, not %(value)s.", value=shown(text["held"]))
        )
    setter = agent_named(text["setter"], field=columns.get("setter", "setter"))
    lead = None
    if text["lead"]:
        lead = db.session.scalar(select(Lead).where(Lead.external_id == text["lead"]))
        if lead is None:
            raise ValidationFailed(_("Unknown lead: %(id)s", id=shown(text["lead"])))
    return AppointmentValues(
        external_id=external_id,
        scheduled_at=when,
        kind=kind,
        held=held_text in YES,
        setter=setter,
        lead=lead,
    )


def _by_external_id(external_id: str) -> Appointment | None:
    return db.session.scalar(select(Appointment).where(Appointment.external_id == external_id))


def preview_appointments(table: Table) -> AppointmentPreview:
    """Check every row as the import will; nothing is written."""
    columns = find_columns(table.header, ALIASES)
    if "external_id" not in columns or "scheduled_at" not in columns:
        raise ValidationFailed(_("The file needs external_id and scheduled_at columns."))
    preview = AppointmentPreview(errors=list(table.errors))
    seen: set[str] = set()
    for row in table.rows:
        values = {name: row.values.get(column, "") for name, column in columns.items()}
        try:
            parsed = check_values(values, columns)
            if parsed.external_id in seen:
                raise ValidationFailed(
                    _("The external id %(id)s repeats in this file.", id=shown(parsed.external_id))
                )
        except ValidationFailed as exc:
            preview.errors.append((row.line, str(exc)))
            continue
        seen.add(parsed.external_id)
        preview.good.append((row.line, parsed, _by_external_id(parsed.external_id) is not None))
    preview.errors.sort()
    return preview


def store(values: AppointmentValues) -> tuple[Appointment, bool]:
    """Create or update the appointment with ``values.external_id``."""
    appointment = _by_external_id(values.external_id)
    created = appointment is None
    if appointment is None:
        appointment = Appointment(external_id=values.external_id)
        db.session.add(appointment)
    appointment.scheduled_at = values.scheduled_at
    appointment.kind = values.kind
    appointment.held = values.held
    appointment.setter = values.setter
    appointment.lead = values.lead
    db.session.flush()
    return appointment, created


def import_appointments(table: Table) -> AppointmentImportReport:
    """Store the good rows of ``table``; bad ones are reported by line and not stored."""
    preview = preview_appointments(table)
    stored = store_rows(
        ((line, values) for line, values, _exists in preview.good),
        unchanged,
        store,
        lambda values: _(
            "The external id %(id)s could not be stored; import the file again.",
            id=shown(values.external_id),
        ),
    )
    return AppointmentImportReport(
        created=stored.created,
        updated=stored.updated,
        errors=sorted(preview.errors + stored.errors),
    )


# --- The JSON API -----------------------------------------------------------------------------

MAX_PER_REQUEST = 5000


@dataclass
class AppointmentPushReport:
    created: int = 0
    updated: int = 0
    stored: list[tuple[int, Appointment]] = field(default_factory=list)
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)


def _cell(name: str, value: object) -> str:
    """A JSON scalar as the text a file's cell would hold; ``held`` may be a boolean."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if name == "held":
            return "yes" if value else "no"
        raise ValidationFailed(_("%(name)s must be text or a number.", name=name))
    if isinstance(value, int | float | str):
        return str(value).strip()
    raise ValidationFailed(_("%(name)s must be text or a number.", name=name))


def push_appointments(items: Any) -> AppointmentPushReport:
    """Create or update appointments by external id; each bad item is reported, good ones kept."""
    if isinstance(items, dict) and "appointments" in items:
        items = items["appointments"]
    if not isinstance(items, list) or not items:
        raise ValidationFailed(_('Send a JSON list of appointments (or {"appointments": [...]}).'))
    if len(items) > MAX_PER_REQUEST:
        raise ValidationFailed(_("At most %(n)d appointments per request.", n=MAX_PER_REQUEST))
    report = AppointmentPushReport()
    for index, item in enumerate(items):
        external = item.get("external_id") if isinstance(item, dict) else None
        shown_id = external[:120] if isinstance(external, str) else None
        try:
            if not isinstance(item, dict):
                raise ValidationFailed(_("Each appointment must be a JSON object."))
            unknown = sorted(map(str, set(item) - set(ALIASES)))
            if unknown:
                raise ValidationFailed(_("Unknown fields: %(names)s.", names=", ".join(unknown)))
            values = check_values({name: _cell(name, value) for name, value in item.items()})
            with db.session.begin_nested():
                appointment, created = store(values)
        except ValidationFailed as exc:
            report.errors.append((index, shown_id, str(exc)))
            continue
        except IntegrityError:
            report.errors.append(
                (
                    index,
                    shown_id,
                    _("The external id %(id)s could not be stored; send it again.", id=shown_id),
                )
            )
            continue
        report.stored.append((index, appointment))
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
