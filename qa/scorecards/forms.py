"""Scorecard template form: the definition travels as JSON, edited by scorecard.js."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from qa.services.quality.scorecard_defaults import LANGUAGE_NAMES


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ScorecardForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("Active (offered for new reviews)"), default=True)
    language = SelectField(
        _l("Language of the items"),
        choices=[("", _l("Any language")), *LANGUAGE_NAMES.items()],
        validators=[Optional()],
    )
    # Choices: the app's languages and the agents' teams (filled by the view).
    default_languages = CheckboxesField(_l("Default for calls in"), validators=[Optional()])
    default_teams = CheckboxesField(
        _l("Default for the calls of teams (wins over the language)"), validators=[Optional()]
    )
    definition = TextAreaField(
        _l("Sections and items (JSON)"), validators=[DataRequired(), Length(max=200_000)]
    )
    submit = SubmitField(_l("Save scorecard"))
