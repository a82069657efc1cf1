"""Opening a notification: where it leads, once its reader is checked to still see that.

Apart from :mod:`~qa.services.notifications.inbox` because it asks the features that notify
(comments, disputes, reviews of an employee's call, coaching) about their own rows, and those
features import the inbox to notify.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from qa.models import Notification, User
from qa.services.errors import NotFound
from qa.services.notifications.inbox import mark_read
from qa.services.quality.coaching import own_assignment
from qa.services.quality.comments import visible_comment
from qa.services.quality.disputes import get_dispute
from qa.services.quality.own_work import get_review


def still_visible(notice: Notification, user: User) -> bool:
    """Whether ``user`` may still see what ``notice`` is about (its text names it)."""
    try:
        _check(notice, user)
    except NotFound:
        return False
    return True


def _check(notice: Notification, user: User) -> None:
    params = notice.params or {}
    if "comment_id" in params:
        visible_comment(params["comment_id"], user)
    if notice.kind == "review.submitted" and "review_id" in params:
        _check_own(lambda number: get_review(user, number), params["review_id"])
    if "coaching_id" in params:
        _check_own(lambda number: _assignment(number, user), params["coaching_id"])
    if "dispute_id" in params:
        _check_own(lambda number: get_dispute(number, user), params["dispute_id"])


def _assignment(assignment_id: int, user: User) -> object:
    row = own_assignment(assignment_id, user)
    if row is None:
        raise NotFound(_("Nothing was found at this address."))
    return row


def _check_own(fetch: Callable[[int], object], value: object) -> None:
    """``fetch`` the row numbered ``value`` for the reader; NotFound, clearly said, if gone."""
    try:
        fetch(int(value))  # type: ignore[call-overload]
    except (NotFound, TypeError, ValueError):
        raise NotFound(
            _("What this notification pointed to is no longer there or not yours to see.")
        ) from None


def open_notice(notice: Notification, user: User) -> str:
    """Where the notification leads, once ``user`` is checked to still see its target.

    Marks it read. Raises NotFound with a clear message when what it points to was deleted or
    is no longer visible to ``user``; a kind with no target of ours to check leads to its
    link, whose page checks access as every page does.
    """
    mark_read(notice)
    _check(notice, user)
    if not notice.link:
        raise NotFound(_("This notification leads nowhere."))
    return notice.link
