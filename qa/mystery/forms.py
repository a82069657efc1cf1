from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from qa.vocabulary import SHOP_CHANNEL


class ScenarioForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    legend = TextAreaField(
        _l("Legend: who the shopper is and what they ask for"),
        validators=[DataRequired(), Length(max=5000)],
    )
    channel = SelectField(_l("Channel"), choices=SHOP_CHANNEL.choices())
    objection_lines = TextAreaField(
        _l("Objections to raise, one a line: label: suggested words"),
        validators=[Optional(), Length(max=20000)],
    )
    template_id = SelectField(_l("Scorecard"), coerce=str, validators=[Optional()])
    needs_recording = BooleanField(_l("A recording is required"))
    needs_photos = BooleanField(_l("Photos are required"))
    needs_receipt = BooleanField(_l("A receipt is required"))
    min_narrative_chars = IntegerField(
        _l("Minimum narrative length (characters)"), default=0,
        validators=[Optional(), NumberRange(min=0, max=5000)],
    )
    lockout_days = IntegerField(
        _l("Lockout days (the same shopper may not return sooner)"), default=30,
        validators=[Optional(), NumberRange(min=0, max=3650)],
    )
    report_deadline_days = IntegerField(
        _l("Report deadline: days after the last day of the wave"), default=2,
        validators=[Optional(), NumberRange(min=0, max=365)],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, templates: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.template_id.choices = [("", _l("No scorecard")),
                                    *((str(t.id), t.name) for t in templates)]


class WaveForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    scenario_id = SelectField(_l("Scenario"), coerce=str, validators=[DataRequired()])
    starts_on = DateField(_l("First day of the visits"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day of the visits"), validators=[DataRequired()])
    locations = SelectMultipleField(_l("Locations"), coerce=str, validate_choice=False)
    shoppers = SelectMultipleField(
        _l("Shoppers taken in turn where none is chosen"), coerce=str, validate_choice=False
    )
    submit = SubmitField(_l("Schedule the wave"))

    def __init__(self, *args: Any, scenarios: list[Any] = (), shoppers: list[Any] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scenario_id.choices = [(str(s.id), s.name) for s in scenarios]
        self.shoppers.choices = [(str(u.id), u.name) for u in shoppers]


class MoveForm(FlaskForm):
    to_state = HiddenField(validators=[DataRequired(), Length(max=20)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    # Required when the report goes back to the shopper.
    due_on = DateField(_l("New deadline for the report"), validators=[Optional()])
    submit = SubmitField(_l("Save"))
