"""Posting a dispute's forms, for every page that shows disputes: raising one on a review, a
shop report or a pay statement, and deciding one; each then goes back with a message."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from qa.errors import back_on_error
from qa.extensions import db
from qa.models import Dispute
from qa.services.quality import disputes as dispute_service


def raise_from_form(subject: Any, form: FlaskForm, back: str, message: str) -> Response:
    """Raise the dispute ``form`` describes on ``subject``; go back to ``back`` with ``message``."""
    if not form.validate_on_submit():
        abort(400)
    back_on_error(back)
    dispute_service.raise_dispute(subject, form.item_key.data, form.reason.data, current_user)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


def decide_from_form(dispute: Dispute, form: FlaskForm, back: str) -> Response:
    """Uphold or reject ``dispute`` as ``form`` says (with a new answer for its item, where the
    form has one); go back to ``back``."""
    if not form.validate_on_submit():
        abort(400)
    back_on_error(back)
    changes = {}
    new_answer = getattr(form, "new_answer", None)
    if new_answer is not None and new_answer.data and not dispute.about_whole_review:
        changes[dispute.item_key] = new_answer.data
    dispute_service.resolve(
        dispute, form.outcome.data or "", form.note.data, current_user, changes=changes
    )
    db.session.commit()
    flash(_("Dispute decided."), "success")
    return redirect(back)
