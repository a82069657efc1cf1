"""What the JSON API takes in and gives out: recordings and leads pushed by a PBX, CRM or
call-tracking system, and a call's transcript, flags and scores read back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Agent, Call, Campaign, Lead, Review, ScorecardVersion
from qa.models._base import utcnow
from qa.services.admin.settings import company_settings
from qa.services.calls import intake
from qa.services.calls.redaction import shown_text
from qa.services.errors import ValidationFailed
from qa.services.marketing import campaigns as campaign_service
from qa.services.marketing import dashboard_drill, linking
from qa.services.marketing import leads as lead_service
from qa.services.tabular import Table, TableRow
from qa.services.validation import clean_text, finite_decimal, sane_date
from qa.timefmt import iso_local

LEAD_FIELDS = (
    "external_id",
    "created_at",
    "phone",
    "channel",
    "campaign",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "status",
    "sale_amount",
    "customer_id",
    "name",
    "seller",
    "setter",
)
MAX_LEADS_PER_REQUEST = 5000
# Longest text each pushed field may hold: the lead columns, and a generous raw form for the
# phone (stored normalised, so shorter).
LEAD_TEXT_LIMITS = {**lead_service.TEXT_LIMITS, "phone": 64}
# Free-text fields of a pushed recording that only name things (checked for length and control
# characters before any lookup: PostgreSQL refuses a NUL even in a query).
RECORDING_TEXT_LIMITS = {
    "agent": 120,
    "campaign": 200,
    "utm_source": 120,
    "utm_medium": 120,
    "utm_campaign": 200,
    "lead_external_id": 120,
}


@dataclass(frozen=True)
class RecordingMeta:
    """The form fields sent with a pushed recording, as text (empty means not given)."""

    phone: str = ""
    called_at: str = ""
    agent: str = ""
    agent_channel: str = "left"
    campaign: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    lead_external_id: str = ""
    language: str = ""
    title: str = ""


@dataclass(frozen=True)
class PushedRecording:
    call: Call
    lead: Lead | None
    lead_created: bool


@dataclass
class LeadPushReport:
    created: int = 0
    updated: int = 0
    linked_calls: int = 0
    stored: list[tuple[int, Lead]] = field(default_factory=list)  # (index, lead)
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)  # index, id, message


def push_recording(stream: BinaryIO, filename: str, meta: RecordingMeta) -> PushedRecording:
    """Store a recording, tie it to its agent, campaign and lead, and queue its transcription.

    A ``lead_external_id`` not seen before creates that lead (channel "call"): for a
    call-tracking system the call is the lead. Without one, the call is linked by phone number.
    """
    checked = intake.recording_metadata(
        phone=meta.phone,
        called_at=meta.called_at,
        agent_channel=meta.agent_channel,
        language=meta.language,
        title=meta.title,
    )
    # Checked before anything is created, so a refused push leaves no lead or agent behind.
    intake.check_filename(filename)
    for name, limit in RECORDING_TEXT_LIMITS.items():
        clean_text(getattr(meta, name), field=name, max_length=limit)
    agent = _agent(meta.agent) if meta.agent.strip() else None
    campaign = _campaign(meta)
    lead, created = _lead(meta.lead_external_id, checked.phone, checked.called_at, campaign)
    if campaign is None and lead is not None:
        campaign = lead.campaign
    checked = replace(
        checked,
        agent_id=agent.id if agent else None,
        campaign_id=campaign.id if campaign else None,
        lead_id=lead.id if lead else None,
        lead_link="api",
    )
    call = intake.take_in(stream, filename, checked).call
    return PushedRecording(call=call, lead=call.lead, lead_created=created)


def _agent(reference: str) -> Agent:
    """An agent by id, else by name (created when new: a PBX names its extensions)."""
    from qa.services.calls.listing import find_or_create_agent

    cleaned = reference.strip()
    if cleaned.isdigit():
        agent = db.session.get(Agent, int(cleaned))
        if agent is not None:
            return agent
    return find_or_create_agent(cleaned)


def _campaign(meta: RecordingMeta) -> Campaign | None:
    if meta.campaign.strip():
        campaign = campaign_service.find_by_name(meta.campaign)
        if campaign is None:
            raise ValidationFailed(_("campaign: no campaign named %(name)s.", name=meta.campaign))
        return campaign
    return campaign_service.find_by_utm(
        meta.utm_source.strip() or None,
        meta.utm_medium.strip() or None,
        meta.utm_campaign.strip() or None,
    )


def _lead(
    external_id: str, phone: str | None, called_at: datetime | None, campaign: Campaign | None
) -> tuple[Lead | None, bool]:
    cleaned = external_id.strip()
    if not cleaned:
        return None, False
    if len(cleaned) > 120:
        raise ValidationFailed(_("lead_external_id: at most 120 characters."))
    lead = db.session.scalar(select(Lead).where(Lead.external_id == cleaned))
    if lead is not None:
        return lead, False
    lead = Lead(
        external_id=cleaned,
        created_at=called_at or utcnow(),
        phone=phone,
        channel="call",
        status="new",
        campaign=campaign,
    )
    db.session.add(lead)
    db.session.flush()
    return lead, True


def _moment(raw: str, field: str, timezone: str) -> datetime:
    """A date and time as leads are imported, within the years a business date can have."""
    try:
        moment = lead_service.parse_datetime(raw, timezone)
    except ValidationFailed as exc:
        raise ValidationFailed(_("%(field)s: %(error)s", field=field, error=exc)) from exc
    except OverflowError:  # year 1 or 9999 moved across time zones
        moment = datetime.min
    sane_date(moment, field=field)
    return moment


def push_leads(items: Any) -> LeadPushReport:
    """Create or update leads by external id; each bad item is reported, the good ones stored."""
    if isinstance(items, Mapping) and "leads" in items:
        items = items["leads"]
    if not isinstance(items, list) or not items:
        raise ValidationFailed(_('Send a JSON list of leads (or {"leads": [...]}).'))
    if len(items) > MAX_LEADS_PER_REQUEST:
        raise ValidationFailed(_("At most %(n)d leads per request.", n=MAX_LEADS_PER_REQUEST))
    report = LeadPushReport()
    table = Table(header=list(LEAD_FIELDS))
    timezone = company_settings().timezone
    for index, item in enumerate(items):
        problem = _item_problem(item, timezone)
        if problem:
            external = item.get("external_id") if isinstance(item, Mapping) else None
            report.errors.append((index, _text(external) or None, problem))
            continue
        table.rows.append(TableRow(line=index, values={k: _text(item.get(k)) for k in LEAD_FIELDS}))
    if table.rows:
        imported = lead_service.import_leads(table)
        by_line = {row.line: row.values["external_id"] for row in table.rows}
        for line, message in imported.errors:
            report.errors.append((line, by_line.get(line) or None, message))
        failed = {line for line, _message in imported.errors}
        good_lines = [row.line for row in table.rows if row.line not in failed]
        report.stored = list(zip(good_lines, imported.leads, strict=True))
        report.created, report.updated = imported.created, imported.updated
        report.linked_calls = linking.auto_link_leads(imported.leads)
    report.errors.sort()
    return report


def _item_problem(item: Any, timezone: str) -> str | None:
    if not isinstance(item, Mapping):
        return str(_("Each lead must be a JSON object."))
    unknown = sorted(set(item) - set(LEAD_FIELDS))
    if unknown:
        return str(_("Unknown fields: %(names)s.", names=", ".join(map(str, unknown))))
    for key, value in item.items():
        if value is not None and not isinstance(value, str | int | float):
            return str(_("%(name)s must be text or a number.", name=key))
    try:
        _check_lead_values(item, timezone)
    except ValidationFailed as exc:
        return str(exc)
    return None


def _check_lead_values(item: Mapping[str, Any], timezone: str) -> None:
    """What the CSV import would not notice in JSON: NaN and huge numbers, control characters,
    and dates outside the years a business date can have."""
    finite_decimal(item.get("sale_amount"), field="sale_amount")
    for key, limit in LEAD_TEXT_LIMITS.items():
        clean_text(_text(item.get(key)), field=key, max_length=limit)
    created = _text(item.get("created_at"))
    if created:
        _moment(created, "created_at", timezone)


def _text(value: Any) -> str:
    """A JSON scalar as the text a CSV cell would hold (booleans are not scalars here)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return format(Decimal(str(value)), "f")
    return str(value).strip()


def call_payload(call: Call) -> dict[str, Any]:
    """A call with its transcript, flags, lead and reviews' scores, as JSON-ready data."""
    reviews = db.session.scalars(
        select(Review)
        .options(
            selectinload(Review.scorecard_version).selectinload(ScorecardVersion.template),
            selectinload(Review.reviewer),
        )
        .where(Review.call_id == call.id, Review.is_regular)
        .order_by(Review.id)
    ).all()
    lead = None
    if call.lead is not None:
        detail = dashboard_drill.lead_details([call.lead.id]).get(call.lead.id)
        lead = {
            "id": call.lead.id,
            "external_id": call.lead.external_id,
            "status": call.lead.status,
            "channel": call.lead.channel,
            "link": call.lead_link,
            "quality": detail.quality if detail else None,
        }
    return {
        "id": call.id,
        "status": call.status,
        "error": call.error,
        "title": call.display_title,
        "language": call.language,
        "duration": call.duration,
        "called_at": iso_local(call.called_at),
        "phone": call.phone,
        "agent": call.agent.name if call.agent else None,
        "agent_id": call.agent_id,
        "lead_id": call.lead_id,
        "lead": lead,
        "campaign_id": call.campaign_id,
        "campaign": call.campaign.name if call.campaign else None,
        # An integration is no person with a role: where the company redacts, it gets the
        # redacted text.
        "segments": [
            {"speaker": s.speaker, "start": s.start, "end": s.end, "text": shown_text(s, False)}
            for s in call.segments
        ],
        "findings": [
            {
                "label": f.label,
                "rule": f.rule_id,
                "score": f.score,
                "start": f.time_start,
                "end": f.time_end,
                "text": f.text,
            }
            for f in call.findings
        ],
        "reviews": [
            {
                "id": r.id,
                "scorecard": r.scorecard_version.template.name,
                "scorecard_version": r.scorecard_version.number,
                "status": r.status,
                "score": r.score,
                "failed_critical": r.failed_critical,
                "reviewer": r.reviewer.name if r.reviewer else None,
                "created_at": iso_local(r.created_at),
                "updated_at": iso_local(r.updated_at),
            }
            for r in reviews
        ],
    }


def campaign_payload(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "channel": campaign.channel,
        "kind": campaign.kind,
        "utm_source": campaign.utm_source,
        "utm_medium": campaign.utm_medium,
        "utm_campaign": campaign.utm_campaign,
        "starts_on": campaign.starts_on.isoformat() if campaign.starts_on else None,
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
        "spend": str(campaign.spend),
        "views": campaign.views,
    }
