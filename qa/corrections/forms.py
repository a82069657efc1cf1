"""Forms of objection corrections: marks on the call page, the QA lead's decision, filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

from qa.vocabulary import CORRECTION_STATUS, OBJECTION

LANG_CHOICES = [("", _l("Any language")), ("ru", "Русский"), ("en", "English")]


class WrongFlagForm(FlaskForm):
    """The "Wrong flag" button of one objection flag."""

    submit = SubmitField(_l("Wrong flag"))


class MissedForm(FlaskForm):
    """Words of a customer line marked as a missed objection.

    A script fills ``start`` and ``end`` from the selection; without it, ``words`` is typed.
    Values are checked by the service (offsets against the line's text).
    """

    start = HiddenField()
    end = HiddenField()
    words = StringField(_l("Words"))
    label = SelectField(_l("Objection"), choices=OBJECTION.choices(), validate_choice=False)


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note"))
    accept = SubmitField(_l("Accept"))
    reject = SubmitField(_l("Reject"))


class CorrectionFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"), choices=CORRECTION_STATUS.choices(_l("Any status")), default="pending"
    )
    label = SelectField(_l("Objection"), choices=OBJECTION.choices(_l("Any objection")), default="")
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="")
