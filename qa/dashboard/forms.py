from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional


class DashboardFilterForm(FlaskForm):
    """The period (and optionally one campaign for the charts), read from the query string."""

    class Meta:
        csrf = False  # a GET form: bookmarkable, changes nothing

    date_from = DateField(_l("From"), name="from", validators=[Optional()])
    date_to = DateField(_l("To"), name="to", validators=[Optional()])
    campaign = SelectField(
        _l("Charts for"), choices=[], validators=[Optional()], validate_choice=False
    )
    submit = SubmitField(_l("Show"))
