"""Forms of coaching: an example from a call, library filters, assigning, marking seen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from qa.calibration.forms import CheckboxListField
from qa.corrections.forms import LANG_CHOICES
from qa.vocabulary import COACHING_KIND

STATE_CHOICES = [
    ("", _l("All assignments")),
    ("unseen", _l("Not seen yet")),
    ("overdue", _l("Overdue")),
    ("seen", _l("Seen")),
]


class ExampleForm(FlaskForm):
    """Choices are checked by the service, which names an unknown item or label."""

    kind = RadioField(_l("Example"), choices=COACHING_KIND.choices(), validate_choice=False)
    segment = HiddenField()
    start = StringField(
        _l("From"), description=_l("m:ss or seconds; leave both empty for the whole call")
    )
    end = StringField(_l("To"))
    note = TextAreaField(_l("Note"), description=_l("What to listen for, and why."))
    items = CheckboxListField(_l("Scorecard items"), validate_choice=False)
    labels = CheckboxListField(_l("Objections and trackers"), validate_choice=False)
    submit = SubmitField(_l("Save example"))


class LibraryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    item = SelectField(_l("Scorecard item"), default="")
    label = SelectField(_l("Objection or tracker"), default="")
    kind = SelectField(_l("Example"), choices=COACHING_KIND.choices(_l("Good and bad")), default="")
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="")
    q = StringField(_l("Note contains"))


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Employee"), validate_choice=False)
    note = TextAreaField(_l("Note for the employee (optional)"))
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))


class AssignmentFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(_l("Show"), choices=STATE_CHOICES, default="")


class SeenForm(FlaskForm):
    submit = SubmitField(_l("Mark as seen"))
