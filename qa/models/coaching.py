"""Coaching: calls and moments of calls kept as examples, and examples assigned to employees."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call, TranscriptSegment
from qa.models.user import User

# What a tag names: a scorecard item (by key) or an objection or tracker label.
TAG_ITEM = "item"
TAG_LABEL = "label"


class CoachingExample(db.Model):
    """A call, or a moment of it (a transcript line or a time range), kept as a good or bad
    example with a note, tagged with scorecard items and objection labels.

    A whole call has no start and end; a moment has both, in seconds from the call's start.
    """

    __tablename__ = "coaching_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    # The line the moment was taken from, if any; a re-transcription may replace it.
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="SET NULL")
    )
    start_s: Mapped[float | None]
    end_s: Mapped[float | None]
    kind: Mapped[str] = mapped_column(String(10), index=True)
    note: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(5), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship()
    segment: Mapped[TranscriptSegment | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    tags: Mapped[list[CoachingTag]] = relationship(
        back_populates="example", cascade="all, delete-orphan", order_by="CoachingTag.id"
    )

    @property
    def is_moment(self) -> bool:
        return self.start_s is not None and self.end_s is not None

    @property
    def item_keys(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == TAG_ITEM]

    @property
    def labels(self) -> list[str]:
        return [t.value for t in self.tags if t.kind == TAG_LABEL]


class CoachingTag(db.Model):
    """One scorecard item or objection label an example is filed under."""

    __tablename__ = "coaching_tags"
    __table_args__ = (
        UniqueConstraint("example_id", "kind", "value", name="uq_coaching_tags_example_value"),
        # The library filters examples by a tag.
        Index("ix_coaching_tags_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    example_id: Mapped[int] = mapped_column(ForeignKey("coaching_examples.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(80))

    example: Mapped[CoachingExample] = relationship(back_populates="tags")


class CoachingAssignment(db.Model):
    """An example given to an employee to study, with an optional note and due date; the
    employee marks it seen."""

    __tablename__ = "coaching_assignments"
    __table_args__ = (
        UniqueConstraint("example_id", "assignee_id", name="uq_coaching_assignments_example_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    example_id: Mapped[int] = mapped_column(ForeignKey("coaching_examples.id", ondelete="CASCADE"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None]
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]

    example: Mapped[CoachingExample] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
