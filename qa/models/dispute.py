"""Disputes: an objection to one item of a review (or the whole review) or to one line of a pay
statement, and its outcome; acknowledgements: an employee read a review about their work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.pay import PayStatement
from qa.models.review import Review, ReviewRevision
from qa.models.user import User

# The key stored for a dispute about the whole review (item keys never start with "*").
WHOLE_REVIEW = "*"


class Dispute(db.Model):
    """Someone disputes an item of a review; a QA lead upholds or rejects it with a note.

    What is disputed is a review (a call's or a mystery shop's) or a pay statement's line. At
    most one open dispute per review item and per statement line: partial unique indexes.
    """

    __tablename__ = "disputes"
    __table_args__ = (
        Index(
            "uq_disputes_open_item",
            "review_id",
            "item_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index(
            "uq_disputes_open_statement_line",
            "statement_id",
            "item_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What is disputed: a review (its item_key a scorecard item) or a pay statement (its
    # item_key a line key); exactly one of the two is set.
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("pay_statements.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(80), default=WHOLE_REVIEW)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)
    # The revision that applied an upheld dispute's score change, if it changed anything.
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_revisions.id", ondelete="SET NULL")
    )
    # The statement version that corrected an upheld pay-line dispute, once the month was
    # calculated again.
    corrected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("pay_statements.id", ondelete="SET NULL")
    )

    review: Mapped[Review | None] = relationship()
    statement: Mapped[PayStatement | None] = relationship(foreign_keys=[statement_id])
    corrected_by: Mapped[PayStatement | None] = relationship(foreign_keys=[corrected_by_id])
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    revision: Mapped[ReviewRevision | None] = relationship()

    @property
    def about_whole_review(self) -> bool:
        return self.item_key == WHOLE_REVIEW


class ReviewAcknowledgement(db.Model):
    """An employee read a review about their work: who and when (once per review and user)."""

    __tablename__ = "review_acknowledgements"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_review_ack_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[Review] = relationship()
    user: Mapped[User | None] = relationship()
