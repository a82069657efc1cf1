"""Campaigns: create, edit, import from CSV, and find one by UTM tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import AdText, Call, Campaign, Lead
from qa.models.company import CAMPAIGN_KINDS
from qa.services.errors import ValidationFailed
from qa.services.tabular import Table
from qa.vocabulary import CAMPAIGN_CHANNEL, CAMPAIGN_KIND


@dataclass(frozen=True)
class CampaignValues:
    name: str
    channel: str | None = None
    kind: str = "mass"
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    spend: Decimal = Decimal("0")
    views: int = 0


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def list_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.name)))


def save_campaign(values: CampaignValues, campaign: Campaign | None = None) -> Campaign:
    """Create or update; names are unique (case-insensitive)."""
    _validate(values)
    clash = find_by_name(values.name)
    if clash is not None and clash is not campaign:
        raise ValidationFailed(_("A campaign named %(name)s already exists.", name=values.name))
    campaign = campaign or Campaign()
    for key, value in values.__dict__.items():
        setattr(campaign, key, value)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def find_by_name(name: str) -> Campaign | None:
    """Case-insensitive in every alphabet (SQLite's lower() only folds ASCII)."""
    wanted = name.strip()
    exact = db.session.scalar(select(Campaign).where(Campaign.name == wanted))
    if exact is not None:
        return exact
    folded = wanted.casefold()
    names = db.session.execute(select(Campaign.id, Campaign.name)).all()
    match = next((cid for cid, cname in names if cname.casefold() == folded), None)
    return db.session.get(Campaign, match) if match is not None else None


def find_by_utm(
    source: str | None, medium: str | None, utm_campaign: str | None
) -> Campaign | None:
    """The campaign whose UTM campaign tag matches (and source/medium when both sides have them)."""
    if not utm_campaign:
        return None
    query = select(Campaign).where(Campaign.utm_campaign.is_not(None))
    candidates = [
        c
        for c in db.session.scalars(query)
        if (c.utm_campaign or "").casefold() == utm_campaign.casefold()
    ]
    for campaign in candidates:
        if source and campaign.utm_source and campaign.utm_source.lower() != source.lower():
            continue
        if medium and campaign.utm_medium and campaign.utm_medium.lower() != medium.lower():
            continue
        return campaign
    return None


def import_campaigns(table: Table) -> ImportReport:
    """Create or update campaigns by name; a bad row is reported with its line, others are kept."""
    if "name" not in table.header:
        raise ValidationFailed(_("The file needs a 'name' column."))
    report = ImportReport()
    for row in table.rows:
        try:
            values = parse_campaign_row(row.values)
            existing = find_by_name(values.name)
            with db.session.begin_nested():
                save_campaign(values, existing)
        except ValidationFailed as exc:
            report.errors.append((row.line, str(exc)))
            continue
        if existing:
            report.updated += 1
        else:
            report.created += 1
    return report


def parse_campaign_row(values: dict[str, str]) -> CampaignValues:
    name = values.get("name", "").strip()
    if not name:
        raise ValidationFailed(_("The name is empty."))
    return CampaignValues(
        name=name,
        channel=_channel(values.get("channel") or ""),
        # A kind's name in either language reads as the kind; anything else fails validation.
        kind=CAMPAIGN_KIND.value_for(values.get("kind") or "mass") or values.get("kind", ""),
        utm_source=values.get("utm_source") or None,
        utm_medium=values.get("utm_medium") or None,
        utm_campaign=values.get("utm_campaign") or None,
        starts_on=parse_date(values.get("starts_on")),
        ends_on=parse_date(values.get("ends_on")),
        spend=parse_money(values.get("spend")) or Decimal("0"),
        views=parse_int(values.get("views")),
    )


def parse_date(raw: str | None) -> date | None:
    if not raw:
        return None
    text = raw.strip()[:10]
    for parse in (date.fromisoformat, _parse_dotted):
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValidationFailed(_("Not a date: %(value)s (use YYYY-MM-DD or DD.MM.YYYY).", value=raw))


def _parse_dotted(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


def parse_money(raw: str | None) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    cleaned = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed(_("Not an amount: %(value)s", value=raw)) from None
    if amount < 0 or not amount.is_finite():
        raise ValidationFailed(_("Not an amount: %(value)s", value=raw))
    return amount


def parse_int(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return 0
    try:
        number = int(Decimal(raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")))
    except InvalidOperation:
        raise ValidationFailed(_("Not a whole number: %(value)s", value=raw)) from None
    if number < 0:
        raise ValidationFailed(_("Not a whole number: %(value)s", value=raw))
    return number


def _channel(raw: str) -> str | None:
    """A known channel by value or name; other text is kept as the campaign's own channel."""
    raw = raw.strip()
    return CAMPAIGN_CHANNEL.value_for(raw) or raw or None


def _validate(values: CampaignValues) -> None:
    if not values.name.strip():
        raise ValidationFailed(_("The name is empty."))
    if values.kind not in CAMPAIGN_KINDS:
        raise ValidationFailed(
            _("The kind must be one of %(values)s, not %(kind)s.",
              values=", ".join(CAMPAIGN_KIND.values), kind=values.kind)
        )
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise ValidationFailed(_("The campaign ends before it starts."))


@dataclass(frozen=True)
class CampaignOverview:
    leads: list[Lead]
    calls: list[Call]
    ad_texts: list[AdText]


def campaign_overview(campaign: Campaign, limit: int = 50) -> CampaignOverview:
    """The campaign's latest leads, calls and audited ad texts."""
    leads = select(Lead).where(Lead.campaign_id == campaign.id).order_by(Lead.created_at.desc())
    calls = select(Call).where(Call.campaign_id == campaign.id).order_by(Call.created_at.desc())
    ads = select(AdText).where(AdText.campaign_id == campaign.id).order_by(AdText.created_at.desc())
    return CampaignOverview(
        leads=list(db.session.scalars(leads.limit(limit))),
        calls=list(db.session.scalars(calls.limit(limit))),
        ad_texts=list(db.session.scalars(ads.limit(limit))),
    )
