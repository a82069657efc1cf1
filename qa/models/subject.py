"""Review subjects: the thing a review, a queue entry or a calibration item is about.

A subject has a ``kind`` and one foreign key per kind (``call_id`` for a call,
``shop_assignment_id`` for a mystery shop), each with its check. The agent and
the moment it happened are copied here so that agent scores and sampling periods are one query
for every kind. A call's subject follows its call: when the call's agent or time changes, the
subject changes in the same flush.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, Session, backref, mapped_column, object_session, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.call import Call
from qa.models.company import Agent
from qa.models.mystery import ShopAssignment


class ReviewSubject(db.Model):
    __tablename__ = "review_subjects"
    __table_args__ = (
        CheckConstraint("kind <> 'call' OR call_id IS NOT NULL", name="call_has_call_id"),
        CheckConstraint(
            "kind <> 'mystery_shop' OR shop_assignment_id IS NOT NULL",
            name="mystery_shop_has_assignment_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), unique=True
    )
    shop_assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_assignments.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agent: Mapped[Agent | None] = relationship()
    shop_assignment: Mapped[ShopAssignment | None] = relationship(
        backref=backref("review_subject", uselist=False, passive_deletes=True)
    )
    call: Mapped[Call | None] = relationship(
        backref=backref("review_subject", uselist=False, passive_deletes=True)
    )

    @classmethod
    def for_call(cls, call: Call) -> ReviewSubject:
        """The call's subject: its stored one, else a new one added with the call."""
        existing: ReviewSubject | None = call.review_subject
        if existing is not None:
            return existing
        subject = cls.of_call(call)
        session = object_session(call)
        if session is not None:
            # Attached to a stored call, it must be in the session before the next autoflush.
            session.add(subject)
        return subject

    @classmethod
    def of_call(cls, call: Call) -> ReviewSubject:
        """A new (unsaved) subject mirroring ``call``."""
        return cls(
            kind="call",
            call=call,
            agent=call.agent,
            agent_id=call.agent_id,
            occurred_at=call.called_at or call.created_at or utcnow(),
        )


    @classmethod
    def of_shop(cls, assignment: ShopAssignment) -> ReviewSubject:
        """A new (unsaved) subject for a mystery shop: the visit's first day, no single agent."""
        return cls(
            kind="mystery_shop",
            shop_assignment=assignment,
            agent_id=None,
            occurred_at=datetime.combine(assignment.wave.starts_on, time(12, 0)),
        )


_MIRRORED = ("agent_id", "agent", "called_at")


@event.listens_for(Session, "before_flush")
def _follow_calls(session: Session, flush_context: Any, instances: Any) -> None:
    """Keep a call subject's agent and time equal to its call's, whoever edits the call."""
    for obj in list(session.dirty):
        if not isinstance(obj, Call):
            continue
        attrs: Any = inspect(obj).attrs
        changed = [name for name in _MIRRORED if attrs[name].history.has_changes()]
        if not changed:
            continue
        with session.no_autoflush:
            subject = obj.review_subject
            if subject is None:
                continue
            if "agent" in changed:
                subject.agent = obj.agent
            elif "agent_id" in changed:
                # The relationship may still hold the old agent; the id is what was set.
                subject.agent = session.get(Agent, obj.agent_id) if obj.agent_id else None
        subject.occurred_at = obj.called_at or obj.created_at
