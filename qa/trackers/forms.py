"""Tracker and glossary forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

LANG_CHOICES = [("ru", "Русский"), ("en", "English")]
SAID_BY_CHOICES = [
    ("customer", _l("Customer")),
    ("agent", _l("Agent")),
    ("any", _l("Anyone")),
]
KIND_CHOICES = [
    ("product", _l("Product")),
    ("brand", _l("Brand")),
    ("competitor", _l("Competitor")),
]


class TrackerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    label = StringField(
        _l("Flag label"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("Shown on calls, e.g. competitor or think_it_over (no spaces)"),
    )
    lang = SelectField(_l("Language"), choices=LANG_CHOICES)
    said_by = SelectField(_l("Said by"), choices=SAID_BY_CHOICES)
    phrases = TextAreaField(
        _l("Phrases, one per line"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("Word forms count: «подумать» also finds «подумаю»."),
        render_kw={"rows": 6},
    )
    active = BooleanField(_l("Active"), default=True)
    try_it = SubmitField(_l("Try on recent calls"))
    submit = SubmitField(_l("Save tracker"))


class GlossaryForm(FlaskForm):
    term = StringField(
        _l("Term, as it should be written"), validators=[DataRequired(), Length(max=200)]
    )
    misheard = StringField(
        _l("Misheard as (comma-separated)"), validators=[Optional(), Length(max=200)]
    )
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    submit = SubmitField(_l("Save term"))


class ToggleForm(FlaskForm):
    """A button that posts (CSRF only)."""

    submit = SubmitField(_l("Switch"))
