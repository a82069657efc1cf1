"""Campaigns: create, edit, import from CSV, and find one by UTM tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import AdText, Agent, Call, Campaign, Lead
from qa.models.company import CAMPAIGN_KINDS
from qa.services.errors import ValidationFailed
from qa.services.pay.people import agent_named
from qa.services.row_import import store_rows
from qa.services.tabular import Table
from qa.services.validation import (
    MAX_INTEGER,
    clean_text,
    finite_decimal,
    record_id,
    sane_date,
    sane_dates,
    shown,
    whole_number,
)
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


def owner_choices(empty: str) -> list[tuple[str, str]]:
    """The marketers a campaign may belong to, for a select (first: no owner)."""
    marketers = db.session.scalars(
        select(Agent).where(Agent.pay_role == "marketer").order_by(Agent.name)
    )
    return [("", empty), *((str(agent.id), agent.name) for agent in marketers)]


def find_owner(raw: object) -> Agent | None:
    """The marketer with id ``raw`` (None for empty); ValidationFailed for anyone else."""
    owner_id = record_id(raw or None, field=_("Owner (marketer)"))
    owner = db.session.get(Agent, owner_id) if owner_id else None
    if owner_id and (owner is None or owner.pay_role != "marketer"):
        raise ValidationFailed(_("Owner (marketer): no marketer %(id)s.", id=shown(raw)))
    return owner


def set_owner(campaign: Campaign, owner: Agent | None) -> None:
    """The marketer paid on the campaign's conversion (None: nobody)."""
    campaign.owner = owner
    db.session.flush()


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
    """Create or update campaigns by name; a bad row is reported with its line, others are kept.

    Every row is checked before anything is written, and each is written in its own savepoint,
    so a row the database refuses costs only that row. Importing a file twice updates the same
    campaigns rather than adding copies.
    """
    if "name" not in table.header:
        raise ValidationFailed(_("The file needs a 'name' column."))

    def check(values: dict[str, str]) -> tuple[CampaignValues, Agent | None, Campaign | None]:
        parsed = parse_campaign_row(values)
        owner = parse_owner(values.get("owner"))
        return parsed, owner, find_by_name(parsed.name)

    def store(
        checked: tuple[CampaignValues, Agent | None, Campaign | None],
    ) -> tuple[Campaign, bool]:
        values, owner, existing = checked
        campaign = save_campaign(values, existing)
        if owner is not None:
            set_owner(campaign, owner)
        return campaign, not existing

    stored = store_rows(
        ((row.line, row.values) for row in table.rows),
        check,
        store,
        lambda checked: _(
            "The campaign %(name)s could not be stored; import the file again.",
            name=shown(checked[0].name),
        ),
    )
    return ImportReport(
        created=stored.created,
        updated=stored.updated,
        errors=sorted(list(table.errors) + stored.errors),
    )


# The longest text each column may hold (the column sizes in qa.models.company.Campaign).
TEXT_LIMITS = {
    "name": 200,
    "channel": 60,
    "kind": 20,
    "utm_source": 120,
    "utm_medium": 120,
    "utm_campaign": 200,
    "starts_on": 40,
    "ends_on": 40,
}


def parse_owner(raw: object) -> Agent | None:
    """An imported owner: a marketer by e-mail or exact name (None for an empty cell, which
    leaves the campaign's owner as it was)."""
    text = clean_text(raw, field="owner", max_length=254)
    owner = agent_named(text, field="owner")
    if owner is not None and owner.pay_role != "marketer":
        raise ValidationFailed(_("owner: %(name)s is not a marketer.", name=shown(text)))
    return owner


def parse_campaign_row(values: dict[str, str]) -> CampaignValues:
    """One imported row, with the same checks for every text, number and date as the forms."""
    text = {
        key: clean_text(values.get(key), field=key, max_length=limit)
        for key, limit in TEXT_LIMITS.items()
    }
    name = text["name"]
    if not name:
        raise ValidationFailed(_("The name is empty."))
    return CampaignValues(
        name=name,
        channel=_channel(text["channel"] or ""),
        # A kind's name in either language reads as the kind; anything else fails validation.
        kind=CAMPAIGN_KIND.value_for(text["kind"] or "mass") or (text["kind"] or ""),
        utm_source=text["utm_source"],
        utm_medium=text["utm_medium"],
        utm_campaign=text["utm_campaign"],
        starts_on=parse_date(text["starts_on"], field="starts_on"),
        ends_on=parse_date(text["ends_on"], field="ends_on"),
        spend=finite_decimal(values.get("spend"), field="spend") or Decimal("0"),
        views=whole_number(values.get("views"), field="views", maximum=MAX_INTEGER) or 0,
    )


def parse_date(raw: str | None, field: str = "date") -> date | None:
    if not raw:
        return None
    text = raw.strip()[:10]
    for parse in (date.fromisoformat, _parse_dotted):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        sane_date(parsed, field=field)
        return parsed
    raise ValidationFailed(
        _("Not a date: %(value)s (use YYYY-MM-DD or DD.MM.YYYY).", value=shown(raw))
    )


def _parse_dotted(text: str) -> date:
    day, month, year = text.split(".")
    return date(int(year), int(month), int(day))


def _channel(raw: str) -> str | None:
    """A known channel by value or name; other text is kept as the campaign's own channel."""
    raw = raw.strip()
    return CAMPAIGN_CHANNEL.value_for(raw) or raw or None


def _validate(values: CampaignValues) -> None:
    if not values.name.strip():
        raise ValidationFailed(_("The name is empty."))
    clean_text(values.name, field=_("Name"), max_length=200, required=True)
    clean_text(values.channel, field=_("Channel"), max_length=60)
    clean_text(values.utm_source, field="utm_source", max_length=120)
    clean_text(values.utm_medium, field="utm_medium", max_length=120)
    clean_text(values.utm_campaign, field="utm_campaign", max_length=200)
    sane_dates((values.starts_on, _("Starts on")), (values.ends_on, _("Ends on")))
    finite_decimal(values.spend, field=_("Spend"))
    whole_number(values.views, field=_("Ad views"))
    if values.kind not in CAMPAIGN_KINDS:
        raise ValidationFailed(
            _(
                "The kind must be one of %(values)s, not %(kind)s.",
                values=", ".join(CAMPAIGN_KIND.values),
                kind=values.kind,
            )
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
