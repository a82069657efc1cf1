"""Ad texts and their audits (offer, deadline, call to action)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, String, Text, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.company import Campaign
from qa.models.user import User


class AdText(db.Model):
    __tablename__ = "ad_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(5))
    # Columns of a batch row beyond campaign and text, kept as they came.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    campaign: Mapped[Campaign | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    audits: Mapped[list[AdAudit]] = relationship(
        back_populates="ad_text", order_by="AdAudit.id", cascade="all, delete-orphan"
    )

    @property
    def latest_audit(self) -> AdAudit | None:
        return self.audits[-1] if self.audits else None


class AdAudit(db.Model):
    __tablename__ = "ad_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    ad_text_id: Mapped[int] = mapped_column(
        ForeignKey("ad_texts.id", ondelete="CASCADE"), index=True
    )
    has_offer: Mapped[bool]
    has_deadline: Mapped[bool]
    has_cta: Mapped[bool]
    deadline_expired: Mapped[bool] = mapped_column(default=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    audited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ad_text: Mapped[AdText] = relationship(back_populates="audits")
    audited_by: Mapped[User | None] = relationship()
    marks: Mapped[list[AdAuditMark]] = relationship(
        back_populates="audit", order_by="AdAuditMark.id", cascade="all, delete-orphan"
    )

    # The one rule for "the ad passed": Python on a loaded audit, SQL in queries and filters.
    @hybrid_property
    def passed(self) -> bool:
        return self.has_offer and self.has_deadline and self.has_cta and not self.deadline_expired

    @passed.inplace.expression
    @classmethod
    def _passed_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.has_offer.is_(True),
            cls.has_deadline.is_(True),
            cls.has_cta.is_(True),
            cls.deadline_expired.is_(False),
        )


class AdAuditMark(db.Model):
    """A marketer's note that an element verdict is wrong or an element was missed: kept as
    data for the next round of ad-copy rules."""

    __tablename__ = "ad_audit_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("ad_audits.id", ondelete="CASCADE"), index=True
    )
    element: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    audit: Mapped[AdAudit] = relationship(back_populates="marks")
    created_by: Mapped[User | None] = relationship()
