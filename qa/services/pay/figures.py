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
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, exists, func, select

from qa import timefmt
from qa.extensions import db
from qa.models import Appointment, Call, Campaign, Finding, Lead, Review, ReviewSubject
from qa.services.admin.settings import company_settings
from qa.services.marketing.dashboards import overlap_share
from qa.services.marketing.kpi_queries import call_in_period, counted_review, in_period

HUNDREDTH = Decimal("0.01")
# Up to this many people, queries name them (IN); beyond, they read the period and filter.
FEW = 20
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
    # Filled for appointments, reviews and calls only (see month_sources for the rest).
    sources: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    lead_count: int = 0
    won_count: int = 0
    viewed_leads: int = 0
    views: float = 0.0
    spend: Decimal = Decimal(0)

    @property
    def revenue(self) -> Decimal:
        return self.values.get("revenue") or Decimal(0)

    @property
    def leads(self) -> int:
        return self.lead_count


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


# Whose leads count, by what the person is paid as.
LEAD_OWNER = {"marketer": Campaign.owner_id, "seller": Lead.seller_id, "setter": Lead.setter_id}


def _bounds(month: date) -> tuple[datetime, datetime]:
    return timefmt.day_bounds(month, month_end(month), ZoneInfo(company_settings().timezone))


def month_figures(month: date, roles: dict[int, str]) -> dict[int, PersonFigures]:
    """Figures of every person in ``roles`` (agent id -> pay role) for the month.

    One GROUP BY query per kind of figure for everyone at once; the records behind the
    figures are listed by :func:`month_sources`, for one person when they are needed.
    """
    month = month_start(month)
    bounds = _bounds(month)
    ids = list(roles)
    result = {agent_id: PersonFigures() for agent_id in ids}
    won = Lead.status == "won"
    for role, column in LEAD_OWNER.items():
        people = [agent_id for agent_id, r in roles.items() if r == role]
        if not people:
            continue
        query = (
            select(
                column,
                func.count(Lead.id),
                func.sum(case((won, 1), else_=0)),
                func.sum(case((won, Lead.sale_amount), else_=0)),
                func.sum(case((Campaign.views > 0, 1), else_=0)),
            )
            .select_from(Lead)
            .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
            .where(in_period(Lead.created_at, bounds), column.is_not(None))
            .group_by(column)
        )
        # No IN (people) filter: it would lead SQLite to the person's index over all time.
        for agent_id, count, won_count, revenue, viewed in db.session.execute(query):
            if roles.get(agent_id) != role:
                continue
            person = result[agent_id]
            person.lead_count = int(count)
            person.won_count = int(won_count or 0)
            person.values["revenue"] = Decimal(str(revenue or 0)).quantize(HUNDREDTH)
            person.viewed_leads = int(viewed or 0)
    _campaigns(month, bounds, roles, result)
    for agent_id, role in roles.items():
        person = result[agent_id]
        person.values.setdefault("revenue", Decimal("0.00"))
        person.values["lead_sale"] = _ratio(person.won_count, person.lead_count)
        person.values["won_leads"] = Decimal(person.won_count)
        if role == "marketer":
            person.values["view_lead"] = _ratio(person.viewed_leads, person.views)
            cost = person.spend / person.lead_count if person.lead_count and person.spend else None
            person.values["cost_per_lead"] = (
                None if cost is None else cost.quantize(HUNDREDTH, ROUND_HALF_UP)
            )
    _appointments(bounds, result)
    _reviews(bounds, result)
    _objections(bounds, result)
    return result


def _owned_campaigns(month: date, agent_ids: list[int]) -> list[tuple[Campaign, float]]:
    """Each campaign the people own with the share of its run that falls in the month."""
    today = timefmt.local_today()
    found = []
    for campaign in db.session.scalars(select(Campaign).where(Campaign.owner_id.in_(agent_ids))):
        share = overlap_share(campaign, month, month_end(month), today)
        if share > 0:
            found.append((campaign, share))
    return found


def _campaigns(
    month: date, bounds: Any, roles: dict[int, str], result: dict[int, PersonFigures]
) -> None:
    marketers = [agent_id for agent_id, role in roles.items() if role == "marketer"]
    for campaign, share in _owned_campaigns(month, marketers):
        person = result[int(campaign.owner_id or 0)]
        person.views += campaign.views * share
        person.spend += Decimal(campaign.spend or 0) * Decimal(str(share))


def month_sources(month: date, agent_id: int, role: str) -> dict[str, list[int]]:
    """The ids of the records behind one person's figures for the month."""
    month = month_start(month)
    bounds = _bounds(month)
    column = LEAD_OWNER.get(role)
    found: dict[str, list[int]] = {kind: [] for kind in SOURCE_KINDS}
    if column is not None:
        query = (
            select(Lead.id, Lead.status)
            .select_from(Lead)
            .outerjoin(Campaign, Campaign.id == Lead.campaign_id)
            .where(in_period(Lead.created_at, bounds), column == agent_id)
            .order_by(Lead.id)
        )
        for lead_id, status in db.session.execute(query):
            found["leads"].append(lead_id)
            if status == "won":
                found["won"].append(lead_id)
    if role == "marketer":
        found["campaigns"] = [campaign.id for campaign, _ in _owned_campaigns(month, [agent_id])]
    single = {agent_id: PersonFigures()}
    _appointments(bounds, single)
    _reviews(bounds, single)
    _objections(bounds, single)
    for kind, ids in single[agent_id].sources.items():
        found[kind] = sorted(ids)
    return found


def _people(column: Any, result: dict[int, PersonFigures]) -> Any:
    """Rows of these people: by IN for a few; for many, every row of the period (filtered
    afterwards), since an IN over many people leads SQLite to their index over all time."""
    return column.in_(list(result)) if len(result) <= FEW else column.is_not(None)


def _appointments(bounds: Any, result: dict[int, PersonFigures]) -> None:
    query = select(Appointment.id, Appointment.setter_id).where(
        _people(Appointment.setter_id, result),
        Appointment.held.is_(True),
        in_period(Appointment.scheduled_at, bounds),
    )
    for appointment_id, setter_id in db.session.execute(query):
        if setter_id in result:
            result[setter_id].sources["appointments"].append(appointment_id)
    for person in result.values():
        person.values["appointments_held"] = Decimal(len(person.sources["appointments"]))


def _reviews(bounds: Any, result: dict[int, PersonFigures]) -> None:
    query = (
        select(Review.id, Review.score, ReviewSubject.agent_id, ReviewSubject.kind)
        .join(ReviewSubject, ReviewSubject.id == Review.subject_id)
        .where(
            counted_review(),
            _people(ReviewSubject.agent_id, result),
            in_period(ReviewSubject.occurred_at, bounds),
        )
    )
    scores: dict[tuple[int, str], list[float]] = defaultdict(list)
    for review_id, score, agent_id, kind in db.session.execute(query):
        if agent_id not in result:
            continue
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
            _people(Call.agent_id, result),
            call_in_period(bounds),
            exists().where(Finding.call_id == Call.id),
        )
    )
    won: dict[int, int] = defaultdict(int)
    for call_id, agent_id, status in db.session.execute(query):
        if agent_id not in result:
            continue
        result[agent_id].sources["calls"].append(call_id)
        won[agent_id] += status == "won"
    for agent_id, person in result.items():
        person.values["objection_handling"] = _ratio(won[agent_id], len(person.sources["calls"]))
