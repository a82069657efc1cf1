"""The demo's pay: plans for the three roles, the demo agents' pay roles, campaign owners,
sellers and setters on the leads, appointments, and statements for last month (approved) and
this month (drafts), through the pay services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Appointment, Campaign, Lead, PayStatement, User
from qa.services.pay import plans, statements
from qa.services.pay.figures import month_start
from qa.timefmt import local_today, stored_from_local

MARKETERS = ("Марина Кузнецова", "Денис Волков")
# The demo recordings' agents: the one with the most calls (the demo employee) sells.
ROLES = {"Ольга Смирнова": "seller", "Anna Miller": "seller", "Игорь Петров": "setter"}


def indicator_row(
    key: str,
    weight: str,
    bounds: tuple[str, str, str],
    pay: str,
    pays: tuple[str, str, str],
    penalty: str = "0",
    accelerator: str = "1",
) -> dict[str, str]:
    """One indicator of a plan, as the plan form posts it: threshold, target and stretch with
    what each pays."""
    return {
        "key": key,
        "weight": weight,
        "threshold": bounds[0],
        "target": bounds[1],
        "stretch": bounds[2],
        "pay": pay,
        "threshold_pays": pays[0],
        "target_pays": pays[1],
        "stretch_pays": pays[2],
        "accelerator": accelerator,
        "penalty": penalty,
    }


PLANS = {
    "marketer": (
        {"fixed": "60000", "variable": "30000", "cap": "45000", "max_reduction": "50"},
        [
            indicator_row("view_lead", "60", ("3", "6", "10"), "share", ("50", "100", "150"), "20"),
            indicator_row(
                "cost_per_lead", "40", ("3000", "2000", "1500"), "share", ("50", "100", "150")
            ),
        ],
    ),
    "seller": (
        {"fixed": "35000", "variable": "30000", "cap": "60000", "max_reduction": "50"},
        [
            indicator_row(
                "revenue",
                "70",
                ("500000", "1500000", "3000000"),
                "revenue_percent",
                ("1", "1.5", "2"),
            ),
            indicator_row(
                "lead_sale", "30", ("30", "50", "70"), "share", ("50", "100", "150"), "25"
            ),
        ],
    ),
    "setter": (
        {"fixed": "30000", "variable": "12000", "cap": "", "max_reduction": "30"},
        [
            indicator_row(
                "appointments_held",
                "100",
                ("6", "10", "15"),
                "per_unit",
                ("300", "400", "500"),
                "20",
            )
        ],
    ),
}


def previous_month(today: date | None = None) -> date:
    return month_start(month_start(today or local_today()) - timedelta(days=1))


def load_pay(
    admin: User,
    agents: dict[str, Agent],
    campaigns: list[Campaign],
    leads: list[Lead],
    rng: random.Random,
) -> None:
    """Pay for the demo; ``leads`` are the demo month's CRM leads."""
    last, this = previous_month(), month_start(local_today())
    for role, (values, rows) in PLANS.items():
        plans.save_plan(role, last, values, rows, admin)
    for name, role in ROLES.items():
        if name in agents:
            agents[name].pay_role = role
    marketers = [Agent(name=name, team="Marketing", pay_role="marketer") for name in MARKETERS]
    db.session.add_all(marketers)
    db.session.flush()
    for index, campaign in enumerate(campaigns):
        campaign.owner = marketers[index * len(marketers) // len(campaigns)]
    sellers = [a for a in agents.values() if a.pay_role == "seller"]
    setters = [a for a in agents.values() if a.pay_role == "setter"]
    for index, lead in enumerate(leads):
        if lead.campaign_id is None or not sellers:
            continue
        lead.seller = sellers[index % len(sellers)]
        if setters and index % 3:
            lead.setter = setters[index % len(setters)]
    _appointments(setters, leads, last, rng)
    db.session.flush()
    statements.calculate_month(last)
    for statement in statements.month_statements(last):
        statements.approve(statement, admin)
    statements.calculate_month(this)


def _appointments(setters: list[Agent], leads: list[Lead], last: date, rng: random.Random) -> None:
    """A few meetings and measurements per setter, each month since the last one."""
    booked = [lead for lead in leads if lead.setter_id is not None]
    n = 0
    for setter in setters:
        for day in range(0, (local_today() - last).days, 2):
            n += 1
            when = datetime.combine(last + timedelta(days=day), time(10 + rng.randint(0, 8), 0))
            db.session.add(
                Appointment(
                    external_id=f"demo-appointment-{n}",
                    kind=rng.choice(("meeting", "measurement")),
                    scheduled_at=stored_from_local(when),
                    held=rng.random() < 0.8,
                    setter_id=setter.id,
                    lead_id=booked[n % len(booked)].id if booked else None,
                )
            )


def demo_statement(agent: Agent) -> PayStatement | None:
    """The agent's approved statement of last month, if any."""
    return db.session.scalar(
        select(PayStatement)
        .where(PayStatement.agent_id == agent.id, PayStatement.period == previous_month())
        .order_by(PayStatement.version.desc())
    )
