from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from qa.campaigns.forms import TableUploadForm
from qa.vocabulary import PAY_INDICATOR, PAY_KIND, PAY_ROLE

__all__ = [
    "ApproveForm",
    "CalculateForm",
    "ConfirmImportForm",
    "DisputeLineForm",
    "ExportForm",
    "PlanForm",
    "ResolveForm",
    "TableUploadForm",
]
# Numbers are text here: the service reads them exactly (Decimal) and refuses NaN, Infinity,
# negatives and amounts beyond any budget with a message naming the field.
NUMBER = [Optional(), Length(max=40)]
MONTH = r"^\d{4}-\d{2}$"
INDICATOR_ROWS = 5


class IndicatorForm(Form):
    key = SelectField(_l("Indicator"), validate_choice=False)
    weight = StringField(_l("Weight, %"), validators=NUMBER)
    pay = SelectField(_l("Pays as"), choices=PAY_KIND.choices(), validate_choice=False)
    threshold = StringField(_l("Threshold"), validators=NUMBER)
    target = StringField(_l("Target"), validators=NUMBER)
    stretch = StringField(_l("Stretch"), validators=NUMBER)
    threshold_pays = StringField(_l("Pays at threshold"), validators=NUMBER)
    target_pays = StringField(_l("Pays at target"), validators=NUMBER)
    stretch_pays = StringField(_l("Pays at stretch"), validators=NUMBER)
    accelerator = StringField(_l("Accelerator above target"), validators=NUMBER)
    penalty = StringField(
        _l("Reduction below threshold, percent of the variable part"), validators=NUMBER
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key.choices = PAY_INDICATOR.choices(_l("Not used"))


class PlanForm(FlaskForm):
    role = SelectField(_l("Role"), choices=PAY_ROLE.choices())
    valid_from = DateField(_l("In force from"), validators=[DataRequired()])
    fixed = StringField(_l("Fixed part"), validators=NUMBER)
    variable = StringField(_l("Variable part at 100 %"), validators=NUMBER)
    cap = StringField(_l("Cap on the variable part"), validators=NUMBER)
    max_reduction = StringField(
        _l("Maximum reduction, percent of the variable part"), validators=NUMBER
    )
    indicators = FieldList(
        FormField(IndicatorForm), min_entries=INDICATOR_ROWS, max_entries=INDICATOR_ROWS
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save the plan version"))


class CalculateForm(FlaskForm):
    month = StringField(_l("Month (YYYY-MM)"), validators=[DataRequired(), Regexp(MONTH)])
    submit = SubmitField(_l("Calculate the month"))


class ExportForm(FlaskForm):
    month = HiddenField(validators=[DataRequired(), Regexp(MONTH)])
    fmt = SelectField(
        _l("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], validate_choice=False
    )
    submit = SubmitField(_l("Export approved statements for payroll"))


class ApproveForm(FlaskForm):
    submit = SubmitField(_l("Approve and freeze"))


class DisputeLineForm(FlaskForm):
    # Lines, the reason's length and content are checked by the one dispute service.
    item_key = SelectField(_l("Line"), validate_choice=False, validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional()])
    submit = SubmitField(_l("Dispute the line"))


class ResolveForm(FlaskForm):
    # The outcome and the note are checked by the dispute service, which names the field.
    outcome = HiddenField(validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional()])
    submit = SubmitField(_l("Decide"))


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}\.(csv|xlsx|txt)$")])
    submit = SubmitField(_l("Import the good rows"))
