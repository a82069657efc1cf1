from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional


class AgentLocationForm(FlaskForm):
    # Whether the location exists is the service's check.
    location_id = SelectField(
        _l("Location"), coerce=str, validators=[Optional()], validate_choice=False
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, locations: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.location_id.choices = [("", _l("No location")),
                                    *((str(loc.id), loc.name) for loc in locations)]
