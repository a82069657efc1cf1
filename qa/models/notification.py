"""In-app notifications: what happened, for whom; the text is written when it is read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.user import User


class Notification(db.Model):
    """One notice for one reader: a kind, its parameters and where it leads.

    The text is not stored: it is rendered from ``kind`` and ``params`` in the reader's language
    when shown (qa.services.notifications).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship()

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
