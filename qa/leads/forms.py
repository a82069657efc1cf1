from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField
from wtforms.validators import DataRequired, Regexp

from qa.campaigns.forms import TableUploadForm

__all__ = ["ConfirmImportForm", "LinkCallForm", "TableUploadForm", "UnlinkCallForm"]


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}\.(csv|xlsx|txt)$")])
    submit = SubmitField(_l("Import the good rows"))


class LinkCallForm(FlaskForm):
    lead_id = IntegerField(_l("Lead number"), validators=[DataRequired()])
    submit = SubmitField(_l("Link"))


class UnlinkCallForm(FlaskForm):
    submit = SubmitField(_l("Unlink"))
