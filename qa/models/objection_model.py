"""Retrained versions of the objection classifier, and which one judges calls now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow

# status values
ACTIVE = "active"
RETIRED = "retired"
REFUSED = "refused"
MODEL_STATUSES = (ACTIVE, RETIRED, REFUSED)


class ObjectionModelVersion(db.Model):
    """One ``qa train objections`` run: its model files, what it learnt from, how it scored.

    At most one row is active; with none, the model shipped with the code judges calls.
    """

    __tablename__ = "objection_model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Folder name under OBJECTION_MODELS_DIR holding objections.<lang>.joblib for each language.
    folder: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    # {"ru": "<12 hex>", "en": "<12 hex>"}: the version every finding records.
    versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Accepted corrections learnt from, per language.
    corrections: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # {"before": [set scores], "after": [set scores], "reasons": [why it was refused]}
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]

    files: Mapped[list[ObjectionModelFile]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="ObjectionModelFile.lang"
    )


class ObjectionModelFile(db.Model):
    """A model file kept in the database, so every worker machine judges with the same one;
    each machine writes it to its local model cache before loading it."""

    __tablename__ = "objection_model_files"
    __table_args__ = (UniqueConstraint("version_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("objection_model_versions.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(5))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[ObjectionModelVersion] = relationship(back_populates="files")
