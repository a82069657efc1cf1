from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from qa.leads.forms import ConfirmImportForm, TableUploadForm


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


class InviteForm(FlaskForm):
    """Invite an agent as an employee user; the e-mail only where the agent has none."""

    # Well-formedness is the service's check (one message for invitations and imports).
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    submit = SubmitField(_l("Invite"))


__all__ = ["AgentLocationForm", "ConfirmImportForm", "InviteForm", "TableUploadForm"]
