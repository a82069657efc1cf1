"""Notifications: other features call :func:`notify`; the reader's inbox lists and opens them.

A notification stores its kind and parameters, never its text: the text is written when it is
shown, in the reader's language. Opening one checks again that the reader may see what it points
to (access may have changed since), and says so clearly when that is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from qa.extensions import db
from qa.models import Notification, User
from qa.models._base import utcnow
from qa.services.errors import NotFound
from qa.timefmt import format_day, to_local
from qa.urls import safe_next

MAX_LINK = 500
# How many notifications the digest page shows, newest first within unread and read.
PAGE_LIMIT = 200


def notify(recipient: User | None, kind: str, link: str, **params: Any) -> Notification | None:
    """Tell ``recipient`` that ``kind`` happened; ``link`` is a path on this site.

    Nobody to tell (a deleted user) or an inactive recipient: nothing is stored. ``params`` are
    plain values (names, numbers, titles) that the kind's text is written with when shown.
    """
    if recipient is None or not recipient.is_active_user:
        return None
    target = safe_next(link) or ""
    notice = Notification(
        recipient=recipient, kind=kind, link=target[:MAX_LINK], params=dict(params)
    )
    db.session.add(notice)
    return notice


def _subject(params: dict[str, Any]) -> str:
    if "call_title" in params:
        return _("the call “%(title)s”", title=params["call_title"])
    if "review_id" in params:
        return _("review #%(id)s", id=params["review_id"])
    return _("a conversation")


def _mention(p: dict[str, Any]) -> str:
    return _(
        "%(author)s mentioned you in a comment on %(subject)s.",
        author=p.get("author", "?"),
        subject=_subject(p),
    )


def _reply(p: dict[str, Any]) -> str:
    return _(
        "%(author)s replied to your comment on %(subject)s.",
        author=p.get("author", "?"),
        subject=_subject(p),
    )


def _month(p: dict[str, Any]) -> str:
    """A stored month (YYYY-MM-DD) as "March 2026" / "март 2026" for the reader."""
    try:
        return format_date(date.fromisoformat(str(p.get("month"))), format="LLLL yyyy")
    except ValueError:
        return "?"


def _dispute_raised(p: dict[str, Any]) -> str:
    if "statement_id" in p:
        return _(
            "%(author)s disputed a line of their pay statement for %(month)s: %(item)s.",
            author=p.get("author", "?"),
            month=_month(p),
            item=p.get("item", ""),
        )
    return _(
        "%(author)s disputed review #%(review)s: %(item)s.",
        author=p.get("author", "?"),
        review=p.get("review_id", "?"),
        item=p.get("item", ""),
    )


def _dispute_decided(p: dict[str, Any]) -> str:
    if "statement_id" in p:
        if p.get("outcome") == "upheld":
            return _(
                "Your dispute about your pay for %(month)s was upheld: %(item)s.",
                month=_month(p),
                item=p.get("item", ""),
            )
        return _(
            "Your dispute about your pay for %(month)s was rejected: %(item)s.",
            month=_month(p),
            item=p.get("item", ""),
        )
    if p.get("outcome") == "upheld":
        return _("Your dispute about review #%(review)s was upheld.", review=p.get("review_id"))
    return _("Your dispute about review #%(review)s was rejected.", review=p.get("review_id"))


def _review_submitted(p: dict[str, Any]) -> str:
    return _(
        "%(author)s reviewed your call “%(title)s”. Open the review to acknowledge or dispute it.",
        author=p.get("author") or "?",
        title=p.get("call_title", ""),
    )


def _coaching_assigned(p: dict[str, Any]) -> str:
    if p.get("due_on"):
        return _(
            "%(author)s assigned you a coaching example to study by %(due)s.",
            author=p.get("author") or "?",
            due=_due(p["due_on"]),
        )
    return _("%(author)s assigned you a coaching example.", author=p.get("author") or "?")


def _due(value: object) -> str:
    try:
        return format_day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


# kind -> how its text is written; a kind missing here shows a neutral text.
TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "comment.mention": _mention,
    "comment.reply": _reply,
    "dispute.raised": _dispute_raised,
    "dispute.decided": _dispute_decided,
    "review.submitted": _review_submitted,
    "coaching.assigned": _coaching_assigned,
}


def text_of(notice: Notification) -> str:
    """The notification's text in the current reader's language."""
    writer = TEXTS.get(notice.kind)
    if writer is None:
        return _("You have a new notification.")
    return writer(dict(notice.params or {}))


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class DigestRow:
    notice: Notification
    text: str


@dataclass(frozen=True)
class DigestDay:
    day: date
    rows: list[DigestRow]


@dataclass(frozen=True)
class Digest:
    unread: list[DigestDay]
    read: list[DigestDay]
    unread_total: int


def _by_day(notices: list[Notification], shown: Callable[[Notification], bool]) -> list[DigestDay]:
    days: dict[date, list[DigestRow]] = {}
    for notice in notices:
        day = to_local(notice.created_at).date()
        text = text_of(notice) if shown(notice) else gone_text()
        days.setdefault(day, []).append(DigestRow(notice, text))
    return [DigestDay(day, rows) for day, rows in days.items()]


def gone_text() -> str:
    """The text of a notification whose subject its reader may no longer see (or that was
    deleted): it names nothing."""
    return _("Something you were told about is no longer there, or no longer yours to see.")


def digest(user: User, shown: Callable[[Notification], bool] = lambda _notice: True) -> Digest:
    """The user's notifications grouped by (company-local) day, unread first, newest first.

    ``shown`` says whether the reader may still see what a notification is about; the others
    keep their place but name nothing.
    """
    notices = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == user.id)
            .order_by(
                Notification.read_at.is_not(None),
                Notification.created_at.desc(),
                Notification.id.desc(),
            )
            .limit(PAGE_LIMIT)
        )
    )
    unread = [n for n in notices if n.read_at is None]
    read = [n for n in notices if n.read_at is not None]
    return Digest(_by_day(unread, shown), _by_day(read, shown), unread_count(user))


def get_notice(notice_id: int, user: User) -> Notification:
    """The user's own notification; anyone else's is not there (NotFound)."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.recipient_id != user.id:
        raise NotFound(_("Nothing was found at this address."))
    return notice


def mark_read(notice: Notification, now: datetime | None = None) -> None:
    if notice.read_at is None:
        notice.read_at = now or utcnow()


def mark_all_read(user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
