"""Forms of the ad-video pages: a batch upload and a re-audit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import SelectField, SubmitField

from qa.ads.forms import LANG_CHOICES
from transcription.video import VIDEO_SUFFIXES


class VideoUploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Videos"),
        validators=[FileRequired(_l("Choose at least one video."))],
        render_kw={"accept": ",".join(["video/*", *VIDEO_SUFFIXES])},
    )
    campaign_id = SelectField(_l("Campaign"), coerce=int, default=0)
    lang = SelectField(_l("Language"), choices=LANG_CHOICES, default="")
    submit = SubmitField(_l("Upload and audit"))
