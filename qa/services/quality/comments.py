"""Time-stamped comments on calls and on review items, threads, @mentions, edits and deletions.

A root comment is about a moment of a call (a transcript line, or a time range in seconds within
the call) or about one scorecard item of a review; replies join the root's thread. ``@handle``
mentions a user, the handle being the part of their e-mail address before the ``@`` (so it works
for any name, Cyrillic ones too); only active users who may see the call or review are
mentioned, and each is notified. The author edits within :data:`EDIT_WINDOW`; the author, a QA
lead or an admin deletes, which leaves a trace in the thread.

Who may see a call's or a review's comments is decided in :func:`may_see_call` and
:func:`may_see_review` only: staff by their role, an employee on their own call or review by
:mod:`qa.services.quality.own_work`. Where a comment is shown depends on its reader too (the
staff pages or the employee's own, under /me): :func:`call_page` and :func:`review_page`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Call, Comment, Review, TranscriptSegment, User
from qa.models._base import utcnow
from qa.roles import ADMIN, QA_LEAD, can
from qa.services.admin import audit
from qa.services.calls.transcripts import call_duration
from qa.services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from qa.services.notifications.inbox import notify
from qa.services.quality.own_work import call_visible_to, review_visible_to
from qa.services.quality.scorecards import definition_of
from qa.services.validation import clean_text, finite_float, record_id, shown

MAX_BODY = 5000
EDIT_WINDOW = timedelta(minutes=10)
MODERATORS = frozenset({ADMIN, QA_LEAD})
# "@handle" not preceded by a word character or "@" (so "ivan@example.com" is no mention).
MENTION = re.compile(r"(?<![\w@])@([\w][\w.+-]*)")


# Access: the one place that says who sees which call's or review's comments.


def may_see_call(user: User, call: Call) -> bool:
    """Whether ``user`` may see ``call`` and its comments: staff who see calls, and the
    employee whose call it is."""
    if not user.is_active_user:
        return False
    return can(user.role, "calls.view") or call_visible_to(user, call)


def may_see_review(user: User, review: Review) -> bool:
    """Whether ``user`` may see ``review`` and the comments on its items: the QA team, and the
    employee the review is about."""
    if review.calibration_session_id is not None:
        return False  # calibration answers stay blind, outside the session
    if not user.is_active_user:
        return False
    return can(user.role, "reviews") or review_visible_to(user, review)


def may_see_comment(user: User, comment: Comment) -> bool:
    root = comment.parent or comment
    if root.call is not None:
        return may_see_call(user, root.call)
    if root.review is not None:
        return may_see_review(user, root.review)
    return False


def handle_of(user: User) -> str:
    """The handle that mentions ``user``: their e-mail address before the "@", lower case."""
    return user.email.split("@", 1)[0].lower()


# Reading.


def get_comment(comment_id: int, user: User) -> Comment:
    """The comment if ``user`` may see where it is; NotFound otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not may_see_comment(user, comment):
        raise NotFound(_("Nothing was found at this address."))
    return comment


def comment_to_edit(comment_id: int, user: User) -> Comment:
    """``user``'s own comment; anyone else's is not there for them (NotFound)."""
    comment = get_comment(comment_id, user)
    if comment.author_id != user.id:
        raise NotFound(_("Nothing was found at this address."))
    return comment


def comment_to_delete(comment_id: int, user: User) -> Comment:
    """A comment ``user`` may delete (their own; any, for a moderator); NotFound otherwise."""
    comment = get_comment(comment_id, user)
    if comment.author_id != user.id and user.role not in MODERATORS:
        raise NotFound(_("Nothing was found at this address."))
    return comment


def visible_comment(comment_id: object, user: User) -> Comment:
    """Like :func:`get_comment`, and a deleted comment is said to be deleted."""
    try:
        number = int(comment_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound(_("Nothing was found at this address.")) from None
    comment = db.session.get(Comment, number)
    if comment is None:
        raise NotFound(_("This comment was deleted, with its thread."))
    if not may_see_comment(user, comment):
        raise NotFound(_("Nothing was found at this address."))
    if comment.is_deleted:
        raise NotFound(_("This comment was deleted."))
    return comment


@dataclass(frozen=True)
class Piece:
    """A run of a comment's text; ``mention`` when it is a resolved @mention."""

    text: str
    mention: bool = False


def pieces(comment: Comment) -> list[Piece]:
    """The text split into plain runs and the mentions resolved when it was saved."""
    known = set(comment.mentions or [])
    result: list[Piece] = []
    cursor = 0
    for match in MENTION.finditer(comment.body or ""):
        handle = match.group(1).rstrip(".").lower()
        if handle not in known:
            continue
        start, end = match.start(), match.start() + 1 + len(handle)
        if start > cursor:
            result.append(Piece(comment.body[cursor:start]))
        result.append(Piece(comment.body[start:end], mention=True))
        cursor = end
    if cursor < len(comment.body or ""):
        result.append(Piece(comment.body[cursor:]))
    return result


@dataclass
class Thread:
    """A root comment with its replies, and its place on the player's timeline (percent)."""

    root: Comment
    replies: list[Comment] = field(default_factory=list)
    left: float = 0.0
    width: float = 0.0


def _roots(*conditions: object) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.parent_id.is_(None), *conditions)  # type: ignore[arg-type]
            .order_by(Comment.time_start, Comment.id)
        )
    )


def call_threads(call: Call) -> list[Thread]:
    """The call's threads by time, each placed on the timeline."""
    duration = call_duration(call)
    threads = []
    for root in _roots(Comment.call_id == call.id):
        start, end = root.time_start or 0.0, root.time_end or root.time_start or 0.0
        left = min(100.0, max(0.0, start / duration * 100)) if duration > 0 else 0.0
        width = max(0.6, (end - start) / duration * 100) if duration > 0 else 0.6
        threads.append(
            Thread(root, list(root.replies), round(left, 3), round(min(width, 100 - left), 3))
        )
    return threads


def threads_by_segment(threads: list[Thread]) -> dict[int, list[Thread]]:
    by_segment: dict[int, list[Thread]] = {}
    for thread in threads:
        if thread.root.segment_id is not None:
            by_segment.setdefault(thread.root.segment_id, []).append(thread)
    return by_segment


def review_threads(review: Review) -> dict[str, list[Thread]]:
    """The review's threads by scorecard item key, oldest first."""
    by_item: dict[str, list[Thread]] = {}
    for root in _roots(Comment.review_id == review.id):
        by_item.setdefault(root.item_key or "", []).append(Thread(root, list(root.replies)))
    return by_item


def call_page(call_id: int, reader: User) -> str:
    """The path of the call's page for ``reader``: the staff page, or an employee's own."""
    return f"/calls/{call_id}" if can(reader.role, "calls.view") else f"/me/calls/{call_id}"


def review_page(review_id: int, reader: User) -> str:
    """The path of the review's page for ``reader``: the staff page, or an employee's own."""
    return f"/reviews/{review_id}" if can(reader.role, "reviews") else f"/me/reviews/{review_id}"


def link_of(comment: Comment, reader: User) -> str:
    """The path of the page that shows ``comment`` in its thread, to ``reader``."""
    root = comment.parent or comment
    anchor = f"#comment-{comment.id}"
    if root.call_id is not None:
        at = f"?t={round(root.time_start or 0.0, 2):g}"
        return f"{call_page(root.call_id, reader)}{at}{anchor}"
    return f"{review_page(root.review_id, reader)}{anchor}"  # type: ignore[arg-type]


def may_edit(comment: Comment, user: User, now: datetime | None = None) -> bool:
    return (
        comment.author_id == user.id
        and not comment.is_deleted
        and (now or utcnow()) <= comment.created_at + EDIT_WINDOW
    )


def may_delete(comment: Comment, user: User) -> bool:
    return not comment.is_deleted and (comment.author_id == user.id or user.role in MODERATORS)


# Writing.


def _body(value: object) -> str:
    return (
        clean_text(value, field=_("Comment"), max_length=MAX_BODY, required=True, multiline=True)
        or ""
    )


def _mentioned(text: str, audience: Comment) -> list[User]:
    """The users ``text`` mentions; an unknown, inactive or unauthorised handle is refused."""
    handles: list[str] = []
    for match in MENTION.finditer(text):
        handle = match.group(1).rstrip(".").lower()
        if handle and handle not in handles:
            handles.append(handle)
    users: list[User] = []
    for handle in handles:
        found = [
            user
            for user in db.session.scalars(
                select(User).where(
                    func.lower(User.email).like(f"{_like_escaped(handle)}@%", escape="\\"),
                    User.is_active_user.is_(True),
                )
            )
            if handle_of(user) == handle and may_see_comment(user, audience)
        ]
        if len(found) != 1:
            raise ValidationFailed(
                _(
                    "No one who may see this can be mentioned as @%(handle)s: mention someone "
                    "by the part of their e-mail address before the @.",
                    handle=shown(handle, 40),
                )
            )
        users.append(found[0])
    return users


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _place(comment: Comment) -> dict[str, object]:
    """Parameters that name where a comment is, for the notification's text."""
    root = comment.parent or comment
    if root.call is not None:
        return {"call_title": root.call.display_title}
    return {"review_id": root.review_id}


def _notify_mentions(comment: Comment, users: list[User], author: User) -> set[int]:
    told: set[int] = set()
    for user in users:
        if user.id != author.id and user.id not in told:
            notify(
                user,
                "comment.mention",
                link_of(comment, user),
                author=author.name,
                comment_id=comment.id,
                **_place(comment),
            )
            told.add(user.id)
    return told


def _save(comment: Comment, body: object, author: User) -> Comment:
    text = _body(body)
    comment.body = text
    comment.author = author
    users = _mentioned(text, comment)
    comment.mentions = [handle_of(user) for user in users]
    db.session.add(comment)
    db.session.flush()
    told = _notify_mentions(comment, users, author)
    parent = comment.parent
    if (
        parent is not None
        and parent.author is not None
        and parent.author_id != author.id
        and parent.author_id not in told
        and may_see_comment(parent.author, comment)
    ):
        notify(
            parent.author,
            "comment.reply",
            link_of(comment, parent.author),
            author=author.name,
            comment_id=comment.id,
            **_place(comment),
        )
    return comment


def _check_call(call: Call | None, user: User) -> Call:
    if call is None or not may_see_call(user, call):
        raise NotFound(_("Nothing was found at this address."))
    return call


def comment_on_segment(
    call: Call | None, segment_id: object, body: object, author: User
) -> Comment:
    """Comment on one transcript line of ``call``."""
    call = _check_call(call, author)
    try:
        number = record_id(segment_id, field=_("Line"))
    except ValidationFailed:
        number = None  # text, a negative or a number past any id: no line of this call
    segment = db.session.get(TranscriptSegment, number) if number is not None else None
    if segment is None or segment.call_id != call.id:
        raise ValidationFailed(_("Choose a line of this call's transcript."))
    comment = Comment(call=call, segment=segment, time_start=segment.start, time_end=segment.end)
    return _save(comment, body, author)


def comment_on_range(
    call: Call | None, start: object, end: object, body: object, author: User
) -> Comment:
    """Comment on a moment (``end`` empty) or a range of ``call``, in seconds from its start."""
    call = _check_call(call, author)
    duration = call_duration(call)
    if duration <= 0:
        raise Conflict(_("This call's length is not known yet; comment on a line instead."))
    limit = Decimal(str(duration))
    first = finite_float(start, field=_("From (seconds)"), minimum=0, maximum=limit)
    if first is None:
        raise ValidationFailed(_("From (seconds): this field is required."))
    last = finite_float(end, field=_("To (seconds)"), minimum=0, maximum=limit)
    if last is None:
        last = first
    if last < first:
        raise ValidationFailed(_("The range ends before it starts."))
    comment = Comment(call=call, time_start=first, time_end=last)
    return _save(comment, body, author)


def comment_on_item(review: Review | None, item_key: object, body: object, author: User) -> Comment:
    """Comment on one scorecard item of ``review``."""
    if review is None or not may_see_review(author, review):
        raise NotFound(_("Nothing was found at this address."))
    keys = {item.key for item in definition_of(review.scorecard_version).items}
    if not isinstance(item_key, str) or item_key not in keys:
        raise ValidationFailed(_("Unknown scorecard item: %(key)s.", key=shown(item_key)))
    comment = Comment(review=review, item_key=item_key)
    return _save(comment, body, author)


def reply(parent: Comment, body: object, author: User) -> Comment:
    """Reply in ``parent``'s thread (a reply to a reply joins the same thread)."""
    root = parent.parent or parent
    if not may_see_comment(author, root):
        raise NotFound(_("Nothing was found at this address."))
    comment = Comment(parent=root)
    return _save(comment, body, author)


def edit_comment(
    comment: Comment, body: object, user: User, *, now: datetime | None = None
) -> Comment:
    """Change the text of ``user``'s own comment, within :data:`EDIT_WINDOW` of writing it."""
    if not may_see_comment(user, comment):
        raise NotFound(_("Nothing was found at this address."))
    if comment.author_id != user.id:
        raise NotAllowed(_("Only the author may edit a comment."))
    if comment.is_deleted:
        raise Conflict(_("This comment was deleted."))
    if (now or utcnow()) > comment.created_at + EDIT_WINDOW:
        raise Conflict(
            _(
                "A comment can be edited for %(minutes)d minutes after it is written; reply "
                "instead.",
                minutes=int(EDIT_WINDOW.total_seconds() // 60),
            )
        )
    text = _body(body)
    before = set(comment.mentions or [])
    users = _mentioned(text, comment)
    comment.body = text
    comment.mentions = [handle_of(u) for u in users]
    comment.edited_at = now or utcnow()
    db.session.flush()
    _notify_mentions(comment, [u for u in users if handle_of(u) not in before], user)
    return comment


def delete_comment(comment: Comment, user: User, *, now: datetime | None = None) -> Comment:
    """Delete ``comment``'s text; the thread keeps who deleted it and when."""
    if not may_see_comment(user, comment):
        raise NotFound(_("Nothing was found at this address."))
    if comment.is_deleted:
        raise Conflict(_("This comment was deleted."))
    if not may_delete(comment, user):
        raise NotAllowed(_("Only the author, a QA lead or an administrator may delete a comment."))
    comment.body = ""
    comment.mentions = []
    comment.deleted_at = now or utcnow()
    comment.deleted_by = user
    db.session.flush()
    audit.record(
        "delete", "comment", comment.id, "", call_id=comment.call_id, review_id=comment.review_id
    )
    return comment
