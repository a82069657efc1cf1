"""Lead-quality figures per campaign and overall for a period, against the company's targets.

The counting is done by the GROUP BY queries in
:mod:`qa.services.marketing.kpi_queries`; this module prorates campaign views and spend to
the period, adds campaigns up into per-kind and overall rows, and colours each figure by its
target band.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from qa import timefmt
from qa.extensions import db
from qa.models import Campaign, CompanySettings
from qa.models.company import CAMPAIGN_KINDS, LEAD_CHANNELS
from qa.services.admin.settings import TargetBands, company_settings, target_bands
from qa.services.errors import ValidationFailed
from qa.services.marketing import dashboard_cache as cache
from qa.services.marketing import kpi_queries as q
from qa.services.validation import sane_dates

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
RED, AMBER, GREEN = "red", "amber", "green"


@dataclass(frozen=True)
class Period:
    """Calendar days ``start``..``end`` (inclusive) in the company's time zone."""

    start: date
    end: date

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, today: date | None = None) -> Period:
        today = today or timefmt.local_today()
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def checked(cls, start: date, end: date) -> Period:
        """A period from user input; raises ValidationFailed when it is backwards or too long."""
        if end < start:
            raise ValidationFailed(_("The period ends before it starts."))
        if (end - start).days >= MAX_DAYS:
            raise ValidationFailed(_("Choose a period of at most three years."))
        return cls(start, end)

    @classmethod
    def asked(cls, start: date | None, end: date | None, today: date) -> Period:
        """The period a filter asks for: last 30 days when neither end is given, else the
        missing end filled in (today, or 30 days before the end); checked as above."""
        sane_dates((start, _("From")), (end, _("To")))
        if start is None and end is None:
            return cls.last_days(today=today)
        end = end or today
        start = start or cls.last_days(today=end).start
        return cls.checked(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """Naive-UTC [from, to) covering the period's local days, as timestamps are stored."""
        return timefmt.day_bounds(self.start, self.end, ZoneInfo(timezone))


def company_today() -> date:
    """Today's date in the company's time zone."""
    return timefmt.local_today()


def overlap_share(campaign: Campaign, start: date, end: date, today: date) -> float:
    """Share of the campaign's run that falls in ``start``..``end``.

    A campaign without a start date counts in full; one without an end date runs until today.
    """
    if campaign.starts_on is None:
        return 1.0
    run_end = campaign.ends_on or max(today, campaign.starts_on)
    run_days = (run_end - campaign.starts_on).days + 1
    overlap = (min(run_end, end) - max(campaign.starts_on, start)).days + 1
    return max(overlap, 0) / run_days if run_days > 0 else 0.0


def band(
    value: float | None, red: float, green: float, *, green_inclusive: bool = True
) -> str | None:
    """Colour of a percentage: below ``red`` red, from ``green`` (or above it) green, else amber."""
    if value is None:
        return None
    value = round(value, 9)
    if value < red:
        return RED
    if value > green or (green_inclusive and value == green):
        return GREEN
    return AMBER


def ad_band(ads: q.AdStats) -> str | None:
    """Ad copy: every text passing its latest audit is green, none passing is red.

    A text not audited yet has not passed, so it keeps a campaign from green.
    """
    if not ads.texts:
        return None
    if ads.passed == ads.texts:
        return GREEN
    return RED if ads.passed == 0 else AMBER


def _ratio(part: float | Decimal, whole: float | Decimal | None) -> float | None:
    """``part / whole`` in percent; None when there is nothing to divide by."""
    if not whole:
        return None
    return 100 * float(part) / float(whole)


def _cost(spend: Decimal | None, count: int) -> Decimal | None:
    if spend is None or not count:
        return None
    return (spend / count).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """One row of the dashboard: a campaign, the leads without one, a kind, or everything."""

    key: str
    label: str
    kind: str | None = None
    campaign: Campaign | None = None
    views: float | None = None
    spend: Decimal | None = None
    # Leads of campaigns that recorded views in the period: the numerator of view -> lead.
    view_leads: int = 0
    leads: q.LeadStats = field(default_factory=q.LeadStats)
    # Leads that campaign spend paid for (all leads, less those without a campaign): costs.
    paid: q.LeadStats = field(default_factory=q.LeadStats)
    calls: q.CallStats = field(default_factory=q.CallStats)
    ads: q.AdStats = field(default_factory=q.AdStats)
    buyers: int = 0
    repeat_buyers: int = 0
    bands: dict[str, str | None] = field(default_factory=dict)

    @property
    def view_to_lead(self) -> float | None:
        return _ratio(self.view_leads, self.views) if self.views else None

    @property
    def lead_to_sale(self) -> float | None:
        return _ratio(self.leads.won, self.leads.leads)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return _cost(self.spend, self.paid.leads)

    def cost_per_channel_lead(self, channel: str) -> Decimal | None:
        return _cost(self.spend, self.paid.by_channel.get(channel, 0))

    @property
    def cost_per_sale(self) -> Decimal | None:
        return _cost(self.spend, self.paid.won)

    @property
    def repeat_rate(self) -> float | None:
        return _ratio(self.repeat_buyers, self.buyers)

    @property
    def price_share(self) -> float | None:
        return _ratio(self.calls.price_calls, self.calls.calls)

    @property
    def assortment_share(self) -> float | None:
        return _ratio(self.calls.assortment_calls, self.calls.calls)

    @property
    def qa_score(self) -> float | None:
        return self.calls.score_sum / self.calls.reviews if self.calls.reviews else None

    @property
    def shop_score(self) -> float | None:
        """Seller quality seen by mystery shoppers: the average score of the final shops."""
        return self.calls.shop_score_sum / self.calls.shops if self.calls.shops else None

    @property
    def lead_quality(self) -> float | None:
        return self.leads.quality_sum / self.leads.leads if self.leads.leads else None

    @property
    def reached_share(self) -> float | None:
        return _ratio(self.leads.reached, self.leads.leads)

    @property
    def resistance_shares(self) -> tuple[float | None, float | None]:
        return (
            _ratio(self.leads.price_leads, self.leads.leads),
            _ratio(self.leads.assortment_leads, self.leads.leads),
        )

    @property
    def ad_pass_share(self) -> float | None:
        return _ratio(self.ads.passed, self.ads.texts)

    def colour(self, bands: TargetBands) -> None:
        """Fill ``self.bands`` for the figures that have a target."""
        view_band = None
        if self.kind == "mass":
            view_band = band(
                self.view_to_lead, bands.mass_view_lead_red, bands.mass_view_lead_green
            )
        elif self.kind == "targeted":
            view_band = band(
                self.view_to_lead, bands.targeted_view_lead_red, bands.targeted_view_lead_green
            )
        self.bands = {
            "view_to_lead": view_band,
            "lead_to_sale": band(
                self.lead_to_sale,
                bands.lead_sale_red,
                bands.lead_sale_green_above,
                green_inclusive=False,
            ),
            "ad_audit": ad_band(self.ads),
        }


@dataclass(frozen=True)
class Trend:
    weeks: list[date]
    leads: list[int]
    won: list[int]
    lead_to_sale: list[float | None]
    view_to_lead: list[float | None]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    currency: str
    bands: TargetBands
    rows: list[Figures]
    totals: list[Figures]  # per kind, then overall
    overall: Figures
    focus: Figures  # the row the charts and funnel show (a chosen campaign or overall)
    trend: Trend

    @property
    def funnel(self) -> list[tuple[str, float | int | None]]:
        row = self.focus
        views = round(row.views) if row.views is not None else None
        return [
            ("views", views),
            ("leads", row.leads.leads),
            ("qualified", row.leads.reached),
            ("won", row.leads.won),
        ]


def build_dashboard(
    period: Period, campaign_id: int | None = None, today: date | None = None
) -> Dashboard:
    """All figures for ``period``; charts and funnel narrowed to ``campaign_id`` when given."""
    settings = company_settings()
    today = today or timefmt.local_today()
    bounds = period.utc_bounds(settings.timezone)
    bands = target_bands(settings)
    version = cache.version()
    lead_stats = cache.cached(version, ("leads", bounds), lambda: q.lead_stats(bounds))
    counts = cache.cached(version, ("calls", bounds), lambda: q.call_counts(bounds))
    call_stats = {key: replace(stats) for key, stats in counts.items()}  # scores added below
    q.add_scores(call_stats, bounds)
    ad_stats = q.ad_stats()
    buyers = cache.cached(version, ("buyers", bounds), lambda: q.buyer_counts(bounds))

    rows: list[Figures] = []
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.name)):
        share = overlap_share(campaign, period.start, period.end, today)
        if share == 0 and campaign.id not in lead_stats and campaign.id not in call_stats:
            continue
        rows.append(
            _campaign_row(campaign, share, lead_stats, call_stats, ad_stats, buyers.by_campaign)
        )
    if None in lead_stats or None in call_stats:
        rows.append(
            Figures(
                key="none",
                label=_("Without a campaign"),
                leads=lead_stats.get(None, q.LeadStats()),
                calls=call_stats.get(None, q.CallStats()),
                ads=ad_stats.get(None, q.AdStats()),
                buyers=buyers.by_campaign.get(None, (0, 0))[0],
                repeat_buyers=buyers.by_campaign.get(None, (0, 0))[1],
            )
        )

    labels = {"mass": _("All mass campaigns"), "targeted": _("All targeted campaigns")}
    kinds = [kind for kind in CAMPAIGN_KINDS if any(r.kind == kind for r in rows)]
    # Subtotals per kind only when both kinds are present: otherwise they repeat the overall row.
    totals = [
        _sum_rows(
            kind, labels[kind], [r for r in rows if r.kind == kind], buyers.by_kind.get(kind), kind
        )
        for kind in (kinds if len(kinds) > 1 else [])
    ]
    overall = _sum_rows("all", _("Overall"), rows, buyers.overall, None)
    if len(kinds) == 1:
        overall.kind = kinds[0]
    for row in [*rows, *totals, overall]:
        row.colour(bands)

    focus = next((r for r in rows if r.campaign and r.campaign.id == campaign_id), overall)
    campaigns = [r.campaign for r in rows if r.campaign]
    trend = _trend(period, bounds, settings, focus, campaigns, today, version)
    return Dashboard(
        period=period,
        currency=settings.currency,
        bands=bands,
        rows=rows,
        totals=totals,
        overall=overall,
        focus=focus,
        trend=trend,
    )


def _campaign_row(
    campaign: Campaign,
    share: float,
    lead_stats: dict[int | None, q.LeadStats],
    call_stats: dict[int | None, q.CallStats],
    ad_stats: dict[int | None, q.AdStats],
    buyers: dict[int | None, tuple[int, int]],
) -> Figures:
    leads = lead_stats.get(campaign.id, q.LeadStats())
    views = campaign.views * share
    return Figures(
        key=str(campaign.id),
        label=campaign.name,
        kind=campaign.kind,
        campaign=campaign,
        views=views,
        spend=(q.spend_decimal(campaign.spend) * Decimal(share)).quantize(Decimal("0.01")),
        view_leads=leads.leads if views > 0 else 0,
        leads=leads,
        paid=leads,
        calls=call_stats.get(campaign.id, q.CallStats()),
        ads=ad_stats.get(campaign.id, q.AdStats()),
        buyers=buyers.get(campaign.id, (0, 0))[0],
        repeat_buyers=buyers.get(campaign.id, (0, 0))[1],
    )


def _sum_rows(
    key: str, label: str, rows: list[Figures], buyers: tuple[int, int] | None, kind: str | None
) -> Figures:
    """Add up campaign rows (aggregates only); buyers come from their own distinct count."""
    total = Figures(key=key, label=label, kind=kind, views=0.0, spend=Decimal("0"))
    for row in rows:
        if row.campaign is not None:
            total.views = (total.views or 0) + (row.views or 0)
            total.spend = (total.spend or Decimal("0")) + (row.spend or Decimal("0"))
            _add_leads(total.paid, row.leads)
        total.view_leads += row.view_leads
        _add_leads(total.leads, row.leads)
        for name in (
            "calls",
            "price_calls",
            "assortment_calls",
            "reviews",
            "score_sum",
            "shops",
            "shop_score_sum",
        ):
            setattr(total.calls, name, getattr(total.calls, name) + getattr(row.calls, name))
        for name in ("texts", "audited", "passed"):
            setattr(total.ads, name, getattr(total.ads, name) + getattr(row.ads, name))
    total.buyers, total.repeat_buyers = buyers or (0, 0)
    return total


def _add_leads(total: q.LeadStats, part: q.LeadStats) -> None:
    for name in ("leads", "reached", "won", "quality_sum", "price_leads", "assortment_leads"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    for channel in LEAD_CHANNELS:
        total.by_channel[channel] += part.by_channel.get(channel, 0)


def _trend(
    period: Period,
    bounds: tuple[datetime, datetime],
    settings: CompanySettings,
    focus: Figures,
    campaigns: list[Campaign],
    today: date,
    version: cache.Version,
) -> Trend:
    """Leads, sales and conversions per week (weeks start on Monday)."""
    zone = ZoneInfo(settings.timezone)
    # One offset for the whole period: a DST change moves at most an hour of leads across midnight.
    offset = zone.utcoffset(datetime.combine(period.start, time.min)) or timedelta(0)
    campaign_id = focus.campaign.id if focus.campaign else None
    minutes = int(offset.total_seconds() // 60)
    daily = cache.cached(
        version,
        ("daily", bounds, minutes, campaign_id),
        lambda: q.daily_leads(bounds, minutes, campaign_id),
    )
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = [
        first_monday + timedelta(weeks=i) for i in range((period.end - first_monday).days // 7 + 1)
    ]
    leads, won, viewed = [0] * len(weeks), [0] * len(weeks), [0] * len(weeks)
    for day, (n, n_won, n_viewed) in daily.items():
        index = (day - first_monday).days // 7
        if 0 <= index < len(weeks):
            leads[index] += n
            won[index] += n_won
            viewed[index] += n_viewed
    views = _weekly_views(weeks, period, [focus.campaign] if focus.campaign else campaigns, today)
    return Trend(
        weeks=weeks,
        leads=leads,
        won=won,
        lead_to_sale=[_ratio(w, n) for w, n in zip(won, leads, strict=True)],
        view_to_lead=[_ratio(n, v) for n, v in zip(viewed, views, strict=True)],
    )


def _weekly_views(
    weeks: list[date], period: Period, campaigns: list[Campaign], today: date
) -> list[float]:
    """Each week's views, prorated over only the weeks a campaign's run touches.

    The other weeks' shares are 0; skipping them leaves every sum as it was (a year's 53 weeks
    by 200 campaigns were 10,000 calls, most of them for nothing).
    """
    views: list[float] = [0] * len(weeks)
    for campaign in campaigns:
        if campaign.starts_on is None:
            touched = range(len(weeks))
        else:
            run_end = campaign.ends_on or max(today, campaign.starts_on)
            first = (max(campaign.starts_on, period.start) - weeks[0]).days // 7
            last = (min(run_end, period.end) - weeks[0]).days // 7
            touched = range(max(first, 0), min(last, len(weeks) - 1) + 1)
        for index in touched:
            start = max(weeks[index], period.start)
            end = min(weeks[index] + timedelta(days=6), period.end)
            views[index] += campaign.views * overlap_share(campaign, start, end, today)
    return views
