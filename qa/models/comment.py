"""Comments on a moment of a call (a transcript line or a time range) or a review's item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call, TranscriptSegment
from qa.models.review import Review
from qa.models.user import User


class Comment(db.Model):
    """A comment, or a reply to a root comment (``parent_id``); replies share the root's place.

    A comment is about a call (``call_id``, with a segment or a time range ``time_start`` to
    ``time_end`` in seconds) or about an item of a review (``review_id``, ``item_key``). A deleted
    comment keeps its row, without its text, so the thread shows who deleted it and when.
    """

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), index=True
    )
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="SET NULL")
    )
    time_start: Mapped[float | None]
    time_end: Mapped[float | None]
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str | None] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    # Handles (lower case) of the users the text mentions, resolved when it was saved.
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    call: Mapped[Call | None] = relationship()
    segment: Mapped[TranscriptSegment | None] = relationship()
    review: Mapped[Review | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list[Comment]] = relationship(
        back_populates="parent", order_by="Comment.id", cascade="all, delete-orphan"
    )
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
