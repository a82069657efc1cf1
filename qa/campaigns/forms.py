from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from qa.vocabulary import CAMPAIGN_CHANNEL, CAMPAIGN_KIND


class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    # A select over CAMPAIGN_CHANNEL; a campaign's own older channel stays a choice (see below).
    channel = SelectField(
        _l("Channel"), validators=[Optional(), Length(max=60)], validate_choice=False
    )
    kind = SelectField(_l("Kind"), choices=CAMPAIGN_KIND.choices())
    utm_source = StringField("utm_source", validators=[Optional(), Length(max=120)])
    utm_medium = StringField("utm_medium", validators=[Optional(), Length(max=120)])
    utm_campaign = StringField("utm_campaign", validators=[Optional(), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    # The range (and NaN or Infinity, which NumberRange cannot compare) is the service's check.
    spend = DecimalField(_l("Spend"), places=2, validators=[Optional()])
    views = IntegerField(_l("Ad views (impressions)"), validators=[Optional(), NumberRange(min=0)])
    # The marketer paid on the campaign's conversion; choices come from the view (the service).
    owner_id = SelectField(_l("Owner (marketer)"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = CAMPAIGN_CHANNEL.choices(_l("Not set"))
        current = self.channel.data
        if current and current not in CAMPAIGN_CHANNEL:
            self.channel.choices.append((current, current))


class TableUploadForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(), FileAllowed(["csv", "xlsx", "txt"], _l("CSV or XLSX only."))],
    )
    submit = SubmitField(_l("Upload"))
