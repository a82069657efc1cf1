"""Mystery-shopping results: by location, seller, scenario and wave; league tables; exports.

Only final reports count (published, disputed or resolved) and only their first regular review,
the one the editor validated. Scores stay apart from call QA scores: a caller that shows both
asks each service for its own.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import AssignmentEvent, Review, ReviewSubject, ShopAssignment, ShopReport, Wave
from qa.services import exports
from qa.services.errors import ValidationFailed
from qa.timefmt import to_local

FINAL_STATES = ("published", "disputed", "resolved")
GROUPS = ("location", "agent", "scenario", "wave")
LEAGUE_GROUPS = ("location", "agent")


@dataclass(frozen=True)
class ShopResult:
    """One final mystery shop with its validated score."""

    assignment: ShopAssignment
    review: Review
    visited_on: date
    published_at: datetime | None  # naive UTC, the first publication
    submitted_at: datetime | None = None  # naive UTC, the last hand-in before publication
    visited_at: datetime | None = None  # naive UTC, the visit's start as the shopper reported

    @property
    def days_to_publish(self) -> float | None:
        if self.published_at is None:
            return None
        return (to_local(self.published_at).date() - self.visited_on).days


@dataclass(frozen=True)
class GroupRow:
    """Figures of one location, seller, scenario or wave."""

    key: int | None
    name: str
    count: int
    average: float | None
    failed_critical: int
    days_to_publish: float | None
    months: list[tuple[str, int, float | None]]  # (YYYY-MM, count, average), oldest first


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def results(agent_id: int | None = None) -> list[ShopResult]:
    """Every final shop with its first regular review, oldest visit first."""
    query = (
        select(ShopAssignment, Review)
        .join(ReviewSubject, ReviewSubject.shop_assignment_id == ShopAssignment.id)
        .join(Review, Review.subject_id == ReviewSubject.id)
        .join(ShopAssignment.wave)
        .where(ShopAssignment.state.in_(FINAL_STATES), Review.is_regular)
        .options(
            selectinload(ShopAssignment.wave).selectinload(Wave.scenario),
            selectinload(ShopAssignment.location),
        )
        .order_by(Wave.starts_on, ShopAssignment.id, Review.id)
    )
    if agent_id is not None:
        query = query.where(ReviewSubject.agent_id == agent_id)
    published = _event_times("published", func.min)
    submitted = _event_times("submitted", func.max)
    visits = dict(db.session.execute(
        select(ShopReport.assignment_id, ShopReport.visit_started_at)
        .where(ShopReport.visit_started_at.is_not(None))
    ).all())
    seen: set[int] = set()
    found = []
    for assignment, review in db.session.execute(query):
        if assignment.id in seen:
            continue
        seen.add(assignment.id)
        subject = review.subject
        visited = to_local(subject.occurred_at).date() if subject else assignment.wave.starts_on
        found.append(ShopResult(assignment, review, visited, published.get(assignment.id),
                                submitted.get(assignment.id), visits.get(assignment.id)))
    return found


def _event_times(state: str, pick: Callable[..., Any]) -> dict[int, datetime]:
    """Per assignment, the first (``func.min``) or last (``func.max``) move to ``state``."""
    return dict(db.session.execute(  # type: ignore[arg-type]
        select(AssignmentEvent.assignment_id, pick(AssignmentEvent.created_at))
        .where(AssignmentEvent.to_state == state)
        .group_by(AssignmentEvent.assignment_id)
    ).all())


@dataclass(frozen=True)
class Turnaround:
    """How long final reports took, as medians in days over the shops that have both times."""

    shops: int
    submission_to_publication: float | None
    visit_to_publication: float | None


def _median_days(spans: list[float]) -> float | None:
    return statistics.median(spans) / 86400 if spans else None


def turnaround(found: list[ShopResult] | None = None) -> Turnaround:
    """Median time from the shopper's (last) submission, and from the visit, to publication.

    The visit is the start the shopper reported, or the first day of the wave at noon for a
    report without one.
    """
    found = results() if found is None else found
    from_submission, from_visit = [], []
    for result in found:
        if result.published_at is None:
            continue
        if result.submitted_at is not None:
            from_submission.append((result.published_at - result.submitted_at).total_seconds())
        subject = result.review.subject
        visit = result.visited_at or (subject.occurred_at if subject else None)
        if visit is not None:
            from_visit.append((result.published_at - visit).total_seconds())
    return Turnaround(
        shops=len(found),
        submission_to_publication=_median_days(from_submission),
        visit_to_publication=_median_days(from_visit),
    )


def _group_of(by: str) -> Callable[[ShopResult], tuple[int | None, str]]:
    if by == "location":
        return lambda r: (r.assignment.location_id, r.assignment.location.name)
    if by == "agent":
        def agent(r: ShopResult) -> tuple[int | None, str]:
            person = r.review.subject.agent if r.review.subject else None
            return (person.id, person.name) if person else (None, _("Seller not named"))
        return agent
    if by == "scenario":
        return lambda r: (r.assignment.wave.scenario_id, r.assignment.wave.scenario.name)
    if by == "wave":
        return lambda r: (r.assignment.wave_id, r.assignment.wave.name)
    raise ValidationFailed(_("Unknown grouping: %(by)s.", by=by[:40]))


def summary(by: str, found: list[ShopResult] | None = None) -> list[GroupRow]:
    """Figures per group, best average first (groups without a score last)."""
    group_of = _group_of(by)
    groups: dict[tuple[int | None, str], list[ShopResult]] = defaultdict(list)
    for result in results() if found is None else found:
        groups[group_of(result)].append(result)
    rows = []
    for (key, name), members in groups.items():
        scores = [m.review.score for m in members if m.review.score is not None]
        months: dict[str, list[ShopResult]] = defaultdict(list)
        for member in members:
            months[member.visited_on.strftime("%Y-%m")].append(member)
        rows.append(GroupRow(
            key=key, name=name, count=len(members), average=_mean(scores),
            failed_critical=sum(1 for m in members if m.review.failed_critical),
            days_to_publish=_mean(
                [d for m in members if (d := m.days_to_publish) is not None]),
            months=[
                (month, len(items),
                 _mean([i.review.score for i in items if i.review.score is not None]))
                for month, items in sorted(months.items())
            ],
        ))
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0), r.name))
    return rows


@dataclass(frozen=True)
class League:
    rows: list[tuple[int, GroupRow]]  # (rank, row)
    cut: int  # how many rows the percentile keeps at each end
    top: list[tuple[int, GroupRow]]
    bottom: list[tuple[int, GroupRow]]


def league(by: str, percent: int) -> League:
    """Locations or sellers ranked by average score; the top and bottom ``percent`` % of them.

    The cut-off keeps ceil(n x percent / 100) rows at each end (at least one when any exist).
    """
    if by not in LEAGUE_GROUPS:
        raise ValidationFailed(_("Unknown grouping: %(by)s.", by=by[:40]))
    if not 1 <= percent <= 50:
        raise ValidationFailed(_("The percentile must be between 1 and 50."))
    ranked = [row for row in summary(by) if row.average is not None]
    rows = [(rank, row) for rank, row in enumerate(ranked, start=1)]
    cut = math.ceil(len(rows) * percent / 100) if rows else 0
    return League(rows=rows, cut=cut, top=rows[:cut], bottom=rows[-cut:] if cut else [])


def _table(by: str) -> tuple[list[str], list[list[exports.Cell]]]:
    header = [_("Name"), _("Shops"), _("Average score, %"), _("Failed critical items"),
              _("Days from visit to publication")]
    rows: list[list[exports.Cell]] = [
        [row.name, row.count, None if row.average is None else round(row.average, 1),
         row.failed_critical,
         None if row.days_to_publish is None else round(row.days_to_publish, 1)]
        for row in summary(by)
    ]
    return header, rows


def export(by: str, fmt: str) -> bytes:
    """The summary as CSV or XLSX, safe against spreadsheet formulas (qa.services.exports)."""
    header, rows = _table(by)
    if fmt == "csv":
        return exports.csv_bytes(header, rows)
    if fmt == "xlsx":
        return exports.xlsx_bytes(header, rows, title=by)
    raise ValidationFailed(_("Unknown format: %(fmt)s.", fmt=fmt[:10]))


@dataclass(frozen=True)
class AgentShops:
    """A seller's mystery-shop results, shown apart from their call QA scores."""

    count: int
    average: float | None
    failed_critical: int
    latest: list[ShopResult]


def for_agent(agent_id: int, limit: int = 10) -> AgentShops:
    found = results(agent_id)
    scores = [r.review.score for r in found if r.review.score is not None]
    return AgentShops(
        count=len(found), average=_mean(scores),
        failed_critical=sum(1 for r in found if r.review.failed_critical),
        latest=list(reversed(found))[:limit],
    )
