"""Calls: listing with filters, sorting and counts, and reading what is stored."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, UnaryExpression, exists, func, select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import (
    Agent,
    Call,
    Campaign,
    Finding,
    Lead,
    Review,
    ReviewAssignment,
    ReviewSubject,
)
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text, sane_dates
from qa.timefmt import day_start
from qa.vocabulary import CALL_STATUS, OBJECTION

CALL_STATUSES = CALL_STATUS.values
SORTS: dict[str, tuple[UnaryExpression[Any], ...]] = {
    "newest": (Call.created_at.desc(), Call.id.desc()),
    "oldest": (Call.created_at.asc(), Call.id.asc()),
    "called_desc": (Call.called_at.desc().nulls_last(), Call.id.desc()),
    "called_asc": (Call.called_at.asc().nulls_last(), Call.id.asc()),
    "longest": (Call.duration.desc().nulls_last(), Call.id.desc()),
    "shortest": (Call.duration.asc().nulls_last(), Call.id.asc()),
}


@dataclass(frozen=True)
class CallFilters:
    """What the calls list (and transcript search) is narrowed to; None means "any"."""

    status: str | None = None
    agent_id: int | None = None
    campaign_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    flag: str | None = None
    reviewed: bool | None = None
    assigned_to: int | None = None
    text: str | None = None
    sort: str = "newest"

    def without(self, name: str) -> CallFilters:
        """The same filters with one of them cleared (used for the counts per choice)."""
        return replace(self, **{name: None})  # type: ignore[arg-type]


@dataclass(frozen=True)
class CallCounts:
    """Totals shown above the list: per status and per flag, under the other filters."""

    total: int
    by_status: dict[str, int]
    flagged: dict[str, int]
    reviewed: int


def _when() -> ColumnElement[datetime]:
    # The call time when known, else the upload time: both are what the user sees as "time".
    return func.coalesce(Call.called_at, Call.created_at)


def check_filters(filters: CallFilters) -> None:
    """Refuse filters that no date arithmetic or database can take (typed into the URL)."""
    sane_dates((filters.date_from, _("From")), (filters.date_to, _("To")))
    clean_text(filters.text, field=_("Title, file or phone"), max_length=200)


def apply_filters(query: Select, filters: CallFilters) -> Select:  # type: ignore[type-arg]
    """Add the WHERE clauses of ``filters`` to a query over :class:`Call`."""
    check_filters(filters)
    if filters.status:
        query = query.where(Call.status == filters.status)
    if filters.agent_id:
        query = query.where(Call.agent_id == filters.agent_id)
    if filters.campaign_id:
        query = query.where(Call.campaign_id == filters.campaign_id)
    # Dates are the company's calendar days.
    if filters.date_from:
        query = query.where(_when() >= day_start(filters.date_from))
    if filters.date_to:
        query = query.where(_when() < day_start(filters.date_to + timedelta(days=1)))
    if filters.flag:
        has = exists().where(Finding.call_id == Call.id)
        if filters.flag in OBJECTION:
            query = query.where(has.where(Finding.label == filters.flag))
        elif filters.flag == "any":
            query = query.where(has)
        elif filters.flag == "none":
            query = query.where(~has)
    if filters.reviewed is not None:
        reviewed = _reviewed_calls().where(ReviewSubject.call_id == Call.id).exists()
        query = query.where(reviewed if filters.reviewed else ~reviewed)
    if filters.assigned_to is not None:
        query = query.where(
            exists().where(
                (ReviewAssignment.call_id == Call.id)
                & (ReviewAssignment.reviewer_id == filters.assigned_to)
                & (ReviewAssignment.status == "open")
            )
        )
    if filters.text:
        needle = f"%{filters.text.strip()}%"
        query = query.where(
            Call.title.ilike(needle)
            | Call.original_filename.ilike(needle)
            | Call.phone.ilike(needle)
        )
    return query


def _reviewed_calls() -> Select[Any]:
    """Call ids with a counted review, from review subjects by call: each call's subject is
    found by its unique call index and its reviews by subject, where filtering on
    ``Review.call_id`` (a per-row subquery) walks every review."""
    return (
        select(ReviewSubject.call_id)
        .join(Review, Review.subject_id == ReviewSubject.id)
        .where(Review.is_regular)
    )


def list_calls(
    page: int, per_page: int, filters: CallFilters | None = None, *, total: int | None = None
) -> Pagination:
    """One page of calls matching ``filters``, with agent, campaign and findings loaded.

    ``total``: the number of matching calls when the caller has counted them already
    (:func:`count_calls`), which spares counting them again.
    """
    filters = filters or CallFilters()
    order = SORTS.get(filters.sort, SORTS["newest"])
    query = apply_filters(
        select(Call).options(
            selectinload(Call.agent), selectinload(Call.campaign), selectinload(Call.findings)
        ),
        filters,
    ).order_by(*order)
    pagination = db.paginate(
        query, page=page, per_page=per_page, error_out=False, count=total is None
    )
    if total is not None:
        pagination.total = total
    return pagination


def count_calls(filters: CallFilters) -> CallCounts:
    """Counts per status (ignoring the status filter) and per flag, for the filter badges."""
    status_query = apply_filters(
        select(Call.status, func.count(Call.id)), filters.without("status")
    ).group_by(Call.status)
    by_status = {status: count for status, count in db.session.execute(status_query)}
    # The statuses partition the calls the other filters leave.
    total = by_status.get(filters.status, 0) if filters.status else sum(by_status.values())
    ids = apply_filters(select(Call.id), filters)
    flag_query = select(Finding.label, func.count(func.distinct(Finding.call_id)))
    reviewed_query = _reviewed_calls()
    # Unfiltered, every finding and call subject is of a listed call: "IN (every call id)"
    # would only make the database walk the calls table once more.
    if ids.whereclause is not None:
        flag_query = flag_query.where(Finding.call_id.in_(ids))
        reviewed_query = reviewed_query.where(ReviewSubject.call_id.in_(ids))
    flagged = {
        label: count for label, count in db.session.execute(flag_query.group_by(Finding.label))
    }
    # count(DISTINCT) leaves out the subjects of no call (shop reports).
    reviewed_calls = reviewed_query.subquery()
    reviewed = db.session.scalar(select(func.count(func.distinct(reviewed_calls.c.call_id))))
    return CallCounts(total=total, by_status=by_status, flagged=flagged, reviewed=reviewed or 0)


def reviewed_call_ids(call_ids: list[int]) -> set[int]:
    """Which of ``call_ids`` have at least one review."""
    if not call_ids:
        return set()
    return set(
        db.session.scalars(_reviewed_calls().where(ReviewSubject.call_id.in_(call_ids)).distinct())
    )


def agent_choices() -> list[Agent]:
    """Agents for filters and the upload form, active ones first."""
    return list(db.session.scalars(select(Agent).order_by(Agent.active.desc(), Agent.name)))


def campaign_choices() -> list[Campaign]:
    """Campaigns for filters and the upload form, by name."""
    return list(db.session.scalars(select(Campaign).order_by(Campaign.name)))


def find_or_create_agent(name: str) -> Agent:
    """The agent called ``name`` (case-insensitive), created when there is none."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed(_("The agent's name is empty."))
    for agent in db.session.scalars(select(Agent).where(func.lower(Agent.name) == cleaned.lower())):
        return agent
    agent = Agent(name=cleaned)
    db.session.add(agent)
    db.session.flush()
    return agent


def find_lead(reference: str) -> Lead:
    """A lead by its CRM id, else by its number in qa-review."""
    cleaned = reference.strip()
    lead: Lead | None = db.session.scalar(select(Lead).where(Lead.external_id == cleaned))
    if lead is None and cleaned.isdigit():
        lead = db.session.get(Lead, int(cleaned))
    if lead is None:
        raise ValidationFailed(_("No lead with the id %(ref)s.", ref=cleaned))
    return lead
