"""What an employee may see of their own work: the one rule every page and service asks.

An employee user is linked to one agent record (``User.agent``). They see:

- their calls: calls whose agent is their agent;
- the reviews about those calls (regular reviews only: calibration practice and kept double
  submits are not about them);
- mystery-shop results where they were the seller: a final shop (published, disputed or
  resolved) whose review subject names their agent, the same attribution the agent page and
  the league tables use (``qa.services.mystery.results``). The shopper's free-text seller name
  is not matched, and a shop at their location about someone else (or nobody) is not theirs.

Nothing of anyone else: every other id is "not found". Any user without a linked agent sees
nothing here (an administrator opening these pages included).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Agent, Call, Dispute, Review, ReviewAcknowledgement, ReviewSubject, User
from qa.services.errors import NotFound
from qa.services.mystery.results import FINAL_STATES, ShopResult, results
from qa.services.notifications.inbox import notify
from qa.services.quality.agents import ObjectionRate, WeekPoint, agent_overview
from qa.vocabulary import OBJECTION


def agent_of(user: User | None) -> Agent | None:
    """The agent record the user's own work belongs to, if any."""
    if user is None or getattr(user, "agent_id", None) is None:
        return None
    return user.agent


def calls_of(user: User) -> list[Call]:
    """The user's own calls, newest first (none without a linked agent)."""
    agent = agent_of(user)
    if agent is None:
        return []
    return list(
        db.session.scalars(
            select(Call)
            .where(Call.agent_id == agent.id)
            .order_by(Call.called_at.desc(), Call.id.desc())
        )
    )


def call_visible_to(user: User, call: Call | None) -> bool:
    agent = agent_of(user)
    return agent is not None and call is not None and call.agent_id == agent.id


def review_visible_to(user: User, review: Review | None) -> bool:
    """A regular review of the user's call, or of a final mystery shop where they sold."""
    agent = agent_of(user)
    if agent is None or review is None or not review.is_regular or review.subject is None:
        return False
    subject = review.subject
    if subject.kind == "call":
        return call_visible_to(user, subject.call)
    if subject.kind == "mystery_shop":
        shop = subject.shop_assignment
        return subject.agent_id == agent.id and shop is not None and shop.state in FINAL_STATES
    return False


def employees_of(review: Review) -> list[User]:
    """The active users the review is about: those :func:`review_visible_to` lets see it."""
    subject = review.subject
    agent_id = subject.agent_id if subject is not None else None
    if subject is not None and subject.call is not None:
        agent_id = subject.call.agent_id
    if agent_id is None:
        return []
    users = db.session.scalars(
        select(User)
        .where(User.agent_id == agent_id, User.is_active_user.is_(True))
        .order_by(User.id)
    )
    return [user for user in users if review_visible_to(user, review)]


def tell_reviewed(review: Review, reviewer: User | None) -> None:
    """A new review of an employee's call: they hear of it once, to acknowledge or dispute it.

    Called when the review is first submitted (its later edits are revisions, not news).
    """
    if review.subject is None or review.subject.kind != "call":
        return
    for employee in employees_of(review):
        if reviewer is not None and employee.id == reviewer.id:
            continue
        notify(
            employee,
            "review.submitted",
            f"/me/reviews/{review.id}",
            author=reviewer.name if reviewer is not None else "",
            review_id=review.id,
            call_title=review.subject.call.display_title if review.subject.call else "",
        )


def _not_found() -> NotFound:
    return NotFound(_("Nothing was found at this address."))


def get_call(user: User, call_id: int) -> Call:
    """The call if it is the user's own; NotFound otherwise (whether or not it exists)."""
    call = db.session.get(Call, call_id)
    if call is None or not call_visible_to(user, call):
        raise _not_found()
    return call


def get_review(user: User, review_id: int) -> Review:
    """The review if it is about the user's own work; NotFound otherwise."""
    review = db.session.get(Review, review_id)
    if review is None or not review_visible_to(user, review):
        raise _not_found()
    return review


def reviews_of_call(user: User, call: Call) -> list[Review]:
    """The regular reviews of one of the user's calls, oldest first."""
    if not call_visible_to(user, call):
        return []
    return list(
        db.session.scalars(
            select(Review)
            .join(ReviewSubject, ReviewSubject.id == Review.subject_id)
            .where(ReviewSubject.call_id == call.id, Review.is_regular)
            .order_by(Review.id)
        )
    )


def shop_results_of(user: User) -> list[ShopResult]:
    """Final mystery shops where the user was the seller, oldest visit first."""
    agent = agent_of(user)
    return results(agent.id) if agent is not None else []


@dataclass(frozen=True)
class ReviewState:
    """Where a review about the employee stands: acknowledged, disputes open or decided."""

    review: Review
    acknowledged: bool
    open_disputes: int
    decided_disputes: int


@dataclass(frozen=True)
class CallRow:
    call: Call
    reviews: list[ReviewState]


@dataclass(frozen=True)
class ShopPoint:
    visited_on: date
    score: float | None
    result: ShopResult
    state: ReviewState


@dataclass(frozen=True)
class Overview:
    """The employee's overview page: two score series kept apart, objection rates, calls."""

    agent: Agent
    qa_weeks: list[WeekPoint]
    qa_average: float | None
    shops: list[ShopPoint]
    shop_average: float | None
    rates: list[ObjectionRate]
    calls: list[CallRow]


def _states(user: User, reviews: list[Review]) -> dict[int, ReviewState]:
    ids = [r.id for r in reviews]
    acknowledged = set(
        db.session.scalars(
            select(ReviewAcknowledgement.review_id).where(
                ReviewAcknowledgement.review_id.in_(ids), ReviewAcknowledgement.user_id == user.id
            )
        )
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for review_id, status in db.session.execute(
        select(Dispute.review_id, Dispute.status).where(Dispute.review_id.in_(ids))
    ):
        counts[review_id][status] += 1
    return {
        r.id: ReviewState(
            review=r,
            acknowledged=r.id in acknowledged,
            open_disputes=counts[r.id]["open"],
            decided_disputes=sum(n for s, n in counts[r.id].items() if s != "open"),
        )
        for r in reviews
    }


def review_state(user: User, review: Review) -> ReviewState:
    return _states(user, [review])[review.id]


def overview(user: User) -> Overview | None:
    """Everything the overview shows, or None when the user has no linked agent."""
    agent = agent_of(user)
    if agent is None:
        return None
    qa = agent_overview(agent)
    calls = list(
        db.session.scalars(
            select(Call)
            .where(Call.agent_id == agent.id)
            .options(selectinload(Call.campaign))
            .order_by(Call.called_at.desc(), Call.id.desc())
        )
    )
    shops = shop_results_of(user)
    states = _states(user, [*qa.reviews, *(s.review for s in shops)])
    by_call: dict[int, list[ReviewState]] = defaultdict(list)
    for review in reversed(qa.reviews):
        if review.subject is not None and review.subject.call_id is not None:
            by_call[review.subject.call_id].append(states[review.id])
    shop_scores = [s.review.score for s in shops if s.review.score is not None]
    return Overview(
        agent=agent,
        qa_weeks=qa.weeks,
        qa_average=qa.average_score,
        shops=[ShopPoint(s.visited_on, s.review.score, s, states[s.review.id]) for s in shops],
        shop_average=sum(shop_scores) / len(shop_scores) if shop_scores else None,
        # Objections from the customer: price and assortment (tracker labels are not theirs).
        rates=[rate for rate in qa.rates if rate.label in OBJECTION.values],
        calls=[CallRow(call, by_call.get(call.id, [])) for call in calls],
    )
