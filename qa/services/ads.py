"""Ad texts and their audits: listing."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import AdText


def list_ad_texts(page: int, per_page: int) -> Pagination:
    query = (
        select(AdText)
        .options(selectinload(AdText.audits), selectinload(AdText.campaign))
        .order_by(AdText.created_at.desc(), AdText.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
