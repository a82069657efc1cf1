"""Leads from a CRM or call-tracking export: preview, import, re-import by external id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Campaign, Lead
from qa.services.admin.settings import company_settings
from qa.services.errors import ValidationFailed
from qa.services.marketing import campaigns as campaign_service
from qa.services.marketing.phones import normalise_phone
from qa.services.pay.people import agent_named
from qa.services.row_import import RowsPreview, find_columns, store_rows, unchanged
from qa.services.tabular import Table
from qa.services.validation import clean_text, finite_decimal, sane_date, shown
from qa.timefmt import stored_from_local
from qa.vocabulary import LEAD_CHANNEL, LEAD_STATUS

# Column names accepted for each field (exports differ between CRMs).
ALIASES = {
    "external_id": ("external_id", "id", "lead_id", "crm_id"),
    "created_at": ("created_at", "created", "date", "datetime"),
    "phone": ("phone", "phone_number", "telephone"),
    "channel": ("channel", "source_type", "type"),
    "campaign": ("campaign", "campaign_name"),
    "utm_source": ("utm_source",),
    "utm_medium": ("utm_medium",),
    "utm_campaign": ("utm_campaign",),
    "status": ("status", "stage"),
    "sale_amount": ("sale_amount", "amount", "revenue"),
    "customer_id": ("customer_id", "client_id", "customer"),
    "name": ("name", "client_name", "customer_name"),
    # The seller who closed the lead and the setter who booked its meeting (e-mail or name).
    "seller": ("seller", "seller_email"),
    "setter": ("setter", "setter_email"),
}
# Who is paid on a lead: set only when the row names them (an empty cell or a file without the
# column keeps the stored one).
PEOPLE = ("seller", "setter")
# The longest text each column may hold (the column sizes in qa.models.company.Lead).
TEXT_LIMITS = {
    "external_id": 120,
    "created_at": 40,
    "phone": 40,
    "channel": 40,
    "campaign": 200,
    "utm_source": 120,
    "utm_medium": 120,
    "utm_campaign": 200,
    "status": 40,
    "customer_id": 120,
    "name": 200,
    "seller": 254,
    "setter": 254,
}
CHANNEL_ALIASES = {
    "site": "site_request",
    "form": "site_request",
    "request": "site_request",
    "site_request": "site_request",
    "заявка": "site_request",
    "call": "call",
    "phone": "call",
    "звонок": "call",
    "store_visit": "store_visit",
    "visit": "store_visit",
    "store": "store_visit",
    "визит": "store_visit",
}


@dataclass(frozen=True)
class LeadValues:
    external_id: str
    created_at: datetime
    phone: str | None
    channel: str
    campaign: Campaign | None
    status: str
    sale_amount: Decimal | None
    customer_id: str | None
    name: str | None
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    seller: Agent | None = None
    setter: Agent | None = None
    # Which of PEOPLE the row names.
    people: tuple[str, ...] = ()


LeadPreview = RowsPreview[LeadValues]


@dataclass
class LeadImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)


def list_leads(page: int, per_page: int, campaign_id: int | None = None) -> Pagination:
    query = select(Lead).order_by(Lead.created_at.desc(), Lead.id.desc())
    if campaign_id:
        query = query.where(Lead.campaign_id == campaign_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def preview_leads(table: Table) -> LeadPreview:
    """Check every row as the import will; nothing is written."""
    columns = find_columns(table.header, ALIASES)
    if "external_id" not in columns or "created_at" not in columns:
        raise ValidationFailed(_("The file needs external_id and created_at columns."))
    settings = company_settings()
    preview = LeadPreview(errors=list(table.errors))
    seen: set[str] = set()
    for row in table.rows:
        values = {field_: row.values.get(column, "") for field_, column in columns.items()}
        try:
            parsed = _parse(values, settings.phone_region, settings.timezone, columns)
            if parsed.external_id in seen:
                raise ValidationFailed(
                    _("The external id %(id)s repeats in this file.", id=shown(parsed.external_id))
                )
        except ValidationFailed as exc:
            preview.errors.append((row.line, str(exc)))
            continue
        seen.add(parsed.external_id)
        exists = _by_external_id(parsed.external_id) is not None
        preview.good.append((row.line, parsed, exists))
    preview.errors.sort()
    return preview


def import_leads(table: Table) -> LeadImportReport:
    """Create new leads and update known ones by external id; bad rows are reported, not stored.

    Rows pass the same checks as the preview. Each is written in its own savepoint, so a row
    the database still refuses (another import stored the same external id a moment ago) is
    reported by its line and the rows around it are kept. Importing a file twice updates the
    same leads rather than adding copies.
    """
    preview = preview_leads(table)
    stored = store_rows(
        ((line, values) for line, values, _exists in preview.good),
        unchanged,
        _store,
        lambda values: _(
            "The external id %(id)s could not be stored; import the file again.",
            id=shown(values.external_id),
        ),
    )
    return LeadImportReport(
        created=stored.created,
        updated=stored.updated,
        errors=sorted(preview.errors + stored.errors),
        leads=stored.results,
    )


def _store(values: LeadValues) -> tuple[Lead, bool]:
    lead = _by_external_id(values.external_id)
    created = lead is None
    if lead is None:
        lead = Lead(external_id=values.external_id)
        db.session.add(lead)
    for key, value in values.__dict__.items():
        if key not in (*PEOPLE, "people"):
            setattr(lead, key, value)
    for key in values.people:
        setattr(lead, key, getattr(values, key))
    db.session.flush()
    return lead, created


def _by_external_id(external_id: str) -> Lead | None:
    return db.session.scalar(select(Lead).where(Lead.external_id == external_id))


def _parse(
    values: dict[str, str], region: str, timezone: str, columns: dict[str, str]
) -> LeadValues:
    """One row; messages name the file's own column (``lead_id`` rather than ``external_id``)."""
    text = {
        key: clean_text(values.get(key), field=columns.get(key, key), max_length=limit)
        for key, limit in TEXT_LIMITS.items()
    }
    external_id = text["external_id"]
    if not external_id:
        raise ValidationFailed(_("The external id is empty."))
    created_at = parse_datetime(text["created_at"] or "", timezone, columns["created_at"])
    raw_phone = text["phone"]
    phone = normalise_phone(raw_phone, region) if raw_phone else None
    if raw_phone and phone is None:
        raise ValidationFailed(_("Not a valid phone number: %(phone)s", phone=shown(raw_phone)))
    channel_raw = (text["channel"] or "call").strip().lower()
    channel = CHANNEL_ALIASES.get(channel_raw) or LEAD_CHANNEL.value_for(channel_raw)
    if channel is None:
        raise ValidationFailed(
            _(
                "Unknown channel: %(channel)s (use %(values)s).",
                channel=shown(channel_raw),
                values=", ".join(LEAD_CHANNEL.values),
            )
        )
    status_raw = (text["status"] or "new").strip()
    status = LEAD_STATUS.value_for(status_raw)
    if status is None:
        raise ValidationFailed(
            _(
                "Unknown status: %(status)s (use %(values)s).",
                status=shown(status_raw),
                values=", ".join(LEAD_STATUS.values),
            )
        )
    utm = {k: text[k] for k in ("utm_source", "utm_medium", "utm_campaign")}
    campaign = None
    if text["campaign"]:
        campaign = campaign_service.find_by_name(text["campaign"])
        if campaign is None:
            raise ValidationFailed(_("Unknown campaign: %(name)s", name=shown(text["campaign"])))
    elif utm["utm_campaign"]:
        campaign = campaign_service.find_by_utm(
            utm["utm_source"], utm["utm_medium"], utm["utm_campaign"]
        )
    amount = finite_decimal(
        values.get("sale_amount"), field=columns.get("sale_amount", "sale_amount")
    )
    people = tuple(key for key in PEOPLE if text[key])
    agents = {key: agent_named(text[key], field=columns.get(key, key)) for key in people}
    return LeadValues(
        external_id=external_id,
        created_at=created_at,
        phone=phone,
        channel=channel,
        campaign=campaign,
        status=status,
        sale_amount=amount,
        customer_id=text["customer_id"],
        name=text["name"],
        **utm,
        **agents,
        people=people,
    )


def parse_datetime(raw: str, timezone: str, field: str = "created_at") -> datetime:
    """ISO or DD.MM.YYYY [HH:MM]; naive times are in the company's zone; stored as naive UTC."""
    text = raw.strip()
    if not text:
        raise ValidationFailed(_("The creation time is empty."))
    parsed = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
            try:
                parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone applied below
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValidationFailed(_("Not a date and time: %(value)s", value=shown(raw)))
    # Before the zone shift: year 1 or 9999 would overflow it.
    sane_date(parsed, field=field)
    return stored_from_local(parsed, ZoneInfo(timezone))
