"""Scorecard templates (versioned), reviews, review assignments and calibration sessions.

Reviews point at a scorecard version, not at a call alone: ``call_id`` is one kind of subject,
and mystery-shopper visits will be another, scored with the same scorecards. A review made in a
calibration session carries ``calibration_session_id`` and stays out of agent statistics.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call
from qa.models.user import User


class ScorecardTemplate(db.Model):
    __tablename__ = "scorecard_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[ScorecardVersion]] = relationship(
        back_populates="template", order_by="ScorecardVersion.number", cascade="all, delete-orphan"
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


class Review(db.Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), index=True
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

    call: Mapped[Call | None] = relationship()
    scorecard_version: Mapped[ScorecardVersion] = relationship()
    reviewer: Mapped[User | None] = relationship()
    revisions: Mapped[list[ReviewRevision]] = relationship(
        back_populates="review", order_by="ReviewRevision.id", cascade="all, delete-orphan"
    )
    calibration_session: Mapped[CalibrationSession | None] = relationship(
        back_populates="reviews"
    )

    __mapper_args__ = {"version_id_col": version}


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


class ReviewAssignment(db.Model):
    """A call put in a reviewer's queue; done once that reviewer submits a review of it."""

    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("rule_id", "call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
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

    call: Mapped[Call] = relationship()
    reviewer: Mapped[User] = relationship()
    rule: Mapped[SamplingRule | None] = relationship()
    template: Mapped[ScorecardTemplate | None] = relationship()
    review: Mapped[Review | None] = relationship()


calibration_calls = Table(
    "calibration_calls",
    db.metadata,
    Column(
        "session_id",
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True),
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
    """Several reviewers score the same calls blind; scores are revealed when it closes."""

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
    calls: Mapped[list[Call]] = relationship(secondary=calibration_calls, order_by=Call.id)
    participants: Mapped[list[User]] = relationship(
        secondary=calibration_participants, order_by=User.name
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="calibration_session", order_by="Review.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"
