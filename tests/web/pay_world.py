"""Stores the hand-computed month of tests/web/pay_scenario.py through the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from qa.extensions import db
from qa.models import Agent, Appointment, Lead, User
from qa.services.pay import plans
from qa.timefmt import stored_from_local
from tests.web import factories, pay_scenario

ZONE = ZoneInfo("Europe/Moscow")


def build(admin: User) -> dict[str, Any]:
    """People, campaigns, leads, appointments and the three plans; returns what was stored."""
    people = {
        key: factories.make_agent(name=f"Сотрудник {key}", pay_role=role)
        for key, role in pay_scenario.PEOPLE.items()
    }
    campaigns = {
        key: factories.make_campaign(
            name=f"Кампания {key}",
            kind=spec["kind"],
            views=spec["views"],
            spend=spec["spend"],
            owner_id=people[spec["owner"]].id,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
        )
        for key, spec in pay_scenario.CAMPAIGNS.items()
    }
    moment = stored_from_local(datetime(2026, 3, 10, 12, 0), ZONE)
    n = 0
    for campaign, seller, setter, status, amount, count in pay_scenario.LEADS:
        for _ in range(count):
            n += 1
            db.session.add(
                Lead(
                    external_id=f"L{n}",
                    created_at=moment,
                    campaign_id=campaigns[campaign].id,
                    seller_id=people[seller].id,
                    setter_id=people[setter].id if setter else None,
                    status=status,
                    sale_amount=amount,
                )
            )
    for setter, held, when, count in pay_scenario.APPOINTMENTS:
        for _ in range(count):
            n += 1
            db.session.add(
                Appointment(
                    external_id=f"A{n}",
                    setter_id=people[setter].id,
                    held=held,
                    scheduled_at=stored_from_local(when, ZONE),
                )
            )
    saved = {}
    for role, (values, rows) in pay_scenario.PLANS.items():
        saved[role] = plans.save_plan(role, date(2026, 1, 1), values, rows, admin)
    db.session.flush()
    return {"people": people, "campaigns": campaigns, "plans": saved}


def agent(values: dict[str, Any], key: str) -> Agent:
    return values["people"][key]  # type: ignore[no-any-return]
