"""Scorecard templates (versioned), reviews, review assignments and calibration sessions.

Reviews, queue entries and calibration items point at a :class:`ReviewSubject` (a call today;
mystery-shopper visits later, scored with the same scorecards). A review made in a calibration
session carries ``calibration_session_id`` and stays out of agent statistics. Outside
calibration a reviewer has at most one review of a subject (a unique index), so a form posted
twice cannot store two.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call
from qa.models.subject import ReviewSubject
from qa.models.user import User


class ScorecardTemplate(db.Model):
    __tablename__ = "scorecard_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    # The language its items are written in ("ru", "en"); None: not said, usable on any call.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[ScorecardVersion]] = relationship(
        back_populates="template", order_by="ScorecardVersion.number", cascade="all, delete-orphan"
    )
    defaults: Mapped[list[ScorecardDefault]] = relationship(
        back_populates="template", order_by="ScorecardDefault.id", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> ScorecardVersion | None:
        return self.versions[-1] if self.versions else None


class ScorecardVersion(db.Model):
    """An immutable snapshot of a template's sections and items."""

    __tablename__ = "scorecard_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_templates.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    # {"sections": [{"title", "items": [{"key", "text", "type", "weight", "max",
    #   "critical", "guidance"}]}]}
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[ScorecardTemplate] = relationship(back_populates="versions")


DEFAULT_KINDS = ("language", "team")


class ScorecardDefault(db.Model):
    """The scorecard new reviews of a call use by default: per call language or agent team.

    One template per language and one per team; a team's default wins over the language's.
    """

    __tablename__ = "scorecard_defaults"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_scorecard_defaults_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_templates.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # DEFAULT_KINDS
    value: Mapped[str] = mapped_column(String(120))  # a language code or a team name

    template: Mapped[ScorecardTemplate] = relationship(back_populates="defaults")


# A regular review with this status was stored before reviews became one per reviewer and
# subject (a double submit); it is kept but no longer counted or offered for editing.
DUPLICATE = "duplicate"
_NOT_DUPLICATE = "status <> 'duplicate'"
_REGULAR = f"calibration_session_id IS NULL AND {_NOT_DUPLICATE}"


def _subjects_call_id(subject_id: Any) -> Any:
    """The call id of the row's subject as a read-only column: usable in SQL, loaded on read."""
    return column_property(
        select(ReviewSubject.call_id)
        .where(ReviewSubject.id == subject_id)
        .correlate_except(ReviewSubject)
        .scalar_subquery(),
        deferred=True,
    )


class AboutASubject:
    """``call`` on rows about a review subject: the subject's call, when the subject is one."""

    if TYPE_CHECKING:
        subject: ReviewSubject | None

    @property
    def call(self) -> Call | None:
        return self.subject.call if self.subject is not None else None

    @call.setter
    def call(self, call: Call) -> None:
        self.subject = ReviewSubject.for_call(call)


class Review(AboutASubject, db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        Index(
            "uq_reviews_subject_reviewer",
            "subject_id",
            "reviewer_id",
            unique=True,
            sqlite_where=text(_REGULAR),
            postgresql_where=text(_REGULAR),
        ),
        Index(
            "uq_reviews_calibration_subject_reviewer",
            "calibration_session_id",
            "subject_id",
            "reviewer_id",
            unique=True,
            sqlite_where=text(_NOT_DUPLICATE),
            postgresql_where=text(_NOT_DUPLICATE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_subjects.id", ondelete="CASCADE"), index=True
    )
    scorecard_version_id: Mapped[int] = mapped_column(ForeignKey("scorecard_versions.id"))
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    calibration_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    # {item_key: {"value": ..., "comment": str}}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None]
    failed_critical: Mapped[bool] = mapped_column(default=False)
    # Optimistic locking: a stale edit raises instead of silently overwriting.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    subject: Mapped[ReviewSubject | None] = relationship()
    scorecard_version: Mapped[ScorecardVersion] = relationship()
    reviewer: Mapped[User | None] = relationship()
    revisions: Mapped[list[ReviewRevision]] = relationship(
        back_populates="review", order_by="ReviewRevision.id", cascade="all, delete-orphan"
    )
    calibration_session: Mapped[CalibrationSession | None] = relationship(
        back_populates="reviews"
    )

    __mapper_args__ = {"version_id_col": version}

    # Reports about calls (lists, dashboards, the API) filter and group reviews by call.
    call_id = _subjects_call_id(subject_id)

    @hybrid_property
    def is_regular(self) -> bool:
        """The one rule for a subject's own review, in Python and SQL alike: calibration answers
        are practice on a shared subject, and kept double submits are copies."""
        return self.calibration_session_id is None and self.status != DUPLICATE

    @is_regular.inplace.expression
    @classmethod
    def _is_regular_expression(cls) -> ColumnElement[bool]:
        return and_(cls.calibration_session_id.is_(None), cls.status != DUPLICATE)


class ReviewRevision(db.Model):
    """Each submit or edit of a review: who, when and what it held."""

    __tablename__ = "review_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None]

    review: Mapped[Review] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()


class ReviewDraft(db.Model):
    """A reviewer's unsubmitted answers on a subject, saved as they go; gone once submitted."""

    __tablename__ = "review_drafts"
    __table_args__ = (
        UniqueConstraint("subject_id", "user_id", name="uq_review_drafts_subject_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("review_subjects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scorecard_version_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_versions.id", ondelete="CASCADE")
    )
    # The review being edited, when the draft is of a change to a stored one.
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    # {item_key: {"value": ..., "comment": str}}, items may be unanswered
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    scorecard_version: Mapped[ScorecardVersion] = relationship()


SAMPLING_KINDS = ("random_per_agent", "flag")
SAMPLING_PERIODS = ("day", "week", "month")


class SamplingRule(db.Model):
    """A recurring rule that picks calls for review and assigns them to reviewers.

    ``random_per_agent``: ``count`` random calls per agent in each period (day, week, month).
    ``flag``: every call with a finding labelled ``flag_label``. ``reviewer_id`` None means
    round-robin among active reviewers.
    """

    __tablename__ = "sampling_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(default=1)
    period: Mapped[str] = mapped_column(String(10), default="week")
    flag_label: Mapped[str | None] = mapped_column(String(60))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("scorecard_templates.id", ondelete="SET NULL")
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    last_run_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[ScorecardTemplate | None] = relationship()
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class ReviewAssignment(AboutASubject, db.Model):
    """A subject put in a reviewer's queue; done once that reviewer submits a review of it."""

    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("rule_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("review_subjects.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("sampling_rules.id", ondelete="SET NULL"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("scorecard_templates.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    subject: Mapped[ReviewSubject] = relationship()
    reviewer: Mapped[User] = relationship()
    rule: Mapped[SamplingRule | None] = relationship()
    template: Mapped[ScorecardTemplate | None] = relationship()
    review: Mapped[Review | None] = relationship()

    # The call list filters on "assigned to me" by call.
    call_id = _subjects_call_id(subject_id)


calibration_items = Table(
    "calibration_items",
    db.metadata,
    Column(
        "session_id",
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "subject_id", ForeignKey("review_subjects.id", ondelete="CASCADE"), primary_key=True
    ),
)
calibration_participants = Table(
    "calibration_participants",
    db.metadata,
    Column(
        "session_id",
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)
CONSENSUS_METHODS = ("median", "mean")


class CalibrationSession(db.Model):
    """Several reviewers score the same subjects blind; scores are revealed when it closes."""

    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scorecard_version_id: Mapped[int] = mapped_column(ForeignKey("scorecard_versions.id"))
    consensus: Mapped[str] = mapped_column(String(10), default="median")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    scorecard_version: Mapped[ScorecardVersion] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    subjects: Mapped[list[ReviewSubject]] = relationship(
        secondary=calibration_items, order_by=ReviewSubject.id
    )
    participants: Mapped[list[User]] = relationship(
        secondary=calibration_participants, order_by=User.name
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="calibration_session", order_by="Review.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"
