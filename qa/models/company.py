"""Company-wide settings (one row) and the people and campaigns around calls."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.vocabulary import CAMPAIGN_KIND, LEAD_CHANNEL, LEAD_STATUS


class CompanySettings(db.Model):
    __tablename__ = "company_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    phone_region: Mapped[str] = mapped_column(String(2), default="RU")
    lead_link_window_hours: Mapped[int] = mapped_column(default=24)
    # Target bands in percent: below *_red is red, from *_green is green, amber between.
    mass_view_lead_red: Mapped[float] = mapped_column(default=5.0)
    mass_view_lead_green: Mapped[float] = mapped_column(default=10.0)
    targeted_view_lead_red: Mapped[float] = mapped_column(default=20.0)
    targeted_view_lead_green: Mapped[float] = mapped_column(default=30.0)
    lead_sale_red: Mapped[float] = mapped_column(default=60.0)
    # Lead -> sale is green only *above* this value (60-70% is the amber target band).
    lead_sale_green_above: Mapped[float] = mapped_column(default=70.0)
    # The objection detector's per-label thresholds; None keeps the model's own.
    objection_threshold_price: Mapped[float | None]
    objection_threshold_assortment: Mapped[float | None]
    # Days after a review is published (a mystery shop) or submitted (a call) to dispute it.
    dispute_window_days: Mapped[int] = mapped_column(default=7)
    # Days a call's recording, transcript and redacted copies are kept after the call
    # (qa.services.privacy.retention); None keeps them for ever.
    recording_retention_days: Mapped[int | None]
    transcript_retention_days: Mapped[int | None]
    redacted_retention_days: Mapped[int | None]
    # Personal data in transcripts (qa.services.calls.redaction): found after transcription and
    # shown as "[PHONE]" to every role not listed in original_roles.
    redact_transcripts: Mapped[bool] = mapped_column(default=False)
    # False: the original text is replaced by the redacted one (only the spans are kept).
    keep_originals: Mapped[bool] = mapped_column(default=True)
    original_roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["admin", "qa_lead"])
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Agent(db.Model):
    """A member of the sales staff whose calls are reviewed."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    team: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The store or branch the agent works at (mystery shopping visits it).
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )

    # What the person is paid as (marketer, seller, appointment setter); None: not on a plan.
    pay_role: Mapped[str | None] = mapped_column(String(20), index=True)

    # By name: qa.models.mystery imports this module (Location is resolved by the registry).
    location: Mapped[Location | None] = relationship("Location")  # noqa: F821


CAMPAIGN_KINDS = CAMPAIGN_KIND.values


class Campaign(db.Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="mass")
    utm_source: Mapped[str | None] = mapped_column(String(120))
    utm_medium: Mapped[str | None] = mapped_column(String(120))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    spend: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    views: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The marketer paid on this campaign's conversion.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )

    owner: Mapped[Agent | None] = relationship()


LEAD_CHANNELS = LEAD_CHANNEL.values
LEAD_STATUSES = LEAD_STATUS.values


class Lead(db.Model):
    __tablename__ = "leads"
    __table_args__ = (
        # The dashboard's per-period counts and repeat-buyer checks read only these columns.
        Index(
            "ix_leads_period_figures",
            "created_at",
            "campaign_id",
            "status",
            "channel",
            "customer_id",
        ),
        Index("ix_leads_customer_status", "customer_id", "status", "created_at"),
        # A campaign's leads, newest first (dashboard drill-down, campaign page); with status and
        # channel the dashboard's per-campaign counts are read from it alone, already grouped.
        Index("ix_leads_campaign_figures", "campaign_id", "created_at", "status", "channel"),
        # Pay figures per month: whose leads, won or not, for how much, read from the index alone.
        Index(
            "ix_leads_pay_period",
            "created_at",
            "campaign_id",
            "status",
            "sale_amount",
            "seller_id",
            "setter_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="call")
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="new")
    sale_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    customer_id: Mapped[str | None] = mapped_column(String(120), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    utm_source: Mapped[str | None] = mapped_column(String(120))
    utm_medium: Mapped[str | None] = mapped_column(String(120))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The seller who took the client to payment and the setter who booked the meeting.
    seller_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    setter_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )

    campaign: Mapped[Campaign | None] = relationship()
    seller: Mapped[Agent | None] = relationship(foreign_keys=[seller_id])
    setter: Mapped[Agent | None] = relationship(foreign_keys=[setter_id])
