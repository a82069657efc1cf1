from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateTimeLocalField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start"))


class ReportForm(FlaskForm):
    """The visit facts and evidence of a report; scorecard answers are read by item key."""

    started_at = DateTimeLocalField(
        _l("Visit started"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
        description=_l("In the company's time zone."),
    )
    ended_at = DateTimeLocalField(
        _l("Visit ended"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    seller = StringField(_l("Seller's name or description"),
                         validators=[Optional(), Length(max=300)])
    wait_minutes = IntegerField(_l("Wait (minutes)"),
                                validators=[Optional(), NumberRange(min=0, max=1440)])
    narrative = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=20000)])
    recording = FileField(_l("Recording"))
    photos = MultipleFileField(_l("Photos"))
    receipt = MultipleFileField(_l("Receipt (photo or PDF)"))
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit the report"))


class RemoveEvidenceForm(FlaskForm):
    submit = SubmitField(_l("Remove"))
