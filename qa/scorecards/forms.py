"""Scorecard template form: the definition travels as JSON, edited by scorecard.js."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ScorecardForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("Active (offered for new reviews)"), default=True)
    definition = TextAreaField(
        _l("Sections and items (JSON)"), validators=[DataRequired(), Length(max=200_000)]
    )
    submit = SubmitField(_l("Save scorecard"))
