"""Drill-down: the leads, calls or ad texts behind one figure of the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, func, select, true
from sqlalchemy.orm import aliased, selectinload

from qa.extensions import db
from qa.models import AdAudit, AdText, Call, Campaign, Lead, Review
from qa.models.company import CAMPAIGN_KINDS
from qa.services.admin.settings import company_settings
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing import kpi_queries as q
from qa.services.marketing.dashboards import Period
from qa.services.validation import record_id
from qa.vocabulary import LEAD_CHANNEL, OBJECTION_FLAG

LEAD_METRICS: dict[str, Any] = {
    "leads": _l("Leads"),
    "qualified": _l("Leads that reached qualified or won"),
    "won": _l("Won leads"),
    "repeat": _l("Won leads of customers who had bought before the period"),
    # "<objection>_leads" and "leads_<channel>", one per value of the vocabulary.
    **{
        f"{term.value}_leads": _l("Leads whose calls showed %(objection)s",
                                  objection=term.a_phrase)
        for term in OBJECTION_FLAG
    },
    **{
        f"leads_{term.value}": _l("Leads from the channel “%(channel)s”", channel=term.label)
        for term in LEAD_CHANNEL
    },
}
CALL_METRICS: dict[str, Any] = {
    "calls": _l("Transcribed calls"),
    **{
        f"{term.value}_calls": _l("Calls with %(objection)s", objection=term.a_phrase)
        for term in OBJECTION_FLAG
    },
    "reviewed_calls": _l("Reviewed calls (QA score)"),
}
AD_METRICS: dict[str, Any] = {
    "ad_texts": _l("Ad texts"),
    "ads_failed": _l("Ad texts whose latest audit failed"),
}
METRICS = {**LEAD_METRICS, **CALL_METRICS, **AD_METRICS}


@dataclass(frozen=True)
class LeadDetail:
    quality: float
    price: bool
    assortment: bool

    def flagged(self, objection: str) -> bool:
        """Whether any call of the lead shows ``objection`` (a value of vocabulary.OBJECTION)."""
        return bool(getattr(self, objection, False))


@dataclass(frozen=True)
class CallDetail:
    price: bool
    assortment: bool
    qa_score: float | None

    def flagged(self, objection: str) -> bool:
        return bool(getattr(self, objection, False))


@dataclass(frozen=True)
class Drill:
    metric: str
    title: str
    items: str  # "leads", "calls" or "ad_texts"
    scope: str
    scope_label: str
    pagination: Pagination
    details: dict[int, Any] = field(default_factory=dict)


def drill_down(period: Period, scope: str, metric: str, page: int, per_page: int = 50) -> Drill:
    """One page of what lies behind ``metric`` for ``scope`` (campaign id, kind, none or all)."""
    if metric not in METRICS:
        raise ValidationFailed(_("Unknown figure: %(metric)s", metric=metric))
    scope_label = _scope_label(scope)
    timezone = company_settings().timezone
    bounds = period.utc_bounds(timezone)
    details: dict[int, Any]
    if metric in LEAD_METRICS:
        pagination = db.paginate(
            _lead_query(metric, scope, bounds), page=page, per_page=per_page, error_out=False
        )
        details = lead_details([lead.id for lead in pagination.items])
        items = "leads"
    elif metric in CALL_METRICS:
        pagination = db.paginate(
            _call_query(metric, scope, bounds), page=page, per_page=per_page, error_out=False
        )
        details = _call_details([call.id for call in pagination.items])
        items = "calls"
    else:
        pagination = db.paginate(
            _ad_query(metric, scope), page=page, per_page=per_page, error_out=False
        )
        details = {t.id: t.latest_audit for t in pagination.items}
        items = "ad_texts"
    return Drill(
        metric=metric,
        title=str(METRICS[metric]),
        items=items,
        scope=scope,
        scope_label=scope_label,
        pagination=pagination,
        details=details,
    )


def _scope_label(scope: str) -> str:
    labels = {
        "all": _("All campaigns and leads without one"),
        "none": _("Without a campaign"),
        "mass": _("All mass campaigns"),
        "targeted": _("All targeted campaigns"),
    }
    if scope in labels:
        return str(labels[scope])
    campaign_id = record_id(scope, field=_("Campaign")) if scope.isdigit() else None
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign is None:
        raise NotFound(_("No such campaign."))
    return str(campaign.name)


def _in_scope(column: Any, scope: str) -> Any:
    if scope == "all":
        return true()
    if scope == "none":
        return column.is_(None)
    if scope in CAMPAIGN_KINDS:
        return column.in_(select(Campaign.id).where(Campaign.kind == scope))
    return column == int(scope)


def _lead_query(metric: str, scope: str, bounds: tuple[datetime, datetime]) -> Any:
    query = (
        select(Lead)
        .options(selectinload(Lead.campaign))
        .where(q.in_period(Lead.created_at, bounds), _in_scope(Lead.campaign_id, scope))
        .order_by(Lead.created_at.desc(), Lead.id.desc())
    )
    if metric == "qualified":
        query = query.where(Lead.status.in_(q.REACHED_STATUSES))
    elif metric == "won":
        query = query.where(Lead.status == "won")
    elif metric == "repeat":
        earlier = aliased(Lead)
        query = query.where(
            Lead.status == "won",
            exists().where(
                earlier.customer_id == Lead.customer_id,
                earlier.status == "won",
                earlier.created_at < bounds[0],
            ),
        )
    elif metric.endswith("_leads") and metric.removesuffix("_leads") in OBJECTION_FLAG:
        label = metric.removesuffix("_leads")
        query = query.where(exists().where(Call.lead_id == Lead.id, q.has_finding(label)))
    elif metric.startswith("leads_"):
        query = query.where(Lead.channel == metric.removeprefix("leads_"))
    return query


def _call_query(metric: str, scope: str, bounds: tuple[datetime, datetime]) -> Any:
    moment = q.call_moment()
    query = (
        select(Call)
        .options(selectinload(Call.campaign), selectinload(Call.agent), selectinload(Call.lead))
        .where(_in_scope(Call.campaign_id, scope), q.call_in_period(bounds))
        .order_by(moment.desc(), Call.id.desc())
    )
    if metric == "reviewed_calls":
        return query.where(exists().where(Review.call_id == Call.id, q.counted_review()))
    query = query.where(Call.status == "transcribed")
    if metric.endswith("_calls") and metric.removesuffix("_calls") in OBJECTION_FLAG:
        query = query.where(q.has_finding(metric.removesuffix("_calls")))
    return query


def _ad_query(metric: str, scope: str) -> Any:
    query = (
        select(AdText)
        .options(selectinload(AdText.audits), selectinload(AdText.campaign))
        .where(_in_scope(AdText.campaign_id, scope))
        .order_by(AdText.created_at.desc(), AdText.id.desc())
    )
    if metric == "ads_failed":
        latest = q.latest_audits()
        query = (
            query.join(latest, latest.c.ad_text_id == AdText.id)
            .join(AdAudit, AdAudit.id == latest.c.audit_id)
            .where(q.ad_passed_expr() == 0)
        )
    return query


def lead_details(ids: list[int]) -> dict[int, LeadDetail]:
    """Lead quality and resistance of each lead in ``ids``."""
    if not ids:
        return {}
    flags = q.lead_flags(ids)
    query = (
        select(Lead.id, q.lead_quality_expr(flags), flags.c.price, flags.c.assortment)
        .outerjoin(flags, flags.c.lead_id == Lead.id)
        .where(Lead.id.in_(ids))
    )
    return {
        lead_id: LeadDetail(quality=float(quality), price=bool(price), assortment=bool(assortment))
        for lead_id, quality, price, assortment in db.session.execute(query)
    }


def _call_details(ids: list[int]) -> dict[int, CallDetail]:
    """Objection flags and the average counted review score of each call in ``ids``."""
    if not ids:
        return {}
    scores = (
        select(Review.call_id.label("call_id"), func.avg(Review.score).label("score"))
        .where(Review.call_id.in_(ids), q.counted_review())
        .group_by(Review.call_id)
        .subquery("scores")
    )
    query = (
        select(Call.id, q.has_finding(q.PRICE), q.has_finding(q.ASSORTMENT), scores.c.score)
        .outerjoin(scores, scores.c.call_id == Call.id)
        .where(Call.id.in_(ids))
    )
    return {
        call_id: CallDetail(
            price=bool(price),
            assortment=bool(assortment),
            qa_score=float(score) if score is not None else None,
        )
        for call_id, price, assortment, score in db.session.execute(query)
    }
