"""Review drafts: a reviewer's answers saved as they score, restored on any device.

One draft per reviewer and subject. It holds the scorecard version and, when the reviewer is
changing a stored review, that review; a draft made for another version or review, or older
than the review it changes, is not offered. Submitting the review discards the draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import Call, Review, ReviewDraft, ReviewSubject, ScorecardVersion, User
from qa.services.quality.review_answers import clean_overall_comment, collect_answers
from qa.services.quality.scorecards import definition_of
from qa.services.quality.subjects import subject_for_call


def _stored(subject_id: int, user: User) -> ReviewDraft | None:
    return db.session.scalar(
        select(ReviewDraft).where(
            ReviewDraft.subject_id == subject_id, ReviewDraft.user_id == user.id
        )
    )


def draft_for(
    subject: ReviewSubject | None,
    user: User,
    version: ScorecardVersion | None,
    review: Review | None,
) -> ReviewDraft | None:
    """The user's draft that belongs on this form, if any."""
    if subject is None or subject.id is None or version is None:
        return None
    draft = _stored(subject.id, user)
    if draft is None or draft.scorecard_version_id != version.id:
        return None
    if draft.review_id != (review.id if review is not None else None):
        return None
    if review is not None and draft.updated_at < review.updated_at:
        return None
    return draft


def save_draft(
    call: Call,
    version: ScorecardVersion,
    user: User,
    *,
    values: Mapping[str, Any],
    comments: Mapping[str, str],
    comment: str | None,
    review: Review | None = None,
) -> ReviewDraft:
    """Store the form as it is now (unanswered items allowed, everything else checked)."""
    answers = collect_answers(list(definition_of(version).items), values, comments, partial=True)
    overall = clean_overall_comment(comment)
    subject = subject_for_call(call)
    draft = _stored(subject.id, user)
    if draft is None:
        draft = ReviewDraft(subject_id=subject.id, user_id=user.id)
        try:
            with db.session.begin_nested():
                _fill(draft, version, review, answers, overall)
                db.session.add(draft)
        except IntegrityError:
            # The same reviewer's other tab saved first: write over that one.
            draft = _stored(subject.id, user)
            if draft is None:
                raise
    _fill(draft, version, review, answers, overall)
    db.session.flush()
    return draft


def _fill(
    draft: ReviewDraft,
    version: ScorecardVersion,
    review: Review | None,
    answers: dict[str, Any],
    comment: str | None,
) -> None:
    draft.scorecard_version_id = version.id
    draft.review_id = review.id if review is not None else None
    draft.answers = answers
    draft.comment = comment


def discard_draft(subject: ReviewSubject, user: User) -> None:
    """Forget the user's draft of ``subject`` (after the review was submitted)."""
    if subject.id is not None:
        db.session.execute(
            delete(ReviewDraft).where(
                ReviewDraft.subject_id == subject.id, ReviewDraft.user_id == user.id
            )
        )
