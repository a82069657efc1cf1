"""Disputes: one mechanism for call reviews, mystery-shop reports and pay statements.

Someone disputes one item of a review (or the whole review), or one line of a pay statement,
with a reason, within the company's dispute window after the subject became final (a review
submitted, a shop published, a statement approved); a decider (a QA lead or an admin for a
review, an admin for pay) upholds or rejects it with a note. Raising tells the deciders
(``dispute.raised``), deciding tells whoever raised it (``dispute.decided``). What differs by
subject (who raises, who decides, the items, the links) is a small
:class:`~qa.services.quality.dispute_subject.DisputeSubject` each; the flow is written once.

An upheld dispute about a review may change answers: the change is saved through the review
editing code (:func:`~qa.services.quality.reviews.save_review`), so it is a
revision with who and when.

Who may raise a dispute depends on the review's subject: for a mystery shop, the manager of the
shop's location, once the report is published (the assignment becomes *disputed*, and
*resolved* when its last open dispute is decided); for a call, the employee whose agent is the
call's agent (``qa.services.quality.own_work`` says what is theirs), or a QA lead on the agent's
behalf; for a pay statement, the employee it pays, once it is approved (an upheld line is
corrected by the month's next calculation, a new version linked from the dispute).

An employee also acknowledges a review about their work (:func:`acknowledge`): who and when,
shown on the review to staff as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import (
    AssignmentEvent,
    Dispute,
    PayStatement,
    Review,
    ReviewAcknowledgement,
    ShopAssignment,
    User,
)
from qa.models._base import utcnow
from qa.models.dispute import WHOLE_REVIEW
from qa.roles import ADMIN, EMPLOYEE, LOCATION_MANAGER, QA_LEAD, SHOPPER
from qa.services.admin import audit
from qa.services.admin.settings import company_settings
from qa.services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from qa.services.mystery import assignments as assignment_service
from qa.services.notifications.inbox import notify
from qa.services.pay.disputes import PayLines
from qa.services.quality import own_work
from qa.services.quality.dispute_subject import DisputeSubject
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


class ReviewItems(DisputeSubject):
    """A call review: the employee whose agent took the call, or a QA lead on their behalf."""

    deciders = DECIDERS
    changes_answers = True

    def __init__(self, review: Review) -> None:
        self.review = review

    def exists(self) -> bool:
        return self.review.id is not None

    def final_since(self) -> datetime | None:
        return self.review.created_at if self.review.subject is not None else None

    def may_raise(self, user: User) -> bool:
        if user.role == EMPLOYEE:
            return self.review.call is not None and own_work.review_visible_to(user, self.review)
        return user.role in DECIDERS

    def check_visible(self, user: User) -> None:
        # Staff see call reviews; an employee only their own; managers and shoppers none.
        hidden = user.role in (LOCATION_MANAGER, SHOPPER) or (
            user.role == EMPLOYEE and not own_work.review_visible_to(user, self.review)
        )
        if hidden:
            raise NotFound(_("Nothing was found at this address."))

    def choices(self) -> list[tuple[str, str]]:
        items = definition_of(self.review.scorecard_version).items
        return [(WHOLE_REVIEW, _("The whole review"))] + [(item.key, item.text) for item in items]

    def default_key(self) -> str | None:
        return WHOLE_REVIEW

    def unknown_item(self, key: object) -> str:
        return _("Unknown scorecard item: %(key)s.", key=shown(key))

    def refused(self) -> str:
        return _("You may not dispute this review.")

    def key_of(self) -> dict[str, Any]:
        return {"review": self.review}

    def disputes_where(self) -> Any:
        return Dispute.review_id == self.review.id

    def link(self, dispute: Dispute, reader: User) -> str:
        if reader.role == EMPLOYEE:
            return f"/me/reviews/{self.review.id}#disputes"
        return f"/reviews/{self.review.id}#disputes"

    def params(self, dispute: Dispute) -> dict[str, Any]:
        return {
            "review_id": self.review.id,
            "item": dict(self.choices()).get(dispute.item_key, dispute.item_key),
        }


class ShopItems(ReviewItems):
    """A mystery shop's report: the manager of the shop's location, once it is published."""

    def __init__(self, review: Review, shop: ShopAssignment) -> None:
        super().__init__(review)
        self.shop = shop

    def final_since(self) -> datetime | None:
        return db.session.scalar(
            select(AssignmentEvent.created_at)
            .where(
                AssignmentEvent.assignment_id == self.shop.id,
                AssignmentEvent.to_state == "published",
            )
            .order_by(AssignmentEvent.id.desc())
            .limit(1)
        )

    def may_raise(self, user: User) -> bool:
        # A mystery shop is its manager's to dispute; an employee only reads it.
        return (
            user.role == LOCATION_MANAGER
            and self.shop.location.manager_id == user.id
            and self.shop.state in DISPUTABLE_SHOP_STATES
        )

    def check_visible(self, user: User) -> None:
        if user.role == EMPLOYEE:
            super().check_visible(user)
        elif not assignment_service.can_see(self.shop, user):
            raise NotFound(_("Nothing was found at this address."))

    def link(self, dispute: Dispute, reader: User) -> str:
        if reader.role == LOCATION_MANAGER:
            return f"/locations/mine/shops/{self.shop.id}"
        return super().link(dispute, reader)

    def raised(self, dispute: Dispute, user: User) -> None:
        if self.shop.state == "published":
            assignment_service.move(self.shop, "disputed", user, dispute.reason)

    def decided(self, dispute: Dispute, user: User) -> None:
        if self.shop.state == "disputed" and not open_disputes(self.review):
            assignment_service.move(self.shop, "resolved", user, dispute.resolution_note)


Target = Review | PayStatement


def subject_of(target: Target) -> DisputeSubject:
    """The dispute subject of a review (a call's or a shop's) or of a pay statement."""
    if isinstance(target, PayStatement):
        return PayLines(target)
    shop = _shop(target)
    return ShopItems(target, shop) if shop is not None else ReviewItems(target)


def _subject_of_dispute(dispute: Dispute) -> DisputeSubject:
    target = dispute.review if dispute.review is not None else dispute.statement
    if target is None:
        raise NotFound(_("Nothing was found at this address."))
    return subject_of(target)


def final_since(target: Target) -> datetime | None:
    """When the subject became final: a shop's latest publication, a call review's submission,
    a statement's approval."""
    return subject_of(target).final_since()


def window_closes(target: Target) -> datetime | None:
    """The last moment a dispute may be raised, or None if the subject is not final yet."""
    since = final_since(target)
    if since is None:
        return None
    return since + timedelta(days=company_settings().dispute_window_days)


def can_raise(target: Target, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` may dispute an item of ``target`` now (role, state and window)."""
    closes = window_closes(target)
    return (
        subject_of(target).may_raise(user) and closes is not None and (now or utcnow()) <= closes
    )


def item_choices(target: Target) -> list[tuple[str, str]]:
    """(key, text) of what may be disputed: the whole review and each scorecard item, or each
    line of a statement."""
    return subject_of(target).choices()


def item_text(dispute: Dispute) -> str:
    """What the dispute is about, as the page shows it."""
    return dict(_subject_of_dispute(dispute).choices()).get(dispute.item_key, dispute.item_key)


def _open_dispute(subject: DisputeSubject, item_key: str) -> Dispute | None:
    return db.session.scalar(
        select(Dispute).where(
            subject.disputes_where(), Dispute.item_key == item_key, Dispute.status == "open"
        )
    )


def open_dispute(target: Target, item_key: str) -> Dispute | None:
    return _open_dispute(subject_of(target), item_key)


def raise_dispute(
    target: Target,
    item_key: object,
    reason: object,
    user: User,
    *,
    now: datetime | None = None,
) -> Dispute:
    """Dispute ``item_key`` of ``target`` (a review, a shop's report or a pay statement) on
    behalf of ``user``; for a review None or "*" is the whole review.

    Raises NotFound where the user may not see the subject, NotAllowed where their role or the
    subject's state does not let them dispute, Conflict outside the window or when the item
    already has an open dispute, ValidationFailed for a bad reason or an unknown item.
    """
    subject = subject_of(target)
    subject.check_visible(user)
    key = item_key or subject.default_key()
    if not isinstance(key, str) or key not in dict(subject.choices()):
        raise ValidationFailed(subject.unknown_item(key))
    text = (
        clean_text(reason, field=_("Reason"), max_length=MAX_REASON, required=True, multiline=True)
        or ""
    )
    if len(text) < MIN_REASON:
        raise ValidationFailed(_("Explain the dispute in at least %(n)d characters.", n=MIN_REASON))
    if not subject.may_raise(user):
        raise NotAllowed(subject.refused())
    closes = window_closes(target)
    if closes is None:
        raise Conflict(_("This is not final yet; it cannot be disputed."))
    if (now or utcnow()) > closes:
        raise Conflict(_("The time to dispute this is over."))
    if _open_dispute(subject, key) is not None:
        raise Conflict(_("This item is already disputed; wait for the decision."))
    dispute = Dispute(**subject.key_of(), item_key=key, raised_by=user, reason=text, status="open")
    try:
        with db.session.begin_nested():
            db.session.add(dispute)
    except IntegrityError:
        raise Conflict(_("This item is already disputed; wait for the decision.")) from None
    subject.raised(dispute, user)
    db.session.flush()
    audit.record("create", "dispute", dispute.id, "", item=key, **subject.key_of())
    _tell_deciders(subject, dispute, user)
    return dispute


def _tell_deciders(subject: DisputeSubject, dispute: Dispute, author: User) -> None:
    """A new dispute: every active decider of its subject hears of it, but its author."""
    deciders = db.session.scalars(
        select(User).where(User.role.in_(subject.deciders), User.is_active_user.is_(True))
    )
    params = subject.params(dispute)
    for reader in deciders:
        if reader.id != author.id:
            notify(reader, "dispute.raised", subject.link(dispute, reader), author=author.name,
                   dispute_id=dispute.id, **params)


def get_dispute(dispute_id: int, user: User) -> Dispute:
    """The dispute if ``user`` may see its subject; NotFound otherwise."""
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(_("Nothing was found at this address."))
    _subject_of_dispute(dispute).check_visible(user)
    return dispute


def resolve(
    dispute: Dispute,
    outcome: str,
    note: object,
    user: User,
    *,
    changes: Mapping[str, str] | None = None,
) -> Dispute:
    """Uphold or reject ``dispute`` with a note; an upheld one may change a review's answers.

    ``changes`` maps item keys to new answers ("yes", "no", "na" or a scale value); they are
    saved as a revision of the review. A rejected dispute never changes the review. An upheld
    pay line is corrected by the month's next calculation (a new statement version).
    """
    subject = _subject_of_dispute(dispute)
    if user.role not in subject.deciders:
        raise NotAllowed(_("You may not decide this dispute."))
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
    if changes and not subject.changes_answers:
        raise ValidationFailed(_("An upheld pay line is corrected by calculating the month again."))
    review = dispute.review
    if changes and review is not None:
        _change_answers(dispute, review, changes, user)
    dispute.status = outcome
    dispute.resolved_by = user
    dispute.resolved_at = utcnow()
    dispute.resolution_note = text
    db.session.flush()
    audit.record("decide", "dispute", dispute.id, "", outcome=outcome, item=dispute.item_key)
    if dispute.raised_by is not None and dispute.raised_by_id != user.id:
        notify(dispute.raised_by, "dispute.decided", subject.link(dispute, dispute.raised_by),
               outcome=outcome, dispute_id=dispute.id, **subject.params(dispute))
    subject.decided(dispute, user)
    return dispute


def _change_answers(
    dispute: Dispute, review: Review, changes: Mapping[str, str], user: User
) -> None:
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


def open_disputes(target: Target) -> list[Dispute]:
    return [d for d in disputes_of(target) if d.status == "open"]


def disputes_of(target: Target | None) -> list[Dispute]:
    """Every dispute about ``target`` (a review or a pay statement), oldest first."""
    if target is None or target.id is None:
        return []
    subject = subject_of(target)
    return list(
        db.session.scalars(select(Dispute).where(subject.disputes_where()).order_by(Dispute.id))
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
    subject_of(review).check_visible(user)
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


def page_context(target: Target | None, user: User) -> dict[str, object]:
    """What ``disputes/_panel.html`` needs: the disputes, and what ``user`` may do with them;
    the same panel for a review, a shop's report and a pay statement."""
    if target is None:
        return {"review": None, "disputes": [], "can_raise": False, "can_decide": False,
                "choices": [], "closes": None, "acknowledgements": [], "item_texts": {},
                "changes_answers": False, "resolve_endpoint": "reviews.dispute_resolve"}
    subject = subject_of(target)
    return {
        "review": target if isinstance(target, Review) else None,
        "disputes": disputes_of(target),
        "can_raise": can_raise(target, user),
        "can_decide": user.role in subject.deciders,
        "choices": subject.choices(),
        "item_texts": dict(subject.choices()),
        "closes": window_closes(target),
        "acknowledgements": acknowledgements(target) if isinstance(target, Review) else [],
        "changes_answers": subject.changes_answers,
        "resolve_endpoint": subject.resolve_endpoint,
    }
