"""Scorecard templates (versioned) and reviews.

Reviews point at a scorecard version, not at a call alone: ``call_id`` is one kind of subject,
and mystery-shopper visits will be another, scored with the same scorecards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
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
