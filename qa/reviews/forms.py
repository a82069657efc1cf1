"""Forms of the review pages: list filters, the scorecard form's fixed fields, sampling rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from qa.models.review import SAMPLING_KINDS, SAMPLING_PERIODS

KIND_LABELS = {
    "random_per_agent": _l("N random calls per agent per period"),
    "flag": _l("Every call with a flag"),
}
PERIOD_LABELS = {"day": _l("Day"), "week": _l("Week"), "month": _l("Month")}


def int_or_none(value: Any) -> int | None:
    """Select values: "" means none."""
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class ReviewFilterForm(FlaskForm):
    """The GET form above the reviews list."""

    class Meta:
        csrf = False

    reviewer = SelectField(_l("Reviewer"), coerce=int_or_none, validators=[Optional()])
    agent = SelectField(_l("Agent"), coerce=int_or_none, validators=[Optional()])
    date_from = DateField(_l("Reviewed from"), validators=[Optional()])
    date_to = DateField(_l("Reviewed until"), validators=[Optional()])
    score_min = FloatField(_l("Score from, %"), validators=[Optional(), NumberRange(0, 100)])
    score_max = FloatField(_l("Score to, %"), validators=[Optional(), NumberRange(0, 100)])


class ReviewForm(FlaskForm):
    """The fixed fields of a scorecard form; item answers are named answer-<key>/comment-<key>."""

    scorecard_version_id = HiddenField(validators=[DataRequired()])
    review_id = HiddenField()
    version = HiddenField()
    next = HiddenField()
    # "call": posted from the call page, shown there again when the review cannot be saved.
    page = HiddenField()
    # "next": the "Save and open next in my queue" button.
    then = HiddenField()
    # Length and content are checked by the review service, which names the field.
    comment = TextAreaField(_l("Overall comment"), validators=[Optional()])


def item_values(
    formdata: Mapping[str, str], keys: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The answer-<key> and comment-<key> fields of a posted scorecard form."""
    values = {key: formdata.get(f"answer-{key}", "") for key in keys}
    comments = {key: formdata.get(f"comment-{key}", "") for key in keys}
    return values, comments


class SamplingRuleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Rule"), choices=[(k, KIND_LABELS[k]) for k in SAMPLING_KINDS])
    count = IntegerField(
        _l("Calls per agent"), default=2, validators=[Optional(), NumberRange(1, 100)]
    )
    period = SelectField(
        _l("Period"), choices=[(p, PERIOD_LABELS[p]) for p in SAMPLING_PERIODS], default="week"
    )
    # Choices: the objections and every tracker's label (filled by the view).
    flag_label = SelectField(
        _l("Flag"), validators=[Optional(), Length(max=60)], validate_choice=False
    )
    template = SelectField(_l("Scorecard"), coerce=int_or_none, validators=[Optional()])
    reviewer = SelectField(_l("Assign to"), coerce=int_or_none, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save rule"))


class ActionForm(FlaskForm):
    """A button that posts (CSRF only)."""

    submit = SubmitField(_l("Run"))


class DisputeForm(FlaskForm):
    """Dispute one item of a review (or the whole review) with a reason."""

    # Lengths and content are checked by the dispute service, which names the field.
    item_key = SelectField(_l("What is disputed"), validate_choice=False,
                           validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional()])
    submit = SubmitField(_l("Dispute"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.item_key.choices = list(choices)


class ResolveDisputeForm(FlaskForm):
    """A QA lead's decision; an upheld dispute may give the item a new answer."""

    # Checked by the dispute service, which names the field.
    outcome = HiddenField(validators=[Optional()])
    note = TextAreaField(_l("Resolution note"), validators=[Optional()])
    new_answer = StringField(_l("New answer (yes, no, na or a number)"),
                             validators=[Optional(), Length(max=10)])
    submit = SubmitField(_l("Save"))
