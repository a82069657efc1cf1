from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from qa.campaigns.forms import TableUploadForm
from qa.models import Campaign
from qa.vocabulary import AD_MARK_ELEMENT, AD_MARK_KIND, AD_MISSING, AD_STATUS

__all__ = [
    "AdBatchForm",
    "AdCheckForm",
    "AdFilterForm",
    "AdMarkForm",
    "ReauditForm",
    "TableUploadForm",
]

LANG_CHOICES = [("", _l("Detect automatically")), ("ru", _l("Russian")), ("en", _l("English"))]
STATUS_CHOICES = AD_STATUS.choices(_l("Any status"))
MISSING_CHOICES = AD_MISSING.choices(_l("Any element"))


def campaign_choices(campaigns: list[Campaign], empty_label: str) -> list[tuple[int, str]]:
    """Select choices for campaigns, with 0 standing for none."""
    return [(0, empty_label)] + [(c.id, c.name) for c in campaigns]


def online_field() -> BooleanField:
    """The "online ad" box: the marking (B4) is checked too; one field for one ad or a file."""
    return BooleanField(
        _l("Online ad in Russia"),
        description=_l("Also check the marking: «Реклама», the advertiser and the ERID token."),
    )


class AdCheckForm(FlaskForm):
    # The length limit is checked by the service after newlines are normalised.
    text = TextAreaField(
        _l("Ad text"), validators=[DataRequired()], render_kw={"rows": 6, "autofocus": True}
    )
    campaign_id = SelectField(_l("Campaign"), coerce=int, default=0)
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="")
    online = online_field()
    submit = SubmitField(_l("Audit and save"))


class AdBatchForm(TableUploadForm):
    """A file of ads; ``online`` checks every row's marking too."""

    online = online_field()
    submit = SubmitField(_l("Upload"))


class AdFilterForm(FlaskForm):
    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"), coerce=int, default=0)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="")
    missing = SelectField(_l("Missing"), choices=MISSING_CHOICES, default="")


class ReauditForm(FlaskForm):
    submit = SubmitField(_l("Audit again"))


class AdMarkForm(FlaskForm):
    """A marketer's mark on one element of an audit (values are checked by the service)."""

    element = SelectField(_l("Element"), choices=AD_MARK_ELEMENT.choices(), validate_choice=False)
    kind = SelectField(_l("Mark"), choices=AD_MARK_KIND.choices(), validate_choice=False)
    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2, "maxlength": 1000})
    submit = SubmitField(_l("Save the mark"))
