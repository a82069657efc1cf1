"""Agents: review scores over time and objection rates, computed from stored reviews and findings.

Scores go through review subjects (their agent and time). Call QA scores count call subjects
only: mystery-shop scores are kept apart (qa.services.mystery.results.for_agent).
Calibration reviews are left out: they measure the reviewers, not the agent.
An objection rate is the share of the agent's transcribed (analysed) calls that have at least
one finding of a label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, func, select

from qa.extensions import db
from qa.models import Agent, Call, Finding, Review, ReviewSubject, ScorecardVersion
from qa.services.quality.reviews import counted
from qa.timefmt import to_local
from qa.vocabulary import OBJECTION


@dataclass(frozen=True)
class ObjectionRate:
    """Calls with a finding of ``label`` among the analysed calls."""

    label: str
    flagged: int
    analysed: int

    @property
    def rate(self) -> float | None:
        return self.flagged / self.analysed if self.analysed else None


@dataclass(frozen=True)
class AgentSummary:
    """One row of the agents list."""

    agent: Agent
    calls: int
    reviews: int
    average_score: float | None
    rates: list[ObjectionRate]


@dataclass(frozen=True)
class WeekPoint:
    """Average review score of the agent's subjects (calls, ...) from one ISO week."""

    week_start: date
    average: float | None
    reviews: int


@dataclass(frozen=True)
class AgentOverview:
    """The agent page: reviews newest first, weekly averages oldest first, objection rates."""

    agent: Agent
    reviews: list[Review]
    weeks: list[WeekPoint]
    average_score: float | None
    rates: list[ObjectionRate]


def _regular_reviews():  # type: ignore[no-untyped-def]
    return counted(select(Review).join(ReviewSubject, ReviewSubject.id == Review.subject_id))


def objection_rates(agent_ids: list[int]) -> dict[int, list[ObjectionRate]]:
    """Per agent: price and assortment first, then any tracker labels found in their calls."""
    analysed = dict(
        db.session.execute(
            select(Call.agent_id, func.count(Call.id))
            .where(Call.agent_id.in_(agent_ids), Call.status == "transcribed")
            .group_by(Call.agent_id)
        ).all()
    )
    flagged: dict[int, dict[str, int]] = defaultdict(dict)
    query = (
        select(Call.agent_id, Finding.label, func.count(distinct(Call.id)))
        .join(Finding, Finding.call_id == Call.id)
        .where(Call.agent_id.in_(agent_ids), Call.status == "transcribed")
        .group_by(Call.agent_id, Finding.label)
    )
    for agent_id, label, count in db.session.execute(query):
        flagged[agent_id][label] = count
    result = {}
    for agent_id in agent_ids:
        labels = [*OBJECTION.values, *sorted(set(flagged[agent_id]) - set(OBJECTION.values))]
        result[agent_id] = [
            ObjectionRate(label, flagged[agent_id].get(label, 0), analysed.get(agent_id, 0))
            for label in labels
        ]
    return result


def list_agents() -> list[AgentSummary]:
    """Every agent with call and review counts, average score and objection rates."""
    agents = list(db.session.scalars(select(Agent).order_by(Agent.active.desc(), Agent.name)))
    ids = [a.id for a in agents]
    calls = dict(
        db.session.execute(
            select(Call.agent_id, func.count(Call.id))
            .where(Call.agent_id.in_(ids))
            .group_by(Call.agent_id)
        ).all()
    )
    review_stats = {
        agent_id: (count, avg)
        for agent_id, count, avg in db.session.execute(
            _regular_reviews()
            .with_only_columns(
                ReviewSubject.agent_id, func.count(Review.id), func.avg(Review.score)
            )
            .where(ReviewSubject.agent_id.in_(ids), ReviewSubject.kind == "call")
            .group_by(ReviewSubject.agent_id)
        )
    }
    rates = objection_rates(ids)
    return [
        AgentSummary(
            agent=agent,
            calls=calls.get(agent.id, 0),
            reviews=review_stats.get(agent.id, (0, None))[0],
            average_score=_float(review_stats.get(agent.id, (0, None))[1]),
            rates=rates[agent.id],
        )
        for agent in agents
    ]


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _week_start(moment: datetime) -> date:
    """The Monday of the company-local week of a stored moment."""
    day = to_local(moment).date()
    return day - timedelta(days=day.weekday())


def agent_overview(agent: Agent) -> AgentOverview:
    """Scores over time (by when the subject happened) and objection rates for one agent."""
    reviews = list(
        db.session.scalars(
            _regular_reviews()
            .where(ReviewSubject.agent_id == agent.id, ReviewSubject.kind == "call")
            .join(ScorecardVersion, ScorecardVersion.id == Review.scorecard_version_id)
            .order_by(ReviewSubject.occurred_at.desc(), Review.id.desc())
        )
    )
    by_week: dict[date, list[float]] = defaultdict(list)
    counts: dict[date, int] = defaultdict(int)
    for review in reviews:
        if review.subject is None:
            continue
        week = _week_start(review.subject.occurred_at)
        counts[week] += 1
        if review.score is not None:
            by_week[week].append(review.score)
    weeks = [
        WeekPoint(
            week_start=week,
            average=sum(by_week[week]) / len(by_week[week]) if by_week[week] else None,
            reviews=counts[week],
        )
        for week in sorted(counts)
    ]
    scored = [r.score for r in reviews if r.score is not None]
    return AgentOverview(
        agent=agent,
        reviews=reviews,
        weeks=weeks,
        average_score=sum(scored) / len(scored) if scored else None,
        rates=objection_rates([agent.id])[agent.id],
    )
