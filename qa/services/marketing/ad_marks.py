"""Marketers' marks on ad audits: a verdict that is wrong, an element the rules missed.

Kept as data for the next round of ad-copy rules, and exported as JSON lines.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import AdAudit, AdAuditMark, User
from qa.services.errors import Conflict, ValidationFailed
from qa.services.validation import clean_text
from qa.timefmt import iso_local
from qa.vocabulary import AD_MARK_ELEMENT, AD_MARK_KIND

MAX_NOTE = 1000
PAGE_SIZE = 50


def mark_audit(
    audit: AdAudit, element: object, kind: object, note: object, user: User | None
) -> AdAuditMark:
    """Store a mark on one element of an audit; the same mark twice is refused."""
    if not isinstance(element, str) or element not in AD_MARK_ELEMENT:
        raise ValidationFailed(_("Unknown ad element: %(element)s", element=str(element)[:40]))
    if not isinstance(kind, str) or kind not in AD_MARK_KIND:
        raise ValidationFailed(_("Choose whether the verdict is wrong or the element was missed."))
    note_text = clean_text(note, field=_("Note"), max_length=MAX_NOTE, multiline=True)
    same = db.session.scalar(
        select(AdAuditMark.id)
        .where(
            AdAuditMark.audit_id == audit.id,
            AdAuditMark.element == element,
            AdAuditMark.kind == kind,
        )
        .limit(1)
    )
    if same is not None:
        raise Conflict(_("This element of this audit is already marked so."))
    mark = AdAuditMark(
        audit_id=audit.id,
        element=element,
        kind=kind,
        note=note_text,
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(mark)
    db.session.flush()
    return mark


def list_marks(page: int = 1) -> Any:
    """Every mark, newest first, one page."""
    query = (
        select(AdAuditMark)
        .options(
            selectinload(AdAuditMark.created_by),
            selectinload(AdAuditMark.audit).selectinload(AdAudit.ad_text),
        )
        .order_by(AdAuditMark.created_at.desc(), AdAuditMark.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def mark_rows() -> list[dict[str, Any]]:
    """Every mark with its ad text and the audit's verdict, oldest first (the JSON-lines export)."""
    marks = db.session.scalars(
        select(AdAuditMark)
        .options(selectinload(AdAuditMark.audit).selectinload(AdAudit.ad_text))
        .order_by(AdAuditMark.id)
    )
    rows = []
    for mark in marks:
        audit = mark.audit
        rows.append(
            {
                "id": f"admark-{mark.id}",
                "ad_id": audit.ad_text_id,
                "audit_id": audit.id,
                "text": audit.ad_text.text,
                "lang": audit.ad_text.lang,
                "element": mark.element,
                "kind": mark.kind,
                "note": mark.note,
                "verdict": {
                    "offer": audit.has_offer,
                    "deadline": audit.has_deadline,
                    "cta": audit.has_cta,
                    "deadline_expired": audit.deadline_expired,
                },
                "created_at": iso_local(mark.created_at),
            }
        )
    return rows
