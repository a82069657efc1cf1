"""Each paid person's figures for one month, queried in bulk, with the records behind them.

Whose leads count depends on what the person is paid as: a marketer's are the leads of the
campaigns they own, a seller's the leads they closed, an appointment setter's the leads they
booked. Percentages and averages are rounded to 0.01 half up; counts and money are exact.
A campaign's views and spend count in the share of its run that falls in the month (the
dashboard's rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select

from qa import timefmt
from qa.extensions import db
from qa.models import Appointment, Call, Campaign, Finding, Lead, Review, ReviewSubject
from qa.services.admin.settings import company_settings
from qa.services.marketing.dashboards import overlap_share
from qa.services.marketing.kpi_queries import call_in_period, counted_review, in_period

HUNDREDTH = Decimal("0.01")
# Where each source list leads to on the drill-down page.
SOURCE_KINDS = ("leads", "won", "campaigns", "appointments", "reviews", "shops", "calls")
# The sources behind each figure.
FIGURE_SOURCES = {
    "view_lead": "campaigns",
    "lead_sale": "leads",
    "revenue": "won",
    "won_leads": "won",
    "appointments_held": "appointments",
    "cost_per_lead": "campaigns",
    "qa_score": "reviews",
    "mystery_score": "shops",
    "objection_handling": "calls",
}


@dataclass
class PersonFigures:
    values: dict[str, Decimal | None] = field(default_factory=dict)
    sources: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def revenue(self) -> Decimal:
        return self.values.get("revenue") or Decimal(0)

    @property
    def leads(self) -> int:
        return len(self.sources.get("leads", []))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _ratio(part: Decimal | int, whole: Decimal | int | float) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(str(whole))).quantize(HUNDREDTH, ROUND_HALF_UP)


def _mean(values: list[float]) -> Decimal | None:
    if not values:
        return None
    return (sum(Decimal(str(v)) for v in values) / len(values)).quantize(HUNDREDTH, ROUND_HALF_UP)


@dataclass
class _LeadRow:
    id: int
    won: bool
    amount: Decimal


def month_figures(month: date, roles: dict[int, str]) -> dict[int, PersonFigures]:
    """Figures of every person in ``roles`` (agent id -> pay role) for the month."""
    month = month_start(month)
    last = month_end(month)
    settings = company_settings()
    bounds = timefmt.day_bounds(month, last, ZoneInfo(settings.timezone))
    ids = list(roles)
    result = {agent_id: PersonFigures() for agent_id in ids}
    by_role: dict[str, dict[int, list[_LeadRow]]] = {
        "marketer": defaultdict(list),
        "seller": defaultdict(list),
        "setter": defaultdict(list),
    }
    leads_query = (
        select(
            Lead.id,
            Lead.status,
            Lead.sale_amount,
            Lead.seller_id,
            Lead.setter_id,
            Campaign.owner_id,
            Campaign.views,
        )
        .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
        .where(in_period(Lead.created_at, bounds))
    )
    viewed_leads: dict[int, int] = defaultdict(int)
    for lead_id, status, amount, seller, setter, owner, views in db.session.execute(leads_query):
        row = _LeadRow(lead_id, status == "won", Decimal(amount or 0))
        for role, person in (("marketer", owner), ("seller", seller), ("setter", setter)):
            if person is not None:
                by_role[role][person].append(row)
        if owner is not None and views:
            viewed_leads[owner] += 1
    views: dict[int, float] = defaultdict(float)
    spend: dict[int, Decimal] = defaultdict(Decimal)
    owned = select(Campaign).where(Campaign.owner_id.in_(ids))
    today = timefmt.local_today()
    for campaign in db.session.scalars(owned):
        share = overlap_share(campaign, month, last, today)
        if share <= 0:
            continue
        owner_id = int(campaign.owner_id or 0)
        views[owner_id] += campaign.views * share
        spend[owner_id] += Decimal(campaign.spend or 0) * Decimal(str(share))
        result[owner_id].sources["campaigns"].append(campaign.id)
    for agent_id, role in roles.items():
        person = result[agent_id]
        rows = by_role.get(role, {}).get(agent_id, [])
        won = [r for r in rows if r.won]
        person.sources["leads"] = [r.id for r in rows]
        person.sources["won"] = [r.id for r in won]
        person.values.update(
            {
                "lead_sale": _ratio(len(won), len(rows)),
                "revenue": sum((r.amount for r in won), Decimal(0)),
                "won_leads": Decimal(len(won)),
            }
        )
        if role == "marketer":
            person.values["view_lead"] = _ratio(viewed_leads[agent_id], views[agent_id])
            cost = spend[agent_id] / len(rows) if rows and agent_id in spend else None
            person.values["cost_per_lead"] = (
                None if cost is None else cost.quantize(HUNDREDTH, ROUND_HALF_UP)
            )
    _appointments(bounds, result)
    _reviews(bounds, result)
    _objections(bounds, result)
    return result


def _appointments(bounds: Any, result: dict[int, PersonFigures]) -> None:
    query = select(Appointment.id, Appointment.setter_id).where(
        Appointment.setter_id.in_(list(result)),
        Appointment.held.is_(True),
        in_period(Appointment.scheduled_at, bounds),
    )
    for appointment_id, setter_id in db.session.execute(query):
        result[setter_id].sources["appointments"].append(appointment_id)
    for person in result.values():
        person.values["appointments_held"] = Decimal(len(person.sources["appointments"]))


def _reviews(bounds: Any, result: dict[int, PersonFigures]) -> None:
    query = (
        select(Review.id, Review.score, ReviewSubject.agent_id, ReviewSubject.kind)
        .join(ReviewSubject, ReviewSubject.id == Review.subject_id)
        .where(
            counted_review(),
            ReviewSubject.agent_id.in_(list(result)),
            in_period(ReviewSubject.occurred_at, bounds),
        )
    )
    scores: dict[tuple[int, str], list[float]] = defaultdict(list)
    for review_id, score, agent_id, kind in db.session.execute(query):
        source = "shops" if kind == "mystery_shop" else "reviews"
        scores[(agent_id, source)].append(float(score))
        result[agent_id].sources[source].append(review_id)
    for agent_id, person in result.items():
        person.values["qa_score"] = _mean(scores[(agent_id, "reviews")])
        person.values["mystery_score"] = _mean(scores[(agent_id, "shops")])


def _objections(bounds: Any, result: dict[int, PersonFigures]) -> None:
    """Calls with an objection, and how many of them belong to a won lead."""
    query = (
        select(Call.id, Call.agent_id, Lead.status)
        .outerjoin(Lead, Lead.id == Call.lead_id)
        .where(
            Call.agent_id.in_(list(result)),
            call_in_period(bounds),
            exists().where(Finding.call_id == Call.id),
        )
    )
    won: dict[int, int] = defaultdict(int)
    for call_id, agent_id, status in db.session.execute(query):
        result[agent_id].sources["calls"].append(call_id)
        won[agent_id] += status == "won"
    for agent_id, person in result.items():
        person.values["objection_handling"] = _ratio(won[agent_id], len(person.sources["calls"]))
