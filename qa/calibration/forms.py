"""Calibration session form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from qa.reviews.forms import int_or_none


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CalibrationSessionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    template = SelectField(_l("Scorecard"), coerce=int_or_none, validators=[DataRequired()])
    consensus = SelectField(
        _l("Consensus score"),
        choices=[("median", _l("Median of the reviewers")), ("mean", _l("Mean of the reviewers"))],
    )
    calls = CheckboxListField(_l("Calls"), coerce=int)
    participants = CheckboxListField(_l("Reviewers (at least two)"), coerce=int)
    submit = SubmitField(_l("Start session"))
