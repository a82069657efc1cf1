"""Pay statements: computed per person and month, approved (frozen), exported for payroll.

A draft is recomputed in place whenever the month is calculated again. An approved statement is
frozen: later changes to leads, appointments or reviews never alter it. Calculating the month
again stores a new draft version beside it when the result differs, so the difference is seen
and approved on purpose. Employees see their own approved statements and a live estimate of
the current month, computed but never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

import pay
from qa import timefmt
from qa.extensions import db
from qa.models import (
    Agent,
    Appointment,
    Call,
    Campaign,
    Dispute,
    Lead,
    PayPlan,
    PayStatement,
    Review,
    User,
)
from qa.models._base import utcnow
from qa.services import exports
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.pay import plans as plan_service
from qa.services.pay.figures import (
    FIGURE_SOURCES,
    PersonFigures,
    month_figures,
    month_sources,
    month_start,
)
from qa.services.validation import sane_date, shown
from qa.vocabulary import PAY_INDICATOR, PAY_LEVEL, PAY_LINE, PAY_ROLE, STATEMENT_STATE

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass
class Estimate:
    """A statement computed now and not stored: the live 'so far this month'."""

    agent: Agent
    month: date
    plan: PayPlan | None
    result: pay.Statement | None
    figures: PersonFigures


@dataclass
class RunReport:
    created: int = 0
    updated: int = 0
    new_versions: int = 0
    unchanged: int = 0
    without_plan: list[str] = field(default_factory=list)


def paid_agents(agent_ids: list[int] | None = None) -> list[Agent]:
    query = select(Agent).where(Agent.pay_role.is_not(None), Agent.active.is_(True))
    if agent_ids is not None:
        query = query.where(Agent.id.in_(agent_ids))
    return list(db.session.scalars(query.order_by(Agent.name, Agent.id)))


def _result(
    plan: PayPlan,
    figures: PersonFigures,
    parsed: dict[int, pay.Plan] | None = None,
    *,
    what_if: bool = True,
) -> pay.Statement:
    parsed = {} if parsed is None else parsed
    if plan.id not in parsed:
        parsed[plan.id] = plan_service.definition(plan)
    return pay.compute(parsed[plan.id], figures.values, what_if=what_if)


def estimate(agent: Agent, month: date | None = None) -> Estimate:
    """The agent's statement for ``month`` (this month by default) as it stands now."""
    month = month_start(month or timefmt.local_today())
    figures = month_figures(month, {agent.id: agent.pay_role or ""})[agent.id]
    plan = plan_service.plan_for(agent.pay_role, month) if agent.pay_role else None
    return Estimate(agent, month, plan, _result(plan, figures) if plan else None, figures)


def _latest(month: date, agent_ids: list[int]) -> dict[int, PayStatement]:
    newest = (
        select(PayStatement.agent_id, func.max(PayStatement.version).label("version"))
        .where(PayStatement.period == month, PayStatement.agent_id.in_(agent_ids))
        .group_by(PayStatement.agent_id)
        .subquery()
    )
    query = (
        select(PayStatement)
        .join(
            newest,
            (newest.c.agent_id == PayStatement.agent_id)
            & (newest.c.version == PayStatement.version),
        )
        .where(PayStatement.period == month)
    )
    return {statement.agent_id: statement for statement in db.session.scalars(query)}


def _values(plan: PayPlan, result: pay.Statement, figures: PersonFigures) -> dict[str, Any]:
    """The computed columns of a statement (the records behind it are listed at approval)."""
    return {
        "plan_id": plan.id,
        "lines": [line.as_dict() for line in result.lines],
        "sources": {},
        "fixed": result.fixed,
        "variable": result.variable,
        "total": result.total,
        "revenue": figures.revenue,
        "leads": figures.leads,
        "computed_at": utcnow(),
    }


def calculate_month(month: date, agent_ids: list[int] | None = None) -> RunReport:
    """Compute every paid person's statement for ``month``; frozen ones are never changed.

    Rows are written in two bulk statements (new ones, changed drafts); a statement whose
    lines did not change is not written at all.
    """
    month = month_start(month)
    agents = paid_agents(agent_ids)
    roles = {agent.id: agent.pay_role or "" for agent in agents}
    figures = month_figures(month, roles)
    latest = _latest(month, list(roles))
    plans = {role: plan_service.plan_for(role, month) for role in set(roles.values())}
    report = RunReport()
    parsed: dict[int, pay.Plan] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for agent in agents:
        plan = plans[roles[agent.id]]
        if plan is None:
            report.without_plan.append(agent.name)
            continue
        result = _result(plan, figures[agent.id], parsed, what_if=False)
        values = _values(plan, result, figures[agent.id])
        current = latest.get(agent.id)
        if (
            current is not None
            and current.lines == values["lines"]
            and (current.plan_id == plan.id)
        ):
            report.unchanged += 1
        elif current is not None and not current.frozen:
            updates.append({"id": current.id, **values})
            db.session.expire(current)
            report.updated += 1
        else:
            version = current.version + 1 if current else 1
            inserts.append(
                {
                    "agent_id": agent.id,
                    "period": month,
                    "role": roles[agent.id],
                    "version": version,
                    "state": "draft",
                    **values,
                }
            )
            if current is None:
                report.created += 1
            else:
                report.new_versions += 1
    if inserts:
        db.session.execute(insert(PayStatement), inserts)
    if updates:
        db.session.execute(update(PayStatement), updates)
    _link_corrections(month, [row["agent_id"] for row in inserts if row["version"] > 1])
    return report


def _link_corrections(month: date, agent_ids: list[int]) -> None:
    """Upheld disputes about an earlier version are corrected by the month's new version."""
    if not agent_ids:
        return
    newest = _latest(month, agent_ids)
    for agent_id, statement in newest.items():
        earlier = select(PayStatement.id).where(
            PayStatement.agent_id == agent_id,
            PayStatement.period == month,
            PayStatement.version < statement.version,
        )
        db.session.execute(
            update(Dispute)
            .where(
                Dispute.statement_id.in_(earlier),
                Dispute.status == "upheld",
                Dispute.corrected_by_id.is_(None),
            )
            .values(corrected_by_id=statement.id)
            .execution_options(synchronize_session="fetch")
        )


def corrected_disputes(statement: PayStatement) -> list[tuple[Dispute, str]]:
    """The upheld disputes this version corrects, with the disputed line's text."""
    found = list(
        db.session.scalars(
            select(Dispute).where(Dispute.corrected_by_id == statement.id).order_by(Dispute.id)
        )
    )
    texts: dict[int, dict[str, str]] = {}
    for dispute in found:
        if dispute.statement_id not in texts and dispute.statement is not None:
            lines = shown_lines(dispute.statement.lines)
            texts[dispute.statement_id or 0] = {line.key: line.text for line in lines}
    return [
        (dispute, texts.get(dispute.statement_id or 0, {}).get(dispute.item_key, dispute.item_key))
        for dispute in found
    ]


def get_statement(statement_id: int, user: User) -> PayStatement:
    """The statement if ``user`` may see it: managers all, an employee only their own frozen."""
    statement = db.session.get(PayStatement, statement_id)
    if statement is None or not can_see(statement, user):
        raise NotFound(_("Nothing was found at this address."))
    return statement


def can_see(statement: PayStatement, user: User) -> bool:
    if user.role == "admin":
        return True
    return user.agent_id is not None and statement.agent_id == user.agent_id and statement.frozen


def approve(statement: PayStatement, user: User) -> PayStatement:
    """Freeze a draft; only the newest version of a person's month may be approved."""
    if statement.state != "draft":
        raise Conflict(_("This statement is already approved."))
    newest = _latest(statement.period, [statement.agent_id]).get(statement.agent_id)
    if newest is not None and newest.id != statement.id:
        raise Conflict(_("A newer version of this statement exists; approve that one."))
    # Freeze exactly what is shown: the figures again, with the records behind them.
    agent = statement.agent
    figures = month_figures(statement.period, {agent.id: statement.role})[agent.id]
    plan = statement.plan
    if plan is None or [line.as_dict() for line in _result(plan, figures).lines] != list(
        statement.lines
    ):
        raise Conflict(
            _(
                "The figures changed since this statement was calculated; calculate "
                "the month again, then approve."
            )
        )
    statement.sources = month_sources(statement.period, agent.id, statement.role)
    statement.state = "approved"
    statement.approved_by = user
    statement.approved_at = utcnow()
    db.session.flush()
    return statement


def month_statements(month: date) -> list[PayStatement]:
    """The newest version of each person's statement for the month, by role and name."""
    month = month_start(month)
    found = list(_latest(month, [a.id for a in db.session.scalars(select(Agent))]).values())
    return sorted(
        found,
        key=lambda s: (
            PAY_ROLE.values.index(s.role) if s.role in PAY_ROLE else 99,
            s.agent.name,
            s.id,
        ),
    )


def agent_statements(agent_id: int, *, frozen_only: bool) -> list[PayStatement]:
    query = select(PayStatement).where(PayStatement.agent_id == agent_id)
    if frozen_only:
        query = query.where(PayStatement.state != "draft")
    return list(
        db.session.scalars(query.order_by(PayStatement.period.desc(), PayStatement.version.desc()))
    )


def versions(statement: PayStatement) -> list[PayStatement]:
    return list(
        db.session.scalars(
            select(PayStatement)
            .where(
                PayStatement.agent_id == statement.agent_id, PayStatement.period == statement.period
            )
            .order_by(PayStatement.version)
        )
    )


@dataclass
class RoleTotals:
    role: str
    people: int = 0
    fixed: Decimal = Decimal(0)
    variable: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    leads: int = 0

    @property
    def variable_per_revenue(self) -> Decimal | None:
        """Variable pay per 100 of revenue it bought."""
        if not self.revenue:
            return None
        return (self.variable * 100 / self.revenue).quantize(Decimal("0.01"))

    @property
    def variable_per_lead(self) -> Decimal | None:
        if not self.leads:
            return None
        return (self.variable / self.leads).quantize(Decimal("0.01"))


def totals(statements: list[PayStatement]) -> list[RoleTotals]:
    """Per role, then for everyone: pay, and the revenue and leads behind it."""
    by_role: dict[str, RoleTotals] = {}
    overall = RoleTotals(role="")
    for statement in statements:
        for entry in (by_role.setdefault(statement.role, RoleTotals(statement.role)), overall):
            entry.people += 1
            entry.fixed += statement.fixed
            entry.variable += statement.variable
            entry.total += statement.total
            entry.revenue += statement.revenue
            entry.leads += statement.leads
    return [*by_role.values(), overall] if statements else []


@dataclass(frozen=True)
class ShownLine:
    key: str
    text: str
    figure: Decimal | None
    target: Decimal | None
    level: str | None
    level_text: str
    amount: Decimal
    source: str | None  # the kind of records behind the figure, for the drill-down


def line_text(line: pay.Line) -> str:
    if line.kind == "indicator":
        return PAY_INDICATOR.label(line.key)
    if line.kind == "penalty":
        return _("Reduction: %(name)s below threshold", name=PAY_INDICATOR.label(line.indicator))
    return PAY_LINE.label(line.key)


def shown_lines(lines: list[dict[str, Any]] | tuple[pay.Line, ...]) -> list[ShownLine]:
    parsed = [line if isinstance(line, pay.Line) else pay.Line.from_dict(line) for line in lines]
    return [
        ShownLine(
            key=line.key,
            text=line_text(line),
            figure=line.figure,
            target=line.target,
            level=line.level,
            level_text=PAY_LEVEL.label(line.level) if line.level else "",
            amount=line.amount,
            source=FIGURE_SOURCES.get(line.indicator or "") if line.kind == "indicator" else None,
        )
        for line in parsed
    ]


def difference(statement: PayStatement) -> Decimal | None:
    """How much this version differs from the one before it (None for the first)."""
    earlier = [s for s in versions(statement) if s.version < statement.version]
    return statement.total - earlier[-1].total if earlier else None


# --- Drill-down -------------------------------------------------------------------------------

SOURCE_MODELS: dict[str, Any] = {
    "leads": Lead,
    "won": Lead,
    "campaigns": Campaign,
    "appointments": Appointment,
    "reviews": Review,
    "shops": Review,
    "calls": Call,
}
MAX_DRILL = 500


def sources(statement: PayStatement, kind: str) -> list[Any]:
    """The records behind one figure: as frozen at approval, or as they stand for a draft."""
    if kind not in SOURCE_MODELS:
        raise ValidationFailed(_("Unknown figure: %(value)s.", value=shown(kind)))
    stored = (
        statement.sources
        if statement.frozen
        else month_sources(statement.period, statement.agent_id, statement.role)
    )
    ids = [int(i) for i in (stored or {}).get(kind, [])][:MAX_DRILL]
    model = SOURCE_MODELS[kind]
    query = select(model).where(model.id.in_(ids)).order_by(model.id)
    if model is Lead:
        query = query.options(selectinload(Lead.campaign))
    return list(db.session.scalars(query))


# --- Export -----------------------------------------------------------------------------------


def export(month: date, fmt: str, user: User) -> bytes:
    """The month's approved statements for payroll; they become *exported*. Drafts stay out."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(_("Unknown format: %(value)s.", value=shown(fmt)))
    month = month_start(month)
    chosen = [s for s in month_statements(month) if s.frozen]
    if not chosen:
        raise Conflict(_("No approved statements for this month yet."))
    header = [
        _("Employee"),
        _("Role"),
        _("Month"),
        _("Version"),
        _("Fixed part"),
        _("Variable part"),
        _("Total"),
        _("State"),
    ]
    rows = [
        [
            s.agent.name,
            PAY_ROLE.label(s.role),
            s.period,
            s.version,
            s.fixed,
            s.variable,
            s.total,
            STATEMENT_STATE.label(s.state),
        ]
        for s in chosen
    ]
    now = utcnow()
    for statement in chosen:
        if statement.state == "approved":
            statement.state = "exported"
            statement.exported_at = now
    db.session.flush()
    if fmt == "csv":
        return exports.csv_bytes(header, rows)
    return exports.xlsx_bytes(header, rows, title=_("Pay"))


def parse_month(value: object, *, default: date | None = None) -> date:
    """A month written YYYY-MM (the current month when empty and no other default)."""
    if value in (None, ""):
        return month_start(default or timefmt.local_today())
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        raise ValidationFailed(_("Month: expected YYYY-MM, not %(value)s.", value=shown(value)))
    try:
        month = date(int(value[:4]), int(value[5:]), 1)
    except ValueError:
        raise ValidationFailed(
            _("Month: expected YYYY-MM, not %(value)s.", value=shown(value))
        ) from None
    sane_date(month, field=_("Month"))
    return month
