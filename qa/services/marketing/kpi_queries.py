"""The SQL aggregates behind the dashboard: one GROUP BY query per kind of figure.

Every query here aggregates in the database and returns a handful of rows per campaign (or per
day), so the dashboard's cost does not grow with the number of leads and calls it summarises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Subquery,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from qa.extensions import db
from qa.models import (
    AdAudit,
    AdText,
    Call,
    Campaign,
    Finding,
    Lead,
    Review,
    ReviewSubject,
    ShopAssignment,
    ShopReport,
)
from qa.models.company import LEAD_CHANNELS

PRICE = "price"
ASSORTMENT = "assortment"
REACHED_STATUSES = ("qualified", "won")
# Lead quality: points for how far the lead got, minus points for resistance in its calls.
STAGE_POINTS = {"won": 100, "qualified": 70, "new": 30, "lost": 0}
RESISTANCE_PENALTY = 20
# Mystery shops whose report is final (as in qa.services.mystery.results).
FINAL_SHOP_STATES = ("published", "disputed", "resolved")


@dataclass
class LeadStats:
    leads: int = 0
    reached: int = 0
    won: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEAD_CHANNELS, 0))
    quality_sum: float = 0.0
    price_leads: int = 0
    assortment_leads: int = 0


@dataclass
class CallStats:
    calls: int = 0
    price_calls: int = 0
    assortment_calls: int = 0
    reviews: int = 0
    score_sum: float = 0.0
    # Final mystery shops of the period and their validated scores: seller quality too, kept
    # apart from call reviews (another scorecard, another way of looking).
    shops: int = 0
    shop_score_sum: float = 0.0


@dataclass
class AdStats:
    texts: int = 0
    audited: int = 0
    passed: int = 0


def has_finding(label: str) -> ColumnElement[bool]:
    """True for a call (in the enclosing query) with at least one finding labelled ``label``."""
    return exists().where(Finding.call_id == Call.id, Finding.label == label)


def _flag(label: str) -> ColumnElement[Any]:
    return case((has_finding(label), 1), else_=0)


def lead_flags(lead_ids: Any) -> Subquery:
    """Per lead (of ``lead_ids``, a list or select): did any of its calls show resistance."""
    return (
        select(
            Call.lead_id.label("lead_id"),
            func.max(_flag(PRICE)).label("price"),
            func.max(_flag(ASSORTMENT)).label("assortment"),
        )
        .where(Call.lead_id.in_(lead_ids))
        .group_by(Call.lead_id)
        .subquery("lead_flags")
    )


def stage_points_expr() -> ColumnElement[Any]:
    """Points for how far a lead got, as a SQL expression over Lead."""
    return case(*((Lead.status == s, p) for s, p in STAGE_POINTS.items()), else_=0)


def lead_quality_expr(flags: Subquery) -> ColumnElement[Any]:
    """Lead quality of one lead, 0-100, as a SQL expression over Lead and ``flags``."""
    stage = stage_points_expr()
    penalty = RESISTANCE_PENALTY * (
        func.coalesce(flags.c.price, 0) + func.coalesce(flags.c.assortment, 0)
    )
    return case((stage - penalty < 0, 0), else_=stage - penalty)


def in_period(column: Any, bounds: tuple[datetime, datetime]) -> ColumnElement[bool]:
    return and_(column >= bounds[0], column < bounds[1])


def call_moment() -> ColumnElement[Any]:
    """When a call happened: its call time, else its upload time."""
    return func.coalesce(Call.called_at, Call.created_at)


def call_in_period(bounds: tuple[datetime, datetime]) -> ColumnElement[bool]:
    """``call_moment()`` in the period, written so that both timestamp indexes can serve it."""
    return or_(
        in_period(Call.called_at, bounds),
        and_(Call.called_at.is_(None), in_period(Call.created_at, bounds)),
    )


def lead_stats(bounds: tuple[datetime, datetime]) -> dict[int | None, LeadStats]:
    """Leads created in the period, per campaign id (None: no campaign)."""
    # Two queries: counts over the period's leads, then the resistance of the few leads with
    # flagged calls. One outer-joined query makes SQLite walk every lead in campaign order.
    counts = (
        select(
            Lead.campaign_id,
            func.count(Lead.id),
            func.sum(case((Lead.status.in_(REACHED_STATUSES), 1), else_=0)),
            func.sum(case((Lead.status == "won", 1), else_=0)),
            *(func.sum(case((Lead.channel == ch, 1), else_=0)) for ch in LEAD_CHANNELS),
            func.sum(stage_points_expr()),
        )
        .where(in_period(Lead.created_at, bounds))
        .group_by(Lead.campaign_id)
    )
    stats: dict[int | None, LeadStats] = {}
    for campaign_id, leads, reached, won, *rest in db.session.execute(counts):
        channels, stage_sum = rest[: len(LEAD_CHANNELS)], rest[len(LEAD_CHANNELS)]
        stats[campaign_id] = LeadStats(
            leads=int(leads),
            reached=int(reached or 0),
            won=int(won or 0),
            by_channel={ch: int(n or 0) for ch, n in zip(LEAD_CHANNELS, channels, strict=True)},
            quality_sum=float(stage_sum or 0),
        )
    flags = lead_flags(select(Lead.id).where(in_period(Lead.created_at, bounds)))
    resistance = (
        select(
            Lead.campaign_id,
            func.sum(lead_quality_expr(flags) - stage_points_expr()),
            func.sum(flags.c.price),
            func.sum(flags.c.assortment),
        )
        .select_from(flags)
        .join(Lead, Lead.id == flags.c.lead_id)
        .where(in_period(Lead.created_at, bounds))  # already so; lets the planner use the index
        .group_by(Lead.campaign_id)
    )
    for campaign_id, quality_change, price_leads, assortment_leads in db.session.execute(
        resistance
    ):
        entry = stats.setdefault(campaign_id, LeadStats())
        entry.quality_sum += float(quality_change or 0)
        entry.price_leads = int(price_leads or 0)
        entry.assortment_leads = int(assortment_leads or 0)
    return stats


@dataclass
class BuyerCounts:
    """Buying customers of the period and how many had bought before, as (buyers, repeat).

    A customer counts once per row, so the kind and overall counts are not sums of campaigns.
    """

    by_campaign: dict[int | None, tuple[int, int]] = field(default_factory=dict)
    by_kind: dict[str | None, tuple[int, int]] = field(default_factory=dict)
    overall: tuple[int, int] = (0, 0)


def buyer_counts(bounds: tuple[datetime, datetime]) -> BuyerCounts:
    """Customers with a won lead in the period, and those with a won lead before it."""
    earlier = aliased(Lead)
    bought_before = exists().where(
        earlier.customer_id == Lead.customer_id,
        earlier.status == "won",
        earlier.created_at < bounds[0],
    )
    # One row per (campaign, customer); whether the customer bought before is checked once.
    buyers = (
        select(
            Lead.campaign_id.label("campaign_id"),
            Lead.customer_id.label("customer_id"),
            case((bought_before, 1), else_=0).label("repeat"),
        )
        .where(
            in_period(Lead.created_at, bounds),
            Lead.status == "won",
            Lead.customer_id.is_not(None),
        )
        .distinct()
        .cte("buyers")
    )
    repeat_customer = case((buyers.c.repeat == 1, buyers.c.customer_id))
    per_campaign = select(
        literal("campaign").label("level"),
        buyers.c.campaign_id,
        literal(None, String).label("kind"),
        func.count(buyers.c.customer_id),
        func.sum(buyers.c.repeat),
    ).group_by(buyers.c.campaign_id)
    per_kind = (
        select(
            literal("kind"),
            literal(None, Integer),
            Campaign.kind,
            func.count(func.distinct(buyers.c.customer_id)),
            func.count(func.distinct(repeat_customer)),
        )
        .select_from(buyers)
        .outerjoin(Campaign, Campaign.id == buyers.c.campaign_id)
        .group_by(Campaign.kind)
    )
    overall = select(
        literal("all"),
        literal(None, Integer),
        literal(None, String),
        func.count(func.distinct(buyers.c.customer_id)),
        func.count(func.distinct(repeat_customer)),
    )
    counts = BuyerCounts()
    for level, campaign_id, kind, n, repeat in db.session.execute(
        union_all(per_campaign, per_kind, overall)
    ):
        pair = (int(n or 0), int(repeat or 0))
        if level == "campaign":
            counts.by_campaign[campaign_id] = pair
        elif level == "kind":
            counts.by_kind[kind] = pair
        else:
            counts.overall = pair
    return counts


def call_counts(bounds: tuple[datetime, datetime]) -> dict[int | None, CallStats]:
    """Transcribed calls of the period and their objection shares, per campaign (no reviews)."""
    query = (
        select(
            Call.campaign_id,
            func.count(Call.id),
            func.sum(_flag(PRICE)),
            func.sum(_flag(ASSORTMENT)),
        )
        .where(Call.status == "transcribed", call_in_period(bounds))
        .group_by(Call.campaign_id)
    )
    return {
        campaign_id: CallStats(
            calls=int(calls), price_calls=int(price or 0), assortment_calls=int(assortment or 0)
        )
        for campaign_id, calls, price, assortment in db.session.execute(query)
    }


def add_scores(stats: dict[int | None, CallStats], bounds: tuple[datetime, datetime]) -> None:
    """Add the period's counted call reviews and final mystery shops to ``stats``, per campaign.

    Kept apart from :func:`call_counts`: reviewers write reviews all day, and these two queries
    are cheap enough to run on every page.
    """
    # Joined through the subject, not Review.call_id (a correlated subquery per review), which
    # PostgreSQL ran as a subplan for each of a year's reviews: about twice the time.
    reviews_query = (
        select(Call.campaign_id, func.count(Review.id), func.sum(Review.score))
        .select_from(Review)
        .join(ReviewSubject, ReviewSubject.id == Review.subject_id)
        .join(Call, Call.id == ReviewSubject.call_id)
        .where(counted_review(), call_in_period(bounds))
        .group_by(Call.campaign_id)
    )
    for campaign_id, count, total in db.session.execute(reviews_query):
        entry = stats.setdefault(campaign_id, CallStats())
        entry.reviews, entry.score_sum = int(count), float(total or 0)
    for campaign_id, count, total in db.session.execute(shop_scores_query(bounds)):
        entry = stats.setdefault(campaign_id, CallStats())
        entry.shops, entry.shop_score_sum = int(count), float(total or 0)


def shop_scores_query(bounds: tuple[datetime, datetime]) -> Any:
    """Final mystery shops visited in the period: count and score sum per campaign.

    A shop counts once its report is published (or disputed, or resolved), with its own review;
    its moment is the visit's start the shopper reported, else the first day of the wave. Its
    campaign is that of the recording handed in with it, if any (usually none).
    """
    visited = func.coalesce(ShopReport.visit_started_at, ReviewSubject.occurred_at)
    return (
        select(Call.campaign_id, func.count(Review.id), func.sum(Review.score))
        .select_from(Review)
        .join(ReviewSubject, ReviewSubject.id == Review.subject_id)
        .join(ShopAssignment, ShopAssignment.id == ReviewSubject.shop_assignment_id)
        .outerjoin(ShopReport, ShopReport.assignment_id == ShopAssignment.id)
        .outerjoin(Call, Call.id == ShopReport.call_id)
        .where(
            counted_review(),
            ShopAssignment.state.in_(FINAL_SHOP_STATES),
            in_period(visited, bounds),
        )
        .group_by(Call.campaign_id)
    )


def counted_review() -> ColumnElement[bool]:
    """Reviews that count towards seller quality: regular reviews that are scored, not drafts."""
    return and_(Review.score.is_not(None), Review.is_regular, Review.status != "draft")


def ad_passed_expr() -> ColumnElement[Any]:
    """1 where the audit passed (AdAudit.passed, the one rule), else 0: for sums."""
    return case((AdAudit.passed, 1), else_=0)


def latest_audits() -> Subquery:
    """The id of each ad text's latest audit."""
    return (
        select(AdAudit.ad_text_id.label("ad_text_id"), func.max(AdAudit.id).label("audit_id"))
        .group_by(AdAudit.ad_text_id)
        .subquery("latest_audits")
    )


def ad_stats() -> dict[int | None, AdStats]:
    """Ad texts per campaign, how many are audited, and how many passed their latest audit."""
    latest = latest_audits()
    query = (
        select(
            AdText.campaign_id,
            func.count(AdText.id),
            func.count(AdAudit.id),
            func.sum(case((AdAudit.id.is_(None), 0), else_=ad_passed_expr())),
        )
        .outerjoin(latest, latest.c.ad_text_id == AdText.id)
        .outerjoin(AdAudit, AdAudit.id == latest.c.audit_id)
        .group_by(AdText.campaign_id)
    )
    return {
        cid: AdStats(texts=int(texts), audited=int(audited), passed=int(passed or 0))
        for cid, texts, audited, passed in db.session.execute(query)
    }


def local_day(column: Any, offset_minutes: int) -> ColumnElement[Any]:
    """The calendar day of a naive-UTC timestamp in a zone ``offset_minutes`` ahead of UTC."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(column, f"{offset_minutes:+d} minutes")
    return func.date(column + func.make_interval(0, 0, 0, 0, 0, offset_minutes))


def daily_leads(
    bounds: tuple[datetime, datetime], offset_minutes: int, campaign_id: int | None
) -> dict[date, tuple[int, int, int]]:
    """Per local day: leads, won leads, and leads of campaigns that record their views."""
    day = local_day(Lead.created_at, offset_minutes).label("day")
    query = (
        select(
            day,
            func.count(Lead.id),
            func.sum(case((Lead.status == "won", 1), else_=0)),
            func.sum(case((Campaign.views > 0, 1), else_=0)),
        )
        .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
        .where(in_period(Lead.created_at, bounds))
        .group_by(day)
    )
    if campaign_id is not None:
        query = query.where(Lead.campaign_id == campaign_id)
    return {
        date.fromisoformat(str(d)[:10]): (int(n), int(won or 0), int(viewed or 0))
        for d, n, won, viewed in db.session.execute(query)
    }


def spend_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))
