"""KPI plans per role, versioned by the month they take effect from.

A month is paid on the latest version in force on its first day, so a new version never
changes a month before it; approved statements are frozen besides (qa.services.pay.statements).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import pay
from qa.extensions import db
from qa.models import PayPlan, User
from qa.services.admin import audit
from qa.services.errors import Conflict, ValidationFailed
from qa.services.pay.figures import month_start
from qa.services.validation import clean_text, finite_decimal, sane_date, shown
from qa.vocabulary import PAY_INDICATOR, PAY_KIND, PAY_ROLE

HUNDRED = Decimal(100)
MAX_NOTE = 2000
# A level pays at most this many percent of a share or of revenue; an accelerator at most x10.
MAX_PERCENT = Decimal(1000)
MAX_ACCELERATOR = Decimal(10)


@dataclass(frozen=True)
class SavedPlan:
    plan: PayPlan
    warnings: list[str]


def list_plans() -> list[PayPlan]:
    return list(db.session.scalars(select(PayPlan).order_by(PayPlan.role, PayPlan.valid_from)))


def plan_for(role: str, month: date) -> PayPlan | None:
    """The version of ``role``'s plan in force on the first day of ``month``."""
    return db.session.scalar(
        select(PayPlan)
        .where(PayPlan.role == role, PayPlan.valid_from <= month_start(month))
        .order_by(PayPlan.valid_from.desc())
        .limit(1)
    )


def _number(
    value: object, field: str, *, maximum: Decimal | None = None, required: bool = True
) -> Decimal | None:
    number = finite_decimal(value, field=field, **({"maximum": maximum} if maximum else {}))
    if number is None and required:
        raise ValidationFailed(_("%(field)s: this field is required.", field=field))
    return number


def _indicator(row: Mapping[str, object], number: int) -> pay.Indicator:
    key = str(row.get("key") or "")
    label = _("Indicator %(n)d", n=number)
    if key not in PAY_INDICATOR:
        raise ValidationFailed(
            _("%(field)s: unknown indicator %(value)s.", field=label, value=shown(key))
        )
    kind = str(row.get("pay") or "")
    if kind not in PAY_KIND:
        raise ValidationFailed(
            _("%(field)s: unknown way to pay %(value)s.", field=label, value=shown(kind))
        )
    name = PAY_INDICATOR.label(key)

    def field(what: str) -> str:
        return f"{name}: {what}"

    values = {
        "weight": _number(row.get("weight"), field(_("weight")), maximum=HUNDRED),
        "threshold": _number(row.get("threshold"), field(_("threshold"))),
        "target": _number(row.get("target"), field(_("target"))),
        "stretch": _number(row.get("stretch"), field(_("stretch"))),
        "threshold_pays": _number(row.get("threshold_pays"), field(_("pays at threshold"))),
        "target_pays": _number(row.get("target_pays"), field(_("pays at target"))),
        "stretch_pays": _number(row.get("stretch_pays"), field(_("pays at stretch"))),
        "accelerator": _number(
            row.get("accelerator"), field(_("accelerator")), maximum=MAX_ACCELERATOR, required=False
        )
        or Decimal(1),
        "penalty": _number(row.get("penalty"), field(_("penalty")), maximum=HUNDRED, required=False)
        or Decimal(0),
    }
    indicator = pay.Indicator(key=key, pay=kind, **values)  # type: ignore[arg-type]
    if indicator.accelerator < 1:
        raise ValidationFailed(_("%(field)s: at least 1.", field=field(_("accelerator"))))
    bounds = [indicator.threshold, indicator.target, indicator.stretch]
    if bounds != sorted(bounds, reverse=indicator.lower_is_better):
        if indicator.lower_is_better:
            message = _("%(name)s: lower is better, so threshold >= target >= stretch.", name=name)
        else:
            message = _("%(name)s: threshold <= target <= stretch.", name=name)
        raise ValidationFailed(message)
    if (
        kind != "per_unit"
        and max(indicator.threshold_pays, indicator.target_pays, indicator.stretch_pays)
        > MAX_PERCENT
    ):
        raise ValidationFailed(
            _("%(name)s: a level pays at most %(n)s %%.", name=name, n=MAX_PERCENT)
        )
    if kind == "per_unit" and indicator.lower_is_better:
        raise ValidationFailed(_("%(name)s: cannot be paid per unit.", name=name))
    return indicator


def check_plan(
    values: Mapping[str, object], rows: Sequence[Mapping[str, object]]
) -> tuple[pay.Plan, list[str]]:
    """The plan the values describe, and warnings; ValidationFailed for anything wrong."""
    used = [row for row in rows if row.get("key")]
    if not used:
        raise ValidationFailed(_("A plan needs at least one indicator."))
    indicators = tuple(_indicator(row, n) for n, row in enumerate(used, start=1))
    keys = [indicator.key for indicator in indicators]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(_("Each indicator may appear once in a plan."))
    weights = sum((indicator.weight for indicator in indicators), Decimal(0))
    if weights != HUNDRED:
        raise ValidationFailed(
            _("The weights sum to %(sum)s %%; they must sum to 100 %%.", sum=weights)
        )
    plan = pay.Plan(
        fixed=_number(values.get("fixed"), _("Fixed part")) or Decimal(0),
        variable=_number(values.get("variable"), _("Variable part")) or Decimal(0),
        cap=_number(values.get("cap"), _("Cap"), required=False),
        max_reduction=_number(
            values.get("max_reduction"), _("Maximum reduction, %"), maximum=HUNDRED
        )
        or Decimal(0),
        indicators=indicators,
    )
    warnings = []
    if pay.max_reduction_exceeded(plan):
        warnings.append(
            _(
                "The penalties together can exceed the maximum reduction; they are "
                "limited to %(n)s %% of the variable part.",
                n=plan.max_reduction,
            )
        )
    return plan, warnings


def save_plan(
    role: object,
    valid_from: object,
    values: Mapping[str, object],
    rows: Sequence[Mapping[str, object]],
    user: User,
) -> SavedPlan:
    """Store a new version of ``role``'s plan from the month of ``valid_from``."""
    if not isinstance(role, str) or role not in PAY_ROLE:
        raise ValidationFailed(_("Unknown role: %(value)s.", value=shown(role)))
    if not isinstance(valid_from, date):
        raise ValidationFailed(_("%(field)s: expected a date.", field=_("In force from")))
    sane_date(valid_from, field=_("In force from"))
    month = month_start(valid_from)
    note = clean_text(values.get("note"), field=_("Note"), max_length=MAX_NOTE, multiline=True)
    plan, warnings = check_plan(values, rows)
    if db.session.scalar(
        select(PayPlan.id).where(PayPlan.role == role, PayPlan.valid_from == month)
    ):
        raise Conflict(
            _(
                "This role already has a plan from that month; start the new version "
                "from another month."
            )
        )
    version = (
        db.session.scalar(select(func.max(PayPlan.version)).where(PayPlan.role == role)) or 0
    ) + 1
    stored = PayPlan(
        role=role,
        valid_from=month,
        version=version,
        definition=plan.as_dict(),
        note=note,
        created_by=user,
    )
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:
        raise Conflict(
            _(
                "This role already has a plan from that month; start the new version "
                "from another month."
            )
        ) from None
    audit.record(
        "create",
        "pay_plan",
        stored.id,
        f"v{version}",
        valid_from=month,
        version=version,
    )
    return SavedPlan(stored, warnings)


def definition(plan: PayPlan) -> pay.Plan:
    return pay.Plan.from_dict(plan.definition)
