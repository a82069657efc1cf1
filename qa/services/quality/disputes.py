"""Disputes about reviews: one mechanism for call reviews, mystery-shop reports and, later, pay.

Someone disputes one item of a review (or the whole review) with a reason, within the company's
dispute window after the review became final; a QA lead upholds or rejects the dispute with a
note. An upheld dispute may change answers: the change is saved through the review editing code
(:func:`~qa.services.quality.reviews.save_review`), so it is a revision with who and when.

Who may raise a dispute depends on the review's subject: for a mystery shop, the manager of the
shop's location, once the report is published (the assignment becomes *disputed*, and
*resolved* when its last open dispute is decided); for a call, the employee whose agent is the
call's agent (``qa.services.quality.own_work`` says what is theirs), or a QA lead on the agent's
behalf.

An employee also acknowledges a review about their work (:func:`acknowledge`): who and when,
shown on the review to staff as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import (
    AssignmentEvent,
    Dispute,
    Review,
    ReviewAcknowledgement,
    ShopAssignment,
    User,
)
from qa.models._base import utcnow
from qa.models.dispute import WHOLE_REVIEW
from qa.roles import ADMIN, EMPLOYEE, LOCATION_MANAGER, QA_LEAD
from qa.services.admin.settings import company_settings
from qa.services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from qa.services.mystery import assignments as assignment_service
from qa.services.notifications.inbox import notify
from qa.services.quality import own_work
from qa.services.quality.reviews import save_review
from qa.services.quality.scorecards import definition_of
from qa.services.validation import clean_text, shown

DECIDERS = frozenset({ADMIN, QA_LEAD})
OUTCOMES = ("upheld", "rejected")
MAX_REASON = 2000
MIN_REASON = 10
MAX_NOTE = 2000
# A mystery shop may be disputed while it is published, or disputed already (another item).
DISPUTABLE_SHOP_STATES = ("published", "disputed")


def _shop(review: Review | None) -> ShopAssignment | None:
    subject = review.subject if review is not None else None
    return subject.shop_assignment if subject is not None else None


def final_since(review: Review) -> datetime | None:
    """When the review became final: a shop's latest publication, a call review's submission."""
    if review.subject is None:
        return None
    if review.subject.kind == "mystery_shop":
        shop = _shop(review)
        if shop is None:
            return None
        return db.session.scalar(
            select(AssignmentEvent.created_at)
            .where(
                AssignmentEvent.assignment_id == shop.id, AssignmentEvent.to_state == "published"
            )
            .order_by(AssignmentEvent.id.desc())
            .limit(1)
        )
    return review.created_at


def window_closes(review: Review) -> datetime | None:
    """The last moment a dispute may be raised, or None if the review is not final yet."""
    since = final_since(review)
    if since is None:
        return None
    return since + timedelta(days=company_settings().dispute_window_days)


def _may_raise(review: Review, user: User) -> bool:
    shop = _shop(review)
    if shop is not None:
        return (
            user.role == LOCATION_MANAGER
            and shop.location.manager_id == user.id
            and shop.state in DISPUTABLE_SHOP_STATES
        )
    if user.role == EMPLOYEE:
        # The employee whose agent is the call's agent; a mystery shop is their manager's to
        # dispute (above), so an employee only reads those.
        return review.call is not None and own_work.review_visible_to(user, review)
    # A QA lead raises a call review's dispute on the agent's behalf.
    return user.role in DECIDERS


def can_raise(review: Review, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` may dispute an item of ``review`` now (role, state and window)."""
    closes = window_closes(review)
    return _may_raise(review, user) and closes is not None and (now or utcnow()) <= closes


def _check_visible(review: Review, user: User) -> None:
    if user.role == EMPLOYEE:
        if not own_work.review_visible_to(user, review):
            raise NotFound(_("Nothing was found at this address."))
        return
    shop = _shop(review)
    if shop is not None and not assignment_service.can_see(shop, user):
        raise NotFound(_("Nothing was found at this address."))


def item_choices(review: Review) -> list[tuple[str, str]]:
    """(key, text) of what may be disputed: the whole review, then each scorecard item."""
    items = definition_of(review.scorecard_version).items
    return [(WHOLE_REVIEW, _("The whole review"))] + [(item.key, item.text) for item in items]


def item_text(dispute: Dispute) -> str:
    """What the dispute is about, as the page shows it."""
    return dict(item_choices(dispute.review)).get(dispute.item_key, dispute.item_key)


def open_dispute(review: Review, item_key: str) -> Dispute | None:
    return db.session.scalar(
        select(Dispute).where(
            Dispute.review_id == review.id, Dispute.item_key == item_key, Dispute.status == "open"
        )
    )


def raise_dispute(
    review: Review,
    item_key: str | None,
    reason: object,
    user: User,
    *,
    now: datetime | None = None,
) -> Dispute:
    """Dispute ``item_key`` of ``review`` (None or "*": the whole review) on behalf of ``user``.

    Raises NotFound where the user may not see the subject, NotAllowed where their role or the
    subject's state does not let them dispute, Conflict outside the window or when the item
    already has an open dispute, ValidationFailed for a bad reason or an unknown item.
    """
    _check_visible(review, user)
    key = item_key or WHOLE_REVIEW
    if key not in dict(item_choices(review)):
        raise ValidationFailed(_("Unknown scorecard item: %(key)s.", key=shown(key)))
    text = (
        clean_text(reason, field=_("Reason"), max_length=MAX_REASON, required=True, multiline=True)
        or ""
    )
    if len(text) < MIN_REASON:
        raise ValidationFailed(_("Explain the dispute in at least %(n)d characters.", n=MIN_REASON))
    if not _may_raise(review, user):
        raise NotAllowed(_("You may not dispute this review."))
    closes = window_closes(review)
    if closes is None:
        raise Conflict(_("This review is not final yet; it cannot be disputed."))
    if (now or utcnow()) > closes:
        raise Conflict(_("The time to dispute this review is over."))
    if open_dispute(review, key) is not None:
        raise Conflict(_("This item is already disputed; wait for the decision."))
    dispute = Dispute(review=review, item_key=key, raised_by=user, reason=text, status="open")
    try:
        with db.session.begin_nested():
            db.session.add(dispute)
    except IntegrityError:
        raise Conflict(_("This item is already disputed; wait for the decision.")) from None
    shop = _shop(review)
    if shop is not None and shop.state == "published":
        assignment_service.move(shop, "disputed", user, text)
    db.session.flush()
    _tell_deciders(dispute, user)
    return dispute


def _link(dispute: Dispute, reader: User) -> str:
    """Where ``reader`` sees the dispute: a manager their shop's page, an employee their own
    review, staff the review."""
    shop = _shop(dispute.review)
    if shop is not None and reader.role == LOCATION_MANAGER:
        return f"/locations/mine/shops/{shop.id}"
    if reader.role == EMPLOYEE:
        return f"/me/reviews/{dispute.review_id}#disputes"
    return f"/reviews/{dispute.review_id}#disputes"


def _tell_deciders(dispute: Dispute, author: User) -> None:
    """A new dispute: every active QA lead and admin hears of it, but its author."""
    deciders = db.session.scalars(
        select(User).where(User.role.in_(DECIDERS), User.is_active_user.is_(True))
    )
    for reader in deciders:
        if reader.id != author.id:
            notify(reader, "dispute.raised", _link(dispute, reader), author=author.name,
                   review_id=dispute.review_id, item=item_text(dispute),
                   dispute_id=dispute.id)


def get_dispute(dispute_id: int, user: User) -> Dispute:
    """The dispute if ``user`` may see its subject; NotFound otherwise."""
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(_("Nothing was found at this address."))
    if user.role == EMPLOYEE:
        _check_visible(dispute.review, user)
        return dispute
    shop = _shop(dispute.review)
    if shop is not None:
        if not assignment_service.can_see(shop, user):
            raise NotFound(_("Nothing was found at this address."))
    elif user.role not in DECIDERS:
        raise NotFound(_("Nothing was found at this address."))
    return dispute


def resolve(
    dispute: Dispute,
    outcome: str,
    note: object,
    user: User,
    *,
    changes: Mapping[str, str] | None = None,
) -> Dispute:
    """Uphold or reject ``dispute`` with a note; an upheld one may change answers.

    ``changes`` maps item keys to new answers ("yes", "no", "na" or a scale value); they are
    saved as a revision of the review. A rejected dispute never changes the review.
    """
    if user.role not in DECIDERS:
        raise NotAllowed(_("Only a QA lead decides disputes."))
    if outcome not in OUTCOMES:
        raise ValidationFailed(_("Unknown outcome: %(value)s.", value=shown(outcome)))
    text = clean_text(
        note, field=_("Resolution note"), max_length=MAX_NOTE, required=True, multiline=True
    )
    if dispute.status != "open":
        raise Conflict(_("This dispute was already decided."))
    changes = {key: value for key, value in (changes or {}).items() if value not in (None, "")}
    if changes and outcome != "upheld":
        raise ValidationFailed(_("Only an upheld dispute changes the scores."))
    review = dispute.review
    # A pay statement's line (no review): an upheld one is corrected by a new statement version.
    if changes and review is not None:
        known = {item.key for item in definition_of(review.scorecard_version).items}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValidationFailed(_("Unknown scorecard item: %(key)s.", key=shown(unknown[0])))
        answers = review.answers or {}
        values = {key: entry.get("value") for key, entry in answers.items()}
        if any(values.get(key) != value for key, value in changes.items()):
            values.update(changes)
            save_review(
                review.subject,
                review.scorecard_version,
                user,
                values=values,  # type: ignore[arg-type]
                comments={key: entry.get("comment", "") for key, entry in answers.items()},
                comment=review.comment,
                review=review,
                expected_version=review.version,
            )
            dispute.revision = review.revisions[-1]
    dispute.status = outcome
    dispute.resolved_by = user
    dispute.resolved_at = utcnow()
    dispute.resolution_note = text
    db.session.flush()
    if dispute.raised_by is not None and dispute.raised_by_id != user.id:
        notify(dispute.raised_by, "dispute.decided", _link(dispute, dispute.raised_by),
               outcome=outcome, review_id=dispute.review_id, dispute_id=dispute.id)
    shop = _shop(review)
    if shop is not None and shop.state == "disputed" and not open_disputes(review):
        assignment_service.move(shop, "resolved", user, text)
    return dispute


def open_disputes(review: Review) -> list[Dispute]:
    return [d for d in disputes_of(review) if d.status == "open"]


def disputes_of(review: Review | None) -> list[Dispute]:
    """Every dispute about ``review``, oldest first."""
    if review is None or review.id is None:
        return []
    return list(
        db.session.scalars(
            select(Dispute).where(Dispute.review_id == review.id).order_by(Dispute.id)
        )
    )


def report_review(assignment: ShopAssignment) -> Review | None:
    """The review that scores a mystery shop (its first regular review), if any."""
    subject = getattr(assignment, "review_subject", None)
    if subject is None or subject.id is None:
        return None
    return db.session.scalar(
        select(Review)
        .where(Review.subject_id == subject.id, Review.is_regular)
        .order_by(Review.id)
        .limit(1)
    )


def may_acknowledge(review: Review, user: User) -> bool:
    """Only the employee the review is about acknowledges it."""
    return user.role == EMPLOYEE and own_work.review_visible_to(user, review)


def acknowledge(review: Review, user: User) -> ReviewAcknowledgement:
    """The employee whose work ``review`` is about confirms reading it (once; again: a no-op)."""
    _check_visible(review, user)
    if user.role != EMPLOYEE:
        raise NotAllowed(_("Only the employee the review is about acknowledges it."))
    existing = acknowledgement_of(review, user)
    if existing is not None:
        return existing
    ack = ReviewAcknowledgement(review=review, user=user)
    try:
        with db.session.begin_nested():
            db.session.add(ack)
    except IntegrityError:  # the same click twice at once: the first one stands
        return acknowledgement_of(review, user) or ack
    return ack


def acknowledgement_of(review: Review, user: User) -> ReviewAcknowledgement | None:
    return db.session.scalar(
        select(ReviewAcknowledgement).where(
            ReviewAcknowledgement.review_id == review.id, ReviewAcknowledgement.user_id == user.id
        )
    )


def acknowledgements(review: Review | None) -> list[ReviewAcknowledgement]:
    """Who acknowledged ``review`` and when, oldest first."""
    if review is None or review.id is None:
        return []
    return list(
        db.session.scalars(
            select(ReviewAcknowledgement)
            .where(ReviewAcknowledgement.review_id == review.id)
            .order_by(ReviewAcknowledgement.id)
        )
    )


def page_context(review: Review | None, user: User) -> dict[str, object]:
    """What ``disputes/_panel.html`` needs: the disputes, and what ``user`` may do with them."""
    if review is None:
        return {"review": None, "disputes": [], "can_raise": False, "can_decide": False,
                "choices": [], "closes": None, "acknowledgements": []}
    return {
        "review": review,
        "disputes": disputes_of(review),
        "can_raise": can_raise(review, user),
        "can_decide": user.role in DECIDERS,
        "choices": item_choices(review),
        "item_texts": dict(item_choices(review)),
        "closes": window_closes(review),
        "acknowledgements": acknowledgements(review),
    }
