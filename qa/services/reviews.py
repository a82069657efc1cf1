"""Reviews: listing what has been scored."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Review


def list_reviews(page: int, per_page: int) -> Pagination:
    query = (
        select(Review)
        .options(selectinload(Review.call), selectinload(Review.reviewer))
        .order_by(Review.updated_at.desc(), Review.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
