from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from qa.reviews.forms import DisputeForm

__all__ = ["AcknowledgeForm", "DisputeForm"]


class AcknowledgeForm(FlaskForm):
    submit = SubmitField(_l("Acknowledge"))
