"""Comments: each post goes back to the page that shows the thread, at the comment."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from qa.calls.forms import ActionForm
from qa.comments import bp
from qa.comments.forms import CommentForm, ReplyForm
from qa.errors import back_on_error
from qa.extensions import db
from qa.models import Call, Comment, Review
from qa.roles import requires
from qa.services.errors import NotFound
from qa.services.quality import comments as comment_service


def _found(fetch: Callable[[int, Any], Comment], comment_id: int) -> Comment:
    """The comment ``fetch`` finds for the current user, else the 404 page with its message."""
    try:
        return fetch(comment_id, current_user)
    except NotFound:
        abort(404)  # the error page says nothing was found


def _page_of(comment: Comment) -> str:
    """The call or review page at ``comment``, the current user's (staff's or their own)."""
    return comment_service.link_of(comment, current_user)


@bp.route("/calls/<int:call_id>/comments", methods=["POST"])
@requires("comments")
def on_call(call_id: int):  # type: ignore[no-untyped-def]
    """A comment on a transcript line (``segment_id``) or a time range of the call."""
    call = db.session.get(Call, call_id)
    if call is None or not comment_service.may_see_call(current_user, call):
        abort(404)
    back_on_error(comment_service.call_page(call.id, current_user) + "#comments")
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    if form.segment_id.data:
        comment = comment_service.comment_on_segment(
            call, form.segment_id.data, form.body.data, current_user
        )
    else:
        comment = comment_service.comment_on_range(
            call, form.start.data, form.end.data, form.body.data, current_user
        )
    db.session.commit()
    flash(_("Comment saved."), "success")
    return redirect(_page_of(comment))


@bp.route("/reviews/<int:review_id>/comments", methods=["POST"])
@requires("comments")
def on_review(review_id: int):  # type: ignore[no-untyped-def]
    """A comment on one scorecard item of a review."""
    review = db.session.get(Review, review_id)
    if review is None or not comment_service.may_see_review(current_user, review):
        abort(404)
    back_on_error(comment_service.review_page(review.id, current_user) + "#review-items")
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    comment = comment_service.comment_on_item(
        review, form.item_key.data, form.body.data, current_user
    )
    db.session.commit()
    flash(_("Comment saved."), "success")
    return redirect(_page_of(comment))


@bp.route("/comments/<int:comment_id>/reply", methods=["POST"])
@requires("comments")
def reply(comment_id: int):  # type: ignore[no-untyped-def]
    parent = _found(comment_service.get_comment, comment_id)
    back_on_error(_page_of(parent))
    form = ReplyForm()
    if not form.validate_on_submit():
        abort(400)
    comment = comment_service.reply(parent, form.body.data, current_user)
    db.session.commit()
    flash(_("Reply saved."), "success")
    return redirect(_page_of(comment))


@bp.route("/comments/<int:comment_id>/edit", methods=["POST"])
@requires("comments")
def edit(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _found(comment_service.comment_to_edit, comment_id)
    back_on_error(_page_of(comment))
    form = ReplyForm()
    if not form.validate_on_submit():
        abort(400)
    comment_service.edit_comment(comment, form.body.data, current_user)
    db.session.commit()
    flash(_("Comment changed."), "success")
    return redirect(_page_of(comment))


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@requires("comments")
def delete(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _found(comment_service.comment_to_delete, comment_id)
    back_on_error(_page_of(comment))
    if not ActionForm().validate_on_submit():
        abort(400)
    comment_service.delete_comment(comment, current_user)
    db.session.commit()
    flash(_("Comment deleted."), "success")
    return redirect(_page_of(comment))


def comment_tools() -> SimpleNamespace:
    """What ``comments/_thread.html`` needs besides the threads: helpers and the forms."""
    return SimpleNamespace(
        pieces=comment_service.pieces,
        may_edit=comment_service.may_edit,
        may_delete=comment_service.may_delete,
        reply_form=ReplyForm(),
        action_form=ActionForm(),
        comment_form=CommentForm(),
    )


def call_comments(call: Call) -> dict[str, object]:
    """The call page's comments: threads by time, by transcript line, and the helpers."""
    if not comment_service.may_see_call(current_user, call):
        return {"comment_threads": None}
    threads = comment_service.call_threads(call)
    return {
        "comment_threads": threads,
        "comments_by_segment": comment_service.threads_by_segment(threads),
        "comment_tools": comment_tools(),
    }


def review_comments(review: Review) -> dict[str, object]:
    """The review page's comments by scorecard item, and the helpers."""
    if not comment_service.may_see_review(current_user, review):
        return {"item_threads": None}
    return {
        "item_threads": comment_service.review_threads(review),
        "comment_tools": comment_tools(),
    }
