"""A mystery shopper's report of one visit, and the evidence files that come with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.mystery import ShopAssignment

EVIDENCE_KINDS = ("recording", "photo", "receipt")


class ShopReport(db.Model):
    """What the shopper saw: visit facts, scorecard answers, narrative, evidence."""

    __tablename__ = "shop_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("shop_assignments.id", ondelete="CASCADE"), unique=True
    )
    visit_started_at: Mapped[datetime | None]  # naive UTC
    visit_ended_at: Mapped[datetime | None]  # naive UTC
    seller: Mapped[str | None] = mapped_column(String(300))
    wait_minutes: Mapped[int | None]
    narrative: Mapped[str | None] = mapped_column(Text)
    # Draft scorecard answers: {item key: {"value": ..., "comment": ...}}, partial allowed.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    draft_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[ShopAssignment] = relationship()
    review: Mapped[Review | None] = relationship("Review")  # noqa: F821
    call: Mapped[Call | None] = relationship("Call")  # noqa: F821
    evidence: Mapped[list[ShopEvidence]] = relationship(
        back_populates="report", order_by="ShopEvidence.id", cascade="all, delete-orphan"
    )

    def evidence_of(self, kind: str) -> list[ShopEvidence]:
        return [item for item in self.evidence if item.kind == kind]


class ShopEvidence(db.Model):
    """One file the shopper handed in, kept under a generated name and checked by content."""

    __tablename__ = "shop_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("shop_reports.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(60))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime | None]  # naive UTC, from EXIF (or the recording's call time)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[ShopReport] = relationship(back_populates="evidence")
