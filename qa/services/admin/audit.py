"""The audit trail's one door: ``record(action, obj_type, obj_id, summary, **details)``.

Services call it where something is viewed unredacted, changed or deleted; the actor and the
client address come from the request being served (none in the ``qa`` command). Events are only
ever added: nothing in the app updates or deletes them (PostgreSQL refuses it with a trigger).
Views of a call's recording or transcript are recorded once per user, call and hour
(:func:`record_view`), so the trail stays readable.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from qa.extensions import db
from qa.models import AuditEvent
from qa.models._base import utcnow

VIEW_INTERVAL = timedelta(hours=1)
MAX_SUMMARY = 300


def _actor() -> Any:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def _plain(value: Any) -> Any:
    """A value JSON can hold (dates and decimals as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def record(
    action: str, obj_type: str, obj_id: int | None, summary: str = "", **details: Any
) -> AuditEvent:
    """Add one event in the current transaction (it is kept when the change it describes is)."""
    actor = _actor()
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_name=(actor.name or "")[:120] if actor is not None else "",
        actor_email=(actor.email or "")[:255] if actor is not None else "",
        action=action,
        object_type=obj_type,
        object_id=obj_id,
        summary=summary.replace("\x00", "")[:MAX_SUMMARY],
        details={k: _plain(v) for k, v in details.items()},
        ip=(request.remote_addr or None) if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_view(obj_type: str, obj_id: int, summary: str = "", **details: Any) -> bool:
    """Record a view unless the same user viewed the same object within the hour."""
    actor = _actor()
    since = utcnow() - VIEW_INTERVAL
    recent = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == "view",
            AuditEvent.object_type == obj_type,
            AuditEvent.object_id == obj_id,
            AuditEvent.actor_id == (actor.id if actor is not None else None),
            AuditEvent.at >= since,
        )
        .limit(1)
    )
    if recent is not None:
        return False
    record("view", obj_type, obj_id, summary, **details)
    return True
