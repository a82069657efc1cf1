"""What reviews are about: review subjects and the registry of their kinds.

Reviews, queue entries, calibration items and agent scores all go through a
:class:`~qa.models.ReviewSubject`, so the review code is written once for every kind. A kind
registers how to show its subjects: a title, the agent, the page that shows the subject itself,
and the template with its evidence (a call's flags and transcript) beside the scorecard.

Call subjects are created lazily, the first time a call is reviewed, queued or put in a
calibration session (:func:`subject_for_call`); calls nobody reviews never get one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import Agent, Call, ReviewSubject, ShopAssignment


@dataclass(frozen=True)
class SubjectKind:
    """How one kind of subject is shown: everything else about reviews is shared."""

    name: str
    label: Any  # a lazy translated string
    title: Callable[[ReviewSubject], str]
    # (endpoint, view arguments) of the subject's own page and of the page that scores it.
    page: Callable[[ReviewSubject], tuple[str, dict[str, Any]]]
    score_page: Callable[[ReviewSubject], tuple[str, dict[str, Any]]]
    evidence_template: str


@dataclass(frozen=True)
class SubjectView:
    """A subject as pages show it."""

    subject: ReviewSubject
    kind_label: str
    title: str
    agent: Agent | None
    occurred_at: datetime
    endpoint: str
    endpoint_args: dict[str, Any]
    score_endpoint: str
    score_args: dict[str, Any]
    evidence_template: str


KINDS: dict[str, SubjectKind] = {}


def register_kind(kind: SubjectKind) -> None:
    """Make a kind of subject known to the review pages."""
    KINDS[kind.name] = kind


def _call(subject: ReviewSubject) -> Call:
    if subject.call is None:
        raise LookupError(f"subject {subject.id} of kind call has no call")
    return subject.call


register_kind(
    SubjectKind(
        name="call",
        label=_l("Call"),
        title=lambda s: _call(s).display_title,
        page=lambda s: ("calls.detail", {"call_id": s.call_id}),
        score_page=lambda s: ("reviews.submit", {"call_id": s.call_id}),
        evidence_template="reviews/_evidence_call.html",
    )
)


def _shop(subject: ReviewSubject) -> ShopAssignment:
    if subject.shop_assignment is None:
        raise LookupError(f"subject {subject.id} of kind mystery_shop has no assignment")
    return subject.shop_assignment


# A mystery shop is reviewed on its assignment page until the shopper's report has its own.
register_kind(
    SubjectKind(
        name="mystery_shop",
        label=_l("Mystery shop"),
        title=lambda s: f"{_shop(s).location.name} · {_shop(s).wave.name}",
        page=lambda s: ("mystery.assignment", {"assignment_id": s.shop_assignment_id}),
        score_page=lambda s: ("mystery.assignment", {"assignment_id": s.shop_assignment_id}),
        evidence_template="mystery/_evidence_shop.html",
    )
)


def describe(subject: ReviewSubject) -> SubjectView:
    """Title, agent, time and links of a subject, from its kind."""
    kind = KINDS[subject.kind]
    endpoint, args = kind.page(subject)
    score_endpoint, score_args = kind.score_page(subject)
    return SubjectView(
        subject=subject,
        kind_label=str(kind.label),
        title=kind.title(subject),
        agent=subject.agent,
        occurred_at=subject.occurred_at,
        endpoint=endpoint,
        endpoint_args=args,
        score_endpoint=score_endpoint,
        score_args=score_args,
        evidence_template=kind.evidence_template,
    )


def subject_for_call(call: Call) -> ReviewSubject:
    """The call's subject, created (and flushed) on first use.

    Two requests may create it at once; the unique ``call_id`` lets one win and the other
    reads the winner's row.
    """
    existing: ReviewSubject | None = call.review_subject
    if existing is not None:
        return existing
    try:
        # Built inside the savepoint: beginning it flushes, and the new subject must not be
        # half-attached to the call at that moment.
        with db.session.begin_nested():
            subject = ReviewSubject.of_call(call)
            db.session.add(subject)
    except IntegrityError:
        winner = db.session.scalar(select(ReviewSubject).where(ReviewSubject.call_id == call.id))
        if winner is None:
            raise
        return winner
    return subject


def subjects_for_calls(calls: list[Call]) -> list[ReviewSubject]:
    """The subjects of several calls, in the same order, created where missing."""
    return [subject_for_call(call) for call in calls]


def subject_for_shop(assignment: ShopAssignment) -> ReviewSubject:
    """The mystery shop's subject, created (and flushed) on first use; one per assignment."""
    existing: ReviewSubject | None = assignment.review_subject  # type: ignore[attr-defined]
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            subject = ReviewSubject.of_shop(assignment)
            db.session.add(subject)
    except IntegrityError:
        winner = db.session.scalar(
            select(ReviewSubject).where(ReviewSubject.shop_assignment_id == assignment.id)
        )
        if winner is None:
            raise
        return winner
    return subject
