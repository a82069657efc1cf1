"""Comment forms; lengths, times and mentions are checked by the comment service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional


class CommentForm(FlaskForm):
    """A new comment: on a transcript line (``segment_id``), a time range, or a review item."""

    body = TextAreaField(_l("Comment"), validators=[Optional()])
    segment_id = HiddenField(validators=[Optional()])
    item_key = HiddenField(validators=[Optional()])
    start = StringField(_l("From (seconds)"), validators=[Optional()])
    end = StringField(_l("To (seconds)"), validators=[Optional()])
    submit = SubmitField(_l("Comment"))


class ReplyForm(FlaskForm):
    """A reply in a thread, or a comment's new text."""

    body = TextAreaField(_l("Reply"), validators=[Optional()])
    submit = SubmitField(_l("Send"))
