"""Calls: listing and reading what is stored."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Call


def list_calls(page: int, per_page: int) -> Pagination:
    """Newest calls first, with the agent and findings loaded for the list."""
    query = (
        select(Call)
        .options(selectinload(Call.agent), selectinload(Call.findings))
        .order_by(Call.created_at.desc(), Call.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
