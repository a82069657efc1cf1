from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from qa.campaigns.forms import TableUploadForm

__all__ = ["LocationForm", "TableUploadForm"]


class LocationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    # Ranges and NaN are the service's checks (one message for forms and imports).
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=40)])
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    # Whether the user may manage a location is the service's check (forms and imports alike).
    manager_id = SelectField(
        _l("Manager"), coerce=str, validators=[Optional()], validate_choice=False
    )
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, managers: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.manager_id.choices = [("", _l("No manager")), *((str(u.id), u.name) for u in managers)]
