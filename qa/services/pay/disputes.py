"""Disputes about one line of a pay statement, through the shared dispute mechanism.

The dispute is the same record as for reviews (:class:`qa.models.Dispute`), pointing at the
statement with the line's key; it is decided by :func:`qa.services.quality.disputes.resolve`.
An upheld line is corrected by fixing the data and calculating the month again: the frozen
statement stays as it was and the correction is a new version.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import Dispute, PayStatement, User
from qa.models._base import utcnow
from qa.roles import EMPLOYEE
from qa.services.admin.settings import company_settings
from qa.services.errors import Conflict, NotAllowed, ValidationFailed
from qa.services.pay.statements import shown_lines
from qa.services.quality.disputes import MAX_REASON, MIN_REASON
from qa.services.validation import clean_text, shown


def line_choices(statement: PayStatement) -> list[tuple[str, str]]:
    return [(line.key, line.text) for line in shown_lines(statement.lines)]


def window_closes(statement: PayStatement) -> datetime | None:
    if statement.approved_at is None:
        return None
    return statement.approved_at + timedelta(days=company_settings().dispute_window_days)


def can_raise(statement: PayStatement, user: User, now: datetime | None = None) -> bool:
    closes = window_closes(statement)
    return (
        user.role == EMPLOYEE
        and user.agent_id == statement.agent_id
        and statement.frozen
        and closes is not None
        and (now or utcnow()) <= closes
    )


def disputes_of(statement: PayStatement) -> list[Dispute]:
    return list(
        db.session.scalars(
            select(Dispute).where(Dispute.statement_id == statement.id).order_by(Dispute.id)
        )
    )


def raise_line_dispute(
    statement: PayStatement,
    item_key: object,
    reason: object,
    user: User,
    *,
    now: datetime | None = None,
) -> Dispute:
    """The employee disputes one line of their own approved statement, within the window."""
    texts = dict(line_choices(statement))
    if not isinstance(item_key, str) or item_key not in texts:
        raise ValidationFailed(_("Unknown line: %(key)s.", key=shown(item_key)))
    text = (
        clean_text(reason, field=_("Reason"), max_length=MAX_REASON, required=True, multiline=True)
        or ""
    )
    if len(text) < MIN_REASON:
        raise ValidationFailed(_("Explain the dispute in at least %(n)d characters.", n=MIN_REASON))
    if user.role != EMPLOYEE or user.agent_id != statement.agent_id or not statement.frozen:
        raise NotAllowed(_("You may not dispute this statement."))
    closes = window_closes(statement)
    if closes is None or (now or utcnow()) > closes:
        raise Conflict(_("The time to dispute this statement is over."))
    dispute = Dispute(
        statement=statement, item_key=item_key, raised_by=user, reason=text, status="open"
    )
    try:
        with db.session.begin_nested():
            db.session.add(dispute)
    except IntegrityError:
        raise Conflict(_("This item is already disputed; wait for the decision.")) from None
    return dispute
