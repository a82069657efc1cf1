"""Notifications: the digest by day (unread first), opening one (access checked again), read."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.calls.forms import ActionForm
from qa.extensions import db
from qa.notifications import bp
from qa.roles import requires
from qa.services.errors import NotFound
from qa.services.notifications import inbox, targets


@bp.route("/")
@requires("account")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "notifications/index.html",
        digest=inbox.digest(
            current_user, shown=lambda notice: targets.still_visible(notice, current_user)
        ),
        action_form=ActionForm(),
    )


@bp.route("/<int:notice_id>")
@requires("account")
def open_notice(notice_id: int):  # type: ignore[no-untyped-def]
    """Mark read and follow the link, once the reader is checked to still see its target."""
    try:
        notice = inbox.get_notice(notice_id, current_user)
    except NotFound:
        abort(404)  # the error page says nothing was found
    try:
        target = targets.open_notice(notice, current_user)
    except NotFound as exc:
        db.session.commit()  # read, even though what it pointed to is gone
        flash(str(exc), "warning")
        return redirect(url_for("notifications.index"))
    db.session.commit()
    return redirect(target)


@bp.route("/<int:notice_id>/read", methods=["POST"])
@requires("account")
def read(notice_id: int):  # type: ignore[no-untyped-def]
    try:
        notice = inbox.get_notice(notice_id, current_user)
    except NotFound:
        abort(404)  # the error page says nothing was found
    if not ActionForm().validate_on_submit():
        abort(400)
    inbox.mark_read(notice)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@requires("account")
def read_all():  # type: ignore[no-untyped-def]
    if not ActionForm().validate_on_submit():
        abort(400)
    count = inbox.mark_all_read(current_user)
    db.session.commit()
    flash(_("All notifications marked read (%(n)d).", n=count), "success")
    return redirect(url_for("notifications.index"))
