"""Ad videos and their audits (speech and on-screen text: offer, deadline, CTA, marking)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.company import Campaign
from qa.models.user import User


class AdVideo(db.Model):
    __tablename__ = "ad_videos"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    original_filename: Mapped[str] = mapped_column(String(255))
    # Relative to RECORDINGS_DIR, content-addressed like recordings.
    video_path: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int]
    duration: Mapped[float]
    width: Mapped[int]
    height: Mapped[int]
    has_audio: Mapped[bool]
    lang: Mapped[str | None] = mapped_column(String(5))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The audit's run on the job queue: queued, running, done or failed (with the reason).
    audit_status: Mapped[str] = mapped_column(
        String(16), default="queued", server_default="done", index=True
    )
    audit_error: Mapped[str | None] = mapped_column(String(1000))
    audit_requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    audit_queued_at: Mapped[datetime | None]
    audit_started_at: Mapped[datetime | None]

    campaign: Mapped[Campaign | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    audits: Mapped[list[AdVideoAudit]] = relationship(
        back_populates="video", order_by="AdVideoAudit.id", cascade="all, delete-orphan"
    )

    @property
    def latest_audit(self) -> AdVideoAudit | None:
        return self.audits[-1] if self.audits else None

    @property
    def audit_pending(self) -> bool:
        return self.audit_status in ("queued", "running")


class AdVideoAudit(db.Model):
    __tablename__ = "ad_video_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(
        ForeignKey("ad_videos.id", ondelete="CASCADE"), index=True
    )
    has_offer: Mapped[bool]
    has_deadline: Mapped[bool]
    has_cta: Mapped[bool]
    deadline_expired: Mapped[bool] = mapped_column(default=False)
    marking_complete: Mapped[bool] = mapped_column(default=False)
    screen_read: Mapped[bool] = mapped_column(default=True)
    # The CLI line plus explanations, suggestions, notes and timings (see services.ad_videos).
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    audited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    video: Mapped[AdVideo] = relationship(back_populates="audits")
    audited_by: Mapped[User | None] = relationship()

    @property
    def passed(self) -> bool:
        return (
            self.has_offer
            and self.has_deadline
            and self.has_cta
            and not self.deadline_expired
            and self.marking_complete
        )
