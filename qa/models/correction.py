"""Reviewers' corrections of objection flags: data for the next training round."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call, Finding, TranscriptSegment
from qa.models.user import User
from qa.vocabulary import CORRECTION_KIND, CORRECTION_STATUS

CORRECTION_KINDS = CORRECTION_KIND.values
CORRECTION_STATUSES = CORRECTION_STATUS.values


class ObjectionCorrection(db.Model):
    """A flag marked wrong, or an objection the detector missed, and a QA lead's decision.

    The words and the segment (with the agent's turn before it) are kept as they read when the
    mark was made, so a later correction of the transcript does not change the training row.
    """

    __tablename__ = "objection_corrections"
    __table_args__ = (
        # The duplicate check and the training export read a segment's corrections by status.
        Index("ix_objection_corrections_segment_status", "segment_id", "status"),
        Index("ix_objection_corrections_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="CASCADE")
    )
    # The flag marked wrong; findings are replaced on every re-analysis, so it may go.
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(20))
    start_char: Mapped[int]
    end_char: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    segment_text: Mapped[str] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    call: Mapped[Call] = relationship()
    segment: Mapped[TranscriptSegment] = relationship()
    finding: Mapped[Finding | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
