"""Records of personal data deleted on request: kept apart from what they describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import db
from qa.models._base import utcnow


class PersonalDataErasure(db.Model):
    """What was deleted, when, by whom and on whose request; printable as the deletion record.

    No foreign keys: the row outlives the user and the calls it names, and retention never
    deletes it. The phone number asked about is kept masked (its last two digits), so the record
    itself holds no number.
    """

    __tablename__ = "personal_data_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    # "call" (one call) or "phone" (everything about one number)
    scope: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(40))
    requested_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    # {"calls": [ids], "leads": [ids], "recordings": n, "transcript_lines": n, ...}
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
