"""Team vocabulary the analysis and the speech engine use: custom trackers and the glossary."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import db
from qa.models._base import utcnow


class Tracker(db.Model):
    """A custom tracker added in the UI; merged with the built-in packs at analysis time."""

    __tablename__ = "trackers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(60))
    lang: Mapped[str] = mapped_column(String(5), default="ru")
    said_by: Mapped[str] = mapped_column(String(10), default="customer")
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryTerm(db.Model):
    """A product, brand or competitor name; with ``misheard`` it is also a replacement."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    misheard: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="product")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
