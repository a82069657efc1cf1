from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from qa.auth.forms import LANGUAGE_CHOICES
from qa.calibration.forms import CheckboxListField
from qa.roles import ROLE_LABELS, ROLES
from qa.vocabulary import AUDIT_ACTION, AUDIT_OBJECT


def _role_choices() -> list[tuple[str, object]]:
    return [(role, ROLE_LABELS[role]) for role in ROLES]


class UserCreateForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_role_choices)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8)])
    submit = SubmitField(_l("Create user"))


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_role_choices)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Active"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)])
    submit = SubmitField(_l("Reset password"))


_PERCENT = NumberRange(0, 100)


class CompanySettingsForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    currency = StringField(_l("Currency (ISO code)"), validators=[DataRequired(), Length(3, 3)])
    phone_region = StringField(
        _l("Default phone region (ISO country)"), validators=[DataRequired(), Length(2, 2)]
    )
    lead_link_window_hours = IntegerField(
        _l("Call-to-lead linking window, hours"), validators=[NumberRange(1, 720)]
    )
    # Left empty, the window keeps its current value.
    dispute_window_days = IntegerField(
        _l("Days to dispute a published review"), validators=[Optional(), NumberRange(1, 90)]
    )
    # Dashboard target bands, percent. Left empty, a band keeps its current value.
    mass_view_lead_red = FloatField(
        _l("Mass campaigns: view → lead is red below, %"), validators=[Optional(), _PERCENT]
    )
    mass_view_lead_green = FloatField(
        _l("Mass campaigns: view → lead is green from, %"), validators=[Optional(), _PERCENT]
    )
    targeted_view_lead_red = FloatField(
        _l("Targeted campaigns: view → lead is red below, %"), validators=[Optional(), _PERCENT]
    )
    targeted_view_lead_green = FloatField(
        _l("Targeted campaigns: view → lead is green from, %"), validators=[Optional(), _PERCENT]
    )
    lead_sale_red = FloatField(_l("Lead → sale is red below, %"), validators=[Optional(), _PERCENT])
    lead_sale_green_above = FloatField(
        _l("Lead → sale is green above, %"), validators=[Optional(), _PERCENT]
    )
    # Personal data in transcripts.
    redact_transcripts = BooleanField(
        _l("Redact personal data in transcripts"),
        description=_l(
            "Phones, cards, passports, names, addresses and the like are shown as [PHONE] etc. "
            "After a change, stored calls are redacted again in the background."
        ),
    )
    keep_originals = BooleanField(
        _l("Keep the original text"),
        description=_l("Unticked, the original text is replaced by the redacted one for good."),
    )
    original_roles = CheckboxListField(
        _l("Roles that may see originals"), choices=_role_choices, coerce=str
    )
    # Objection detector thresholds, 0.05-0.99 (checked by the service); empty: the model's own.
    objection_threshold_price = StringField(
        _l("Price objection threshold"),
        description=_l("From 0.05 to 0.99; empty uses the model's own threshold."),
    )
    objection_threshold_assortment = StringField(
        _l("Assortment objection threshold"),
        description=_l("From 0.05 to 0.99; empty uses the model's own threshold."),
    )
    # Retention, whole days 1-36500 (checked by the service); empty keeps for ever.
    recording_retention_days = StringField(
        _l("Keep recordings, days"), description=_l("Empty keeps them for ever.")
    )
    transcript_retention_days = StringField(
        _l("Keep transcripts, days"),
        description=_l("With the transcript go the customer's number, the call title and "
                       "reviewers' comments; scores stay."),
    )
    redacted_retention_days = StringField(
        _l("Keep redacted copies, days"), description=_l("Empty keeps them for ever.")
    )
    submit = SubmitField(_l("Save"))
    preview = SubmitField(_l("Preview thresholds"))


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Create token"))


class AuditFilterForm(FlaskForm):
    """The GET form above the audit trail."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (name or e-mail)"), validators=[Optional(), Length(max=120)])
    action = SelectField(
        _l("Action"), choices=AUDIT_ACTION.choices(_l("Any action")), validators=[Optional()]
    )
    object_type = SelectField(
        _l("Object"), choices=AUDIT_OBJECT.choices(_l("Any object")), validators=[Optional()]
    )
    object_id = StringField(_l("Object ID"), validators=[Optional(), Length(max=20)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


class ErasureLookupForm(FlaskForm):
    """Which personal data to delete: one call, or everything about one phone number."""

    call_id = StringField(_l("Call ID"), validators=[Optional(), Length(max=20)])
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=40)])
    lookup = SubmitField(_l("Show what will be deleted"))


class ErasureForm(FlaskForm):
    """The confirmation under the preview: who asked, and why."""

    scope = HiddenField()
    value = HiddenField()
    requested_by = StringField(
        _l("Requested by"),
        description=_l("The person whose data it is, or who asked on their behalf."),
        validators=[DataRequired(), Length(max=200)],
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    confirm = SubmitField(_l("Delete for good"))
