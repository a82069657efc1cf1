"""Forms of the calls pages: list filters, upload, corrections and speaker roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from qa.services.calls.intake import AUDIO_SUFFIXES, checked_phone
from qa.services.calls.listing import SORTS
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text, sane_date
from qa.vocabulary import CALL_STATUS, OBJECTION_FLAG

SORT_LABELS = {
    "newest": _l("Newest uploads first"),
    "oldest": _l("Oldest uploads first"),
    "called_desc": _l("Latest call time first"),
    "called_asc": _l("Earliest call time first"),
    "longest": _l("Longest first"),
    "shortest": _l("Shortest first"),
}
FLAG_CHOICES = [
    *OBJECTION_FLAG.choices(_l("Any flags")),
    ("any", _l("Any flag")),
    ("none", _l("No flags")),
]
REVIEWED_CHOICES = [
    ("", _l("Reviewed or not")),
    ("yes", _l("Reviewed")),
    ("no", _l("Not reviewed")),
]
CHANNEL_CHOICES = [
    ("left", _l("Stereo: agent on the left channel")),
    ("right", _l("Stereo: agent on the right channel")),
    ("none", _l("Mono (roles assigned later)")),
]
LANGUAGE_CHOICES = [("", _l("Detect automatically")), ("ru", "Русский"), ("en", "English")]
SAID_BY_CHOICES = [("", _l("Anyone")), ("customer", _l("Customer")), ("agent", _l("Agent"))]


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class CallFilterForm(FlaskForm):
    """The GET form above the calls list (and the search page)."""

    class Meta:
        csrf = False

    q = StringField(_l("Title, file or phone"), validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Status"),
        choices=CALL_STATUS.choices(_l("Any status")),
        validators=[Optional()],
    )
    agent = SelectField(_l("Agent"), coerce=_int_or_none, validators=[Optional()])
    campaign = SelectField(_l("Campaign"), coerce=_int_or_none, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    flag = SelectField(_l("Flags"), choices=FLAG_CHOICES, validators=[Optional()])
    reviewed = SelectField(_l("Review"), choices=REVIEWED_CHOICES, validators=[Optional()])
    mine = BooleanField(_l("Assigned to me"))
    sort = SelectField(
        _l("Sort"), choices=[(key, SORT_LABELS[key]) for key in SORTS], validators=[Optional()]
    )

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class SearchForm(CallFilterForm):
    """Transcript search: the query plus the calls-list filters."""

    text = StringField(
        _l("Words or a phrase"),
        validators=[Optional(), Length(max=200)],
        description=_l('Any form of each word matches; put a phrase in "double quotes".'),
    )
    said_by = SelectField(_l("Said by"), choices=SAID_BY_CHOICES, validators=[Optional()])


def checked_by(check: Callable[..., object]) -> Callable[[FlaskForm, Field], None]:
    """A validator running one of the checks every door shares, named by the field's label."""

    def validator(form: FlaskForm, field: Field) -> None:
        try:
            check(field.data, field=str(field.label.text))
        except ValidationFailed as exc:
            raise ValidationError(str(exc)) from exc

    return validator


def _one_line(max_length: int) -> Callable[..., object]:
    return partial(clean_text, max_length=max_length)


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Recordings"),
        validators=[FileRequired(_l("Choose at least one recording."))],
        render_kw={"accept": ",".join(["audio/*", *sorted(AUDIO_SUFFIXES)])},
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=200), checked_by(_one_line(200))],
        description=_l("Used when one recording is uploaded; otherwise the file names are."),
    )
    agent = SelectField(_l("Agent"), coerce=_int_or_none, validators=[Optional()])
    new_agent = StringField(
        _l("…or a new agent"),
        validators=[Optional(), Length(max=120), checked_by(_one_line(120))],
        description=_l("Creates the agent when the name is not on the list."),
    )
    campaign = SelectField(_l("Campaign"), coerce=_int_or_none, validators=[Optional()])
    phone = StringField(
        _l("Customer phone"),
        validators=[
            Optional(),
            Length(max=32),
            Regexp(r"^[0-9+()\-\s]+$", message=_l("Digits, spaces, + ( ) - only.")),
            checked_by(checked_phone),
        ],
    )
    lead = StringField(
        _l("Lead (CRM id or number)"),
        validators=[Optional(), Length(max=120), checked_by(_one_line(120))],
    )
    called_at = DateTimeLocalField(
        _l("Call time"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), checked_by(sane_date)],
        description=_l("In the company's time zone."),
    )
    agent_channel = SelectField(_l("Channels"), choices=CHANNEL_CHOICES, default="left")
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[Optional()])
    submit = SubmitField(_l("Upload and transcribe"))


class CorrectionForm(FlaskForm):
    text = TextAreaField(_l("Corrected text"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Save correction"))


class SpeakerForm(FlaskForm):
    """Assign a role to the selected lines (comma-separated segment ids)."""

    segment_ids = HiddenField(validators=[DataRequired(_l("Select at least one line first."))])
    speaker = SelectField(
        _l("Speaker"),
        choices=[("agent", _l("Agent")), ("customer", _l("Customer")), ("unknown", _l("Unknown"))],
    )

    def ids(self) -> list[int]:
        """The selected segment ids; non-numbers are dropped."""
        return [int(p) for p in (self.segment_ids.data or "").split(",") if p.strip().isdigit()]


class SplitForm(FlaskForm):
    """Split a line before the chosen word (its 0-based number in the line)."""

    word = IntegerField(
        _l("New line starts with"),
        validators=[InputRequired(_l("Choose the word the new line starts with."))],
    )


class MergeForm(FlaskForm):
    """Join a line with the next one under the chosen speaker."""

    speaker = SelectField(
        _l("Speaker of the joined line"),
        choices=[("agent", _l("Agent")), ("customer", _l("Customer")), ("unknown", _l("Unknown"))],
    )


class ActionForm(FlaskForm):
    """A button-only form (swap roles, cancel, retry, revert): CSRF only."""
