"""Forms of the jobs page: the state filter and the cancel and retry buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from qa.vocabulary import JOB_STATUS


class JobFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("State"), choices=JOB_STATUS.choices(_l("Any state")), default="")


class JobActionForm(FlaskForm):
    """Cancel or retry one job: CSRF only."""
