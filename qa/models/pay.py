"""Pay tied to results: appointments, KPI plans by role and period, statements per person."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.company import Agent, Lead
from qa.models.user import User


class Appointment(db.Model):
    """A meeting, measurement or first contact an appointment setter booked (held or not)."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_setter_period", "setter_id", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    scheduled_at: Mapped[datetime] = mapped_column(index=True)
    held: Mapped[bool] = mapped_column(default=False)
    setter_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    setter: Mapped[Agent | None] = relationship()
    lead: Mapped[Lead | None] = relationship()


class PayPlan(db.Model):
    """One version of a role's KPI plan, in force from ``valid_from`` (a month's first day).

    A month is paid on the latest version in force on its first day; a new version never
    changes the months before it. ``definition`` is :meth:`pay.Plan.as_dict`.
    """

    __tablename__ = "pay_plans"
    __table_args__ = (UniqueConstraint("role", "valid_from", name="uq_pay_plans_role_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    valid_from: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()


class PayStatement(db.Model):
    """One person's statement for one month, as computed; approved ones are frozen.

    A recalculation after approval stores a new version beside the frozen one, never over it.
    ``lines`` are :meth:`pay.Line.as_dict` rows; ``sources`` maps each figure to the ids of the
    leads, appointments, calls and reviews behind it at the time of computing.
    """

    __tablename__ = "pay_statements"
    __table_args__ = (
        UniqueConstraint("agent_id", "period", "version", name="uq_pay_statements_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    period: Mapped[date] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    role: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("pay_plans.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fixed: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    variable: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    revenue: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    leads: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    exported_at: Mapped[datetime | None]

    agent: Mapped[Agent] = relationship()
    plan: Mapped[PayPlan | None] = relationship()
    approved_by: Mapped[User | None] = relationship()

    @property
    def frozen(self) -> bool:
        return self.state != "draft"
