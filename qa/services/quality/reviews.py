"""Reviews: scoring a subject (a call, ...) with a scorecard version, edits kept as revisions.

A reviewer has one regular review per subject: a second "save" of a new review (a double
click, a resubmitted form) raises :class:`AlreadyReviewed` carrying the stored review, whether
the check finds it before the write or the database's unique index refuses the row.

Two people editing one review never overwrite each other silently: the form carries the
review's ``version`` (SQLAlchemy's optimistic-locking column) and a submit made against an
older version raises :class:`ReviewConflict`, whether the check happens before the write or
in the database (``StaleDataError``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from qa.extensions import db
from qa.models import (
    Agent,
    Call,
    Finding,
    Review,
    ReviewAssignment,
    ReviewRevision,
    ReviewSubject,
    ScorecardTemplate,
    ScorecardVersion,
    User,
)
from qa.models.review import DUPLICATE
from qa.roles import can
from qa.services.admin import audit
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.quality import drafts, sampling
from qa.services.quality.review_answers import clean_overall_comment, collect_answers
from qa.services.quality.scorecard_defaults import default_template, templates_for
from qa.services.quality.scorecards import definition_of
from qa.services.validation import finite_float, sane_dates
from qa.timefmt import day_start, format_moment
from qa.vocabulary import OBJECTION_FLAG
from scoring.scorecard import NA, ItemScore, ScorecardError, ScorecardItem, compute_score


class ReviewConflict(Conflict):
    """The review changed since the form was opened; nothing was written."""


class AlreadyReviewed(Conflict):
    """The reviewer already has a review of this subject; ``review`` is the stored one."""

    def __init__(self, message: str, review: Review) -> None:
        super().__init__(message)
        self.review = review


def counted(query: Any) -> Any:
    """Limit a review query to regular reviews (:attr:`Review.is_regular`)."""
    return query.where(Review.is_regular)


@dataclass(frozen=True)
class ReviewFilters:
    """Filters of the reviews list; None means "any"."""

    reviewer_id: int | None = None
    agent_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    score_min: float | None = None
    score_max: float | None = None


def list_reviews(filters: ReviewFilters, page: int, per_page: int) -> Pagination:
    """Regular (non-calibration) reviews, newest first, filtered."""
    sane_dates((filters.date_from, _("Reviewed from")), (filters.date_to, _("Reviewed until")))
    finite_float(filters.score_min, field=_("Score from, %"), maximum=100)
    finite_float(filters.score_max, field=_("Score to, %"), maximum=100)
    query = (
        counted(select(Review))
        .options(
            selectinload(Review.subject).selectinload(ReviewSubject.call),
            selectinload(Review.subject).selectinload(ReviewSubject.agent),
            selectinload(Review.reviewer),
            selectinload(Review.scorecard_version).selectinload(ScorecardVersion.template),
        )
        .order_by(Review.created_at.desc(), Review.id.desc())
    )
    if filters.reviewer_id:
        query = query.where(Review.reviewer_id == filters.reviewer_id)
    if filters.agent_id:
        query = query.join(ReviewSubject, ReviewSubject.id == Review.subject_id).where(
            ReviewSubject.agent_id == filters.agent_id
        )
    if filters.date_from:  # company calendar days
        query = query.where(Review.created_at >= day_start(filters.date_from))
    if filters.date_to:
        query = query.where(Review.created_at < day_start(filters.date_to + timedelta(days=1)))
    if filters.score_min is not None:
        query = query.where(Review.score >= filters.score_min)
    if filters.score_max is not None:
        query = query.where(Review.score <= filters.score_max)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def scorecard_for(
    subject: ReviewSubject | None,
    user: User | None,
    template_id: int | None = None,
    *,
    call: Call | None = None,
) -> ScorecardVersion | None:
    """The version a new review uses: the chosen one, the user's assignment's, or the call's
    default (:mod:`scorecard_defaults`); None when the reviewer has to choose."""
    if template_id:
        template = db.session.get(ScorecardTemplate, template_id)
        if template is None or template.current is None:
            raise NotFound(_("That scorecard does not exist."))
        return template.current
    if user is not None and subject is not None:
        assignment = db.session.scalar(
            select(ReviewAssignment)
            .where(
                ReviewAssignment.subject_id == subject.id,
                ReviewAssignment.reviewer_id == user.id,
                ReviewAssignment.template_id.is_not(None),
            )
            .order_by(ReviewAssignment.status == "done", ReviewAssignment.id.desc())
        )
        if assignment is not None and assignment.template and assignment.template.current:
            return assignment.template.current
    template = default_template(call) if call is not None else None
    return template.current if template is not None else None


def subject_reviews(subject: ReviewSubject | None) -> list[Review]:
    """Regular reviews of a subject, oldest first (none for a subject not yet stored)."""
    if subject is None or subject.id is None:
        return []
    query = counted(select(Review)).where(Review.subject_id == subject.id).order_by(Review.id)
    return list(db.session.scalars(query))


def scorecard_form_context(
    call: Call, user: User, *, template_id: int | None = None, review_id: int | None = None
) -> dict[str, Any]:
    """Everything ``reviews/_scorecard_form.html`` needs for ``call``.

    The review shown is ``review_id`` (it must be a regular review of this call), else the
    user's own review of the call (a reviewer has one per call, whatever scorecard is chosen),
    else none (a new review with the chosen scorecard). Nothing is created: the call's subject
    is made when a review is saved.
    """
    subject = call.review_subject
    reviews = subject_reviews(subject)
    review: Review | None = None
    if review_id is not None:
        review = next((r for r in reviews if r.id == review_id), None)
        if review is None:
            raise NotFound(_("This call has no such review."))
    else:
        review = next((r for r in reviews if r.reviewer_id == user.id), None)
    version = (
        review.scorecard_version if review else scorecard_for(subject, user, template_id, call=call)
    )
    context: dict[str, Any] = {
        "call": call,
        "scorecard_version": version,
        "review": review,
        "suggestions": suggestions_for(call, version) if version else {},
        "templates": templates_for(call),
        "other_reviews": [r for r in reviews if r is not review],
    }
    draft = drafts.draft_for(subject, user, version, review)
    if draft is not None:
        context.update(draft=draft, answers=draft.answers, overall_comment=draft.comment or "")
    return context


def _clock(seconds: float) -> str:
    total = int(round(seconds))
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _label_name(label: str) -> str:
    return OBJECTION_FLAG.phrase(label) or _("“%(label)s” tracker hit", label=label)


def _suggestion(label: str, hits: list[Finding], analysed: bool) -> str | None:
    what = _label_name(label)
    if not hits:
        return _("No %(what)s was found in the transcript.", what=what) if analysed else None
    first = hits[0]
    # With its article: "a price objection", "an assortment objection".
    a_what = OBJECTION_FLAG.a_phrase(label) or _("a “%(label)s” tracker hit", label=label)
    if first.speaker_unknown:
        text = _(
            "%(what)s was found at %(time)s (speaker unknown): «%(quote)s»",
            what=a_what[:1].upper() + a_what[1:], time=_clock(first.time_start), quote=first.text,
        )
    else:
        text = _(
            "Customer raised %(what)s at %(time)s: «%(quote)s»",
            what=a_what, time=_clock(first.time_start), quote=first.text,
        )
    if len(hits) > 1:
        text += " " + _("(%(count)d more in this call)", count=len(hits) - 1)
    return text


def suggestions_for(call: Call, version: ScorecardVersion | None = None) -> dict[str, str]:
    """Hints from the call's stored findings for items with ``suggest_from``; item key -> text."""
    version = version or scorecard_for(None, None, call=call)
    if version is None:
        return {}
    by_label: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted(call.findings, key=lambda f: f.time_start):
        by_label[finding.label].append(finding)
    analysed = bool(call.segments)
    suggestions = {}
    for item in definition_of(version).items:
        if item.suggest_from:
            text = _suggestion(item.suggest_from, by_label.get(item.suggest_from, []), analysed)
            if text:
                suggestions[item.key] = text
    return suggestions


def save_review(
    subject: ReviewSubject,
    version: ScorecardVersion,
    user: User,
    *,
    values: Mapping[str, Any],
    comments: Mapping[str, str],
    comment: str | None,
    review: Review | None = None,
    expected_version: int | None = None,
    calibration_session_id: int | None = None,
) -> Review:
    """Create or edit a review; every save adds a revision.

    Raises ReviewConflict if ``review`` is stale and AlreadyReviewed when a new review would
    be the user's second of this subject (in calibration: in that session).
    """
    definition = definition_of(version)
    answers = collect_answers(list(definition.items), values, comments)
    result = compute_score(definition, {key: entry["value"] for key, entry in answers.items()})
    overall = clean_overall_comment(comment)
    revision = ReviewRevision(
        user_id=user.id, answers=answers, comment=overall, score=result.score
    )
    if review is None:
        review = _insert_review(
            Review(
                subject=subject,
                scorecard_version=version,
                reviewer_id=user.id,
                calibration_session_id=calibration_session_id,
                answers=answers,
                comment=overall,
                score=result.score,
                failed_critical=result.failed_critical,
                status="submitted",
                revisions=[revision],
            ),
            subject,
            user,
        )
    else:
        if review.scorecard_version_id != version.id:
            raise ValidationFailed(_("This review was made with another scorecard version."))
        if review.status == DUPLICATE:
            raise ValidationFailed(
                _("This is an earlier copy of a review saved twice; edit the one that counts.")
            )
        if expected_version is None or review.version != expected_version:
            raise _conflict(review)
        try:
            # The revisions load lazily: flushing the stale row may already happen there.
            review.answers = answers
            review.comment = overall
            review.score = result.score
            review.failed_critical = result.failed_critical
            review.status = "submitted"
            review.revisions.append(revision)
            db.session.flush()
        except StaleDataError as exc:
            raise ReviewConflict(
                _("Someone else saved this review while you were editing. Your answers were "
                  "not saved: they are filled in below. Check the saved review and submit again.")
            ) from exc
    if calibration_session_id is None:
        sampling.complete_assignments(subject, user, review)
        drafts.discard_draft(subject, user)
    db.session.flush()
    revised = len(review.revisions) > 1
    audit.record(
        "update" if revised else "create",
        "review",
        review.id,
        "",
        score=review.score,
        revision=len(review.revisions),
    )
    return review


def _insert_review(review: Review, subject: ReviewSubject, user: User) -> Review:
    """Store a new review unless the user already has one of this subject (AlreadyReviewed)."""
    session_id = review.calibration_session_id
    existing = _stored_review(subject, user, session_id)
    if existing is not None:
        raise _already_reviewed(existing)
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:
        # Another request stored this reviewer's review between the check and the write.
        existing = _stored_review(subject, user, session_id)
        if existing is None:
            raise
        raise _already_reviewed(existing) from None
    return review


def _stored_review(
    subject: ReviewSubject, user: User, calibration_session_id: int | None
) -> Review | None:
    if subject.id is None:
        return None
    return db.session.scalar(
        select(Review).where(
            Review.subject_id == subject.id,
            Review.reviewer_id == user.id,
            Review.calibration_session_id.is_(None)
            if calibration_session_id is None
            else Review.calibration_session_id == calibration_session_id,
            Review.status != DUPLICATE,
        )
    )


def _already_reviewed(review: Review) -> AlreadyReviewed:
    return AlreadyReviewed(
        _("You had already saved a review of this; it is shown here. To change it, edit it."),
        review,
    )


def _conflict(review: Review) -> ReviewConflict:
    last = review.revisions[-1] if review.revisions else None
    who = last.user.name if last and last.user else _("someone else")
    return ReviewConflict(
        _("%(name)s saved this review at %(time)s while you were editing. Your answers were not "
          "saved: they are filled in below next to the saved ones. Check them and submit again.",
          name=who, time=format_moment(review.updated_at))
    )


def answer_label(item: ScorecardItem, value: Any) -> str:
    """How an answer reads on the page: Yes, No, N/A or "3 / 5"."""
    if value is None:
        return "–"
    if value == NA:
        return _("N/A")
    if item.type == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    return f"{value} / {item.max}"


@dataclass(frozen=True)
class BreakdownRow:
    """One item of a stored review with what it contributed."""

    item: ScorecardItem
    answer: str
    comment: str
    score: ItemScore | None


@dataclass(frozen=True)
class ReviewBreakdown:
    """A stored review laid out by section, with its revisions, newest first."""

    sections: list[tuple[str, list[BreakdownRow]]]
    history: list[RevisionEntry] = field(default_factory=list)


@dataclass(frozen=True)
class RevisionEntry:
    """A revision and the changes it made to the one before."""

    revision: ReviewRevision
    changes: list[str]


def review_breakdown(review: Review) -> ReviewBreakdown:
    """Per-item answers, comments and points of a stored review, plus its history."""
    definition = definition_of(review.scorecard_version)
    values = {key: entry.get("value") for key, entry in (review.answers or {}).items()}
    try:
        scores = {s.key: s for s in compute_score(definition, values).items}
    except ScorecardError:
        scores = {}
    sections = []
    for section in definition.sections:
        rows = []
        for item in section.items:
            entry = (review.answers or {}).get(item.key, {})
            rows.append(
                BreakdownRow(
                    item=item,
                    answer=answer_label(item, entry.get("value")),
                    comment=entry.get("comment", ""),
                    score=scores.get(item.key),
                )
            )
        sections.append((section.title, rows))
    return ReviewBreakdown(sections=sections, history=revision_history(review))


def _score_text(score: float | None) -> str:
    return "–" if score is None else f"{score:.0f}%"


def revision_history(review: Review) -> list[RevisionEntry]:
    """Each revision with what it changed (items, comments, score), newest first."""
    definition = definition_of(review.scorecard_version)
    entries = []
    previous: ReviewRevision | None = None
    for revision in review.revisions:
        if previous is None:
            changes = [_("Submitted with score %(score)s", score=_score_text(revision.score))]
        else:
            changes = []
            for item in definition.items:
                old = (previous.answers or {}).get(item.key, {})
                new = (revision.answers or {}).get(item.key, {})
                if old.get("value") != new.get("value"):
                    changes.append(
                        f"{item.text}: {answer_label(item, old.get('value'))} → "
                        f"{answer_label(item, new.get('value'))}"
                    )
                if old.get("comment", "") != new.get("comment", ""):
                    changes.append(_("%(item)s: comment changed", item=item.text))
            if (previous.comment or "") != (revision.comment or ""):
                changes.append(_("Overall comment changed"))
            if previous.score != revision.score:
                changes.append(
                    _("Score: %(old)s → %(new)s", old=_score_text(previous.score),
                      new=_score_text(revision.score))
                )
            if not changes:
                changes.append(_("Saved without changes"))
        entries.append(RevisionEntry(revision=revision, changes=changes))
        previous = revision
    return list(reversed(entries))


def filter_choices() -> tuple[list[User], list[Agent]]:
    """Users who have reviewed or may review, and agents, for the list filters."""
    users = db.session.scalars(select(User).order_by(User.name)).all()
    agents = db.session.scalars(select(Agent).order_by(Agent.name)).all()
    return [u for u in users if can(u.role, "reviews")], list(agents)
