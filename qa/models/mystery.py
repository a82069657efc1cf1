"""Mystery shopping: locations, scenarios, waves of visits and each shopper's assignment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.user import User


class Location(db.Model):
    """A store, branch or call line that mystery shoppers visit."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    phone: Mapped[str | None] = mapped_column(String(32))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    manager: Mapped[User | None] = relationship()


class Scenario(db.Model):
    """What the shopper plays and asks, and what their report must carry."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    legend: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20), default="visit")
    # [{"label": "price" | "assortment" | a tracker label, "wording": "suggested words"}]
    objections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("scorecard_templates.id", ondelete="SET NULL")
    )
    needs_recording: Mapped[bool] = mapped_column(default=False)
    needs_photos: Mapped[bool] = mapped_column(default=False)
    needs_receipt: Mapped[bool] = mapped_column(default=False)
    min_narrative_chars: Mapped[int] = mapped_column(default=0)
    lockout_days: Mapped[int] = mapped_column(default=30)
    report_deadline_days: Mapped[int] = mapped_column(default=2)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # By name: qa.models.review imports review subjects, which import this module.
    template: Mapped[ScorecardTemplate | None] = relationship("ScorecardTemplate")  # noqa: F821


class Wave(db.Model):
    """One scenario played at several locations within a window of days."""

    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship()
    assignments: Mapped[list[ShopAssignment]] = relationship(
        back_populates="wave", order_by="ShopAssignment.id", cascade="all, delete-orphan"
    )

    @property
    def report_due_on(self) -> date:
        """The last day a shopper may hand in the report."""
        return self.ends_on + timedelta(days=self.scenario.report_deadline_days)


class ShopAssignment(db.Model):
    """One visit: a shopper plays the wave's scenario at one location."""

    __tablename__ = "shop_assignments"
    __table_args__ = (
        # The lockout check: a shopper's visits to a location, latest first.
        Index("ix_shop_assignments_shopper_location", "shopper_id", "location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="RESTRICT"), index=True
    )
    shopper_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    # A new deadline for the report, set when an editor returns it to the shopper.
    due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    wave: Mapped[Wave] = relationship(back_populates="assignments")
    location: Mapped[Location] = relationship()
    shopper: Mapped[User] = relationship()
    events: Mapped[list[AssignmentEvent]] = relationship(
        back_populates="assignment", order_by="AssignmentEvent.id", cascade="all, delete-orphan"
    )


class AssignmentEvent(db.Model):
    """One change of an assignment's state: who, when, from, to and why."""

    __tablename__ = "assignment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("shop_assignments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[ShopAssignment] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
