"""Data versions: one counter row per group of tables whose derived figures are cached."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import db


class DataVersion(db.Model):
    """A group's counter, raised by every committed write to one of its tables.

    ``token`` is random: it is chosen when the row is first written and again after a restore,
    so two databases (or one database before and after a restore) never share a
    (token, version) pair, and a figure cached under one pair cannot be served for the other.
    """

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger, default=0)
