"""Pay statements on a hand-computed month; plan versions, freezing, who sees what."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Appointment, Dispute, Lead, PayStatement
from qa.services.admin import api_tokens
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.pay import plans, statements
from qa.services.quality import disputes
from tests.web import factories, pay_scenario, pay_world

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def scenario(app):  # type: ignore[no-untyped-def]
    admin = factories.make_user(role="admin", email="payadmin@example.com")
    values = pay_world.build(admin)
    values["admin"] = admin
    db.session.commit()
    return values


def _statement(agent_id: int, month: date = MARCH) -> PayStatement:
    return db.session.scalars(
        select(PayStatement)
        .where(PayStatement.agent_id == agent_id, PayStatement.period == month)
        .order_by(PayStatement.version.desc())
    ).first()  # type: ignore[return-value]


@pytest.mark.parametrize("person", sorted(pay_scenario.EXPECTED))
def test_every_amount_matches_the_hand_computed_month(scenario, person: str) -> None:
    report = statements.calculate_month(MARCH)
    assert report.created == len(pay_scenario.PEOPLE)
    statement = _statement(pay_world.agent(scenario, person).id)
    lines, variable, total = pay_scenario.EXPECTED[person]
    by_key = {line["key"]: line for line in statement.lines}
    for key, (figure, level, amount) in lines.items():
        line = by_key[key]
        assert (line["level"], D(line["amount"])) == (level, D(amount)), key
        assert (None if line["figure"] is None else D(line["figure"])) == (
            None if figure is None else D(figure)
        ), key
    shown = set(by_key) - {"fixed"}
    assert shown == set(lines), "no line beyond the hand-computed ones"
    assert statement.variable == D(variable)
    assert statement.total == D(total)
    assert sum(D(line["amount"]) for line in statement.lines) == statement.total


def test_the_setter_plan_warns_that_its_penalty_can_exceed_the_limit(scenario) -> None:
    assert scenario["plans"]["setter"].warnings
    assert not scenario["plans"]["marketer"].warnings


def test_each_figure_keeps_the_records_behind_it(scenario) -> None:
    statements.calculate_month(MARCH)
    s1 = _statement(pay_world.agent(scenario, "S1").id)
    won = statements.sources(s1, "won")
    assert len(won) == 15
    assert all(lead.status == "won" and lead.seller_id == s1.agent_id for lead in won)
    assert sum(lead.sale_amount for lead in won) == D("200000.00")
    t1 = _statement(pay_world.agent(scenario, "T1").id)
    assert len(statements.sources(t1, "appointments")) == 14
    m1 = _statement(pay_world.agent(scenario, "M1").id)
    assert [c.name for c in statements.sources(m1, "campaigns")] == ["Кампания C1"]
    with pytest.raises(ValidationFailed):
        statements.sources(m1, "payroll")


def test_a_plan_change_mid_year_leaves_earlier_months_alone(scenario) -> None:
    statements.calculate_month(MARCH)
    m1 = pay_world.agent(scenario, "M1")
    before = _statement(m1.id)
    values, rows = pay_scenario.PLANS["marketer"]
    saved = plans.save_plan(
        "marketer", date(2026, 4, 15), {**values, "fixed": "45000"}, rows, scenario["admin"]
    )
    assert (saved.plan.valid_from, saved.plan.version) == (APRIL, 2)
    report = statements.calculate_month(MARCH)
    assert report.new_versions == 0
    assert _statement(m1.id).id == before.id
    assert _statement(m1.id).total == D("65500.00")
    statements.calculate_month(APRIL)
    april = _statement(m1.id, APRIL)
    assert april.plan_id == saved.plan.id
    assert april.fixed == D("45000.00")
    with pytest.raises(Conflict):
        plans.save_plan("marketer", date(2026, 4, 1), values, rows, scenario["admin"])


def test_an_approved_statement_is_frozen_and_a_recalculation_is_a_new_version(scenario) -> None:
    statements.calculate_month(MARCH)
    s1 = pay_world.agent(scenario, "S1")
    first = _statement(s1.id)
    statements.approve(first, scenario["admin"])
    db.session.commit()
    lead = db.session.scalars(
        select(Lead).where(Lead.seller_id == s1.id, Lead.status == "won")
    ).first()
    lead.sale_amount = D("60000.00")  # +50000 of revenue: 250000 reaches the target
    db.session.commit()
    report = statements.calculate_month(MARCH)
    assert report.new_versions == 1
    db.session.commit()
    db.session.refresh(first)
    assert (first.state, first.total, first.version) == ("approved", D("36000.00"), 1)
    second = _statement(s1.id)
    assert (second.version, second.state) == (2, "draft")
    # revenue 250000 -> target 6 % = 15000.00; lead -> sale unchanged 1000.00.
    assert second.total == D("41000.00")
    assert statements.difference(second) == D("5000.00")
    with pytest.raises(Conflict):
        statements.approve(first, scenario["admin"])
    # Nothing changed since: calculating again adds no third version.
    assert statements.calculate_month(MARCH).new_versions == 0


def test_an_employee_sees_only_their_own_frozen_statements(scenario) -> None:
    statements.calculate_month(MARCH)
    s1, s2 = pay_world.agent(scenario, "S1"), pay_world.agent(scenario, "S2")
    employee = factories.make_user(role="employee", agent_id=s1.id)
    own, other = _statement(s1.id), _statement(s2.id)
    with pytest.raises(NotFound):
        statements.get_statement(own.id, employee)  # a draft is not shown yet
    statements.approve(own, scenario["admin"])
    statements.approve(other, scenario["admin"])
    assert statements.get_statement(own.id, employee) is own
    with pytest.raises(NotFound):
        statements.get_statement(other.id, employee)


def test_the_live_estimate_is_computed_and_not_stored(scenario) -> None:
    t2 = pay_world.agent(scenario, "T2")
    estimate = statements.estimate(t2, date(2026, 3, 17))
    assert estimate.result is not None
    assert estimate.result.total == D("32000.00")
    (what_if,) = estimate.result.what_if
    # 25 held; stretch needs 30: (20 + 10 x 2) x 500 = 20000.00 at that level.
    assert (what_if.level, what_if.needed, what_if.gap, what_if.amount) == (
        "stretch",
        D(30),
        D(5),
        D("20000.00"),
    )
    assert db.session.scalar(select(PayStatement.id)) is None


def test_export_lists_approved_statements_and_marks_them(scenario) -> None:
    statements.calculate_month(MARCH)
    with pytest.raises(Conflict):
        statements.export(MARCH, "csv", scenario["admin"])
    s3 = _statement(pay_world.agent(scenario, "S3").id)
    statements.approve(s3, scenario["admin"])
    text = statements.export(MARCH, "csv", scenario["admin"]).decode("utf-8-sig")
    assert "Сотрудник S3" in text
    assert "25500.03" in text
    assert "Сотрудник S1" not in text  # still a draft
    assert s3.state == "exported"
    assert statements.export(MARCH, "xlsx", scenario["admin"])[:2] == b"PK"


def test_totals_per_role_weigh_variable_pay_against_what_it_bought(scenario) -> None:
    statements.calculate_month(MARCH)
    rows = {row.role: row for row in statements.totals(statements.month_statements(MARCH))}
    sellers = rows["seller"]
    assert sellers.people == 3
    assert sellers.variable == D("31500.03")  # 11000 + 20000 + 500.03
    assert sellers.revenue == D("584691.84")  # 200000 + 324691.34 + 60000.50
    assert rows[""].total == D("65500.00") + D("67000.00") + D("106500.03") + D("52000.00")


# --- Through the pages -----------------------------------------------------------------------


def _employee_of(scenario, key: str):  # type: ignore[no-untyped-def]
    agent = pay_world.agent(scenario, key)
    user = factories.make_user(
        role="employee", email=f"{key.lower()}@example.com", agent_id=agent.id
    )
    db.session.commit()
    return user


def test_an_employee_opens_only_their_own_statements(scenario, client, login) -> None:
    statements.calculate_month(MARCH)
    s1, s2 = pay_world.agent(scenario, "S1"), pay_world.agent(scenario, "S2")
    for agent in (s1, s2):
        statements.approve(_statement(agent.id), scenario["admin"])
    db.session.commit()
    own, other = _statement(s1.id), _statement(s2.id)
    employee = _employee_of(scenario, "S1")
    login.as_user(employee.email)
    page = client.get(f"/pay/statements/{own.id}")
    assert page.status_code == 200
    assert "36" in page.get_data(as_text=True)
    assert client.get(f"/pay/statements/{other.id}").status_code == 404
    assert client.get(f"/pay/statements/{other.id}/sources/won").status_code == 404
    drill = client.get(f"/pay/statements/{own.id}/sources/won").get_data(as_text=True)
    assert drill.count("<tr>") == 15 + 1  # the header and the 15 won leads
    assert client.get("/pay/").status_code == 403
    assert client.post(f"/pay/statements/{own.id}/approve").status_code == 403
    mine = client.get("/pay/mine").get_data(as_text=True)
    assert f"/pay/statements/{own.id}" in mine
    assert f"/pay/statements/{other.id}" not in mine


def test_an_employee_disputes_a_line_and_an_admin_decides(scenario, client, login) -> None:
    statements.calculate_month(MARCH)
    s3 = pay_world.agent(scenario, "S3")
    statement = _statement(s3.id)
    statements.approve(statement, scenario["admin"])
    db.session.commit()
    employee = _employee_of(scenario, "S3")
    login.as_user(employee.email)
    reason = "Two won leads of mine are missing from the lead-to-sale rate."
    response = client.post(
        f"/pay/statements/{statement.id}/disputes", data={"item_key": "lead_sale", "reason": reason}
    )
    assert response.status_code == 302
    dispute = db.session.scalar(select(Dispute).where(Dispute.statement_id == statement.id))
    assert (dispute.item_key, dispute.status, dispute.review_id) == ("lead_sale", "open", None)
    again = client.post(
        f"/pay/statements/{statement.id}/disputes",
        data={"item_key": "lead_sale", "reason": reason},
        follow_redirects=True,
    )
    assert "already disputed" in again.get_data(as_text=True)
    with pytest.raises(ValidationFailed):
        disputes.raise_dispute(statement, "bonus", reason, employee)
    login.logout()
    login.as_user("payadmin@example.com")
    decided = client.post(
        f"/pay/disputes/{dispute.id}/resolve",
        data={"outcome": "upheld", "note": "Leads fixed; recalculated."},
    )
    assert decided.status_code == 302
    db.session.refresh(dispute)
    assert (dispute.status, dispute.resolution_note) == ("upheld", "Leads fixed; recalculated.")
    # The frozen statement stayed as it was.
    db.session.refresh(statement)
    assert (statement.state, statement.total) == ("approved", D("25500.03"))
    assert dispute.corrected_by_id is None
    # The data is fixed (two of S3's open leads were in fact won) and the month calculated
    # again: the new version is the one that corrects the upheld dispute, shown on both.
    open_leads = db.session.scalars(
        select(Lead).where(Lead.seller_id == statement.agent_id, Lead.status == "new").limit(2)
    )
    for lead in open_leads:
        lead.status, lead.sale_amount = "won", D("1000.00")
    report = statements.calculate_month(MARCH)
    db.session.commit()
    assert report.new_versions == 1
    corrected = _statement(statement.agent_id)
    db.session.refresh(dispute)
    assert (corrected.version, dispute.corrected_by_id) == (2, corrected.id)
    old_page = client.get(f"/pay/statements/{statement.id}").get_data(as_text=True)
    assert f'href="/pay/statements/{corrected.id}">Corrected in version 2' in old_page
    new_page = client.get(f"/pay/statements/{corrected.id}").get_data(as_text=True)
    assert "This version corrects the upheld disputes about:" in new_page
    assert f"/pay/statements/{statement.id}#disputes" in new_page
    # A further calculation leaves the link where it is.
    statements.calculate_month(MARCH)
    db.session.refresh(dispute)
    assert dispute.corrected_by_id == corrected.id


def test_appointments_import_previews_reports_lines_and_upserts(scenario, client, login) -> None:
    login.as_user("payadmin@example.com")
    t2 = pay_world.agent(scenario, "T2")
    content = (
        "external_id,scheduled_at,kind,held,setter,lead\n"
        f"NEW-1,2026-03-25 10:00,measurement,yes,{t2.name},L1\n"
        # One of T2's appointments that were not held, now held.
        f"A206,2026-03-21 15:00,meeting,yes,{t2.name},\n"
        "BAD-1,2026-03-25 10:00,meeting,yes,Nobody Known,\n"
        "BAD-2,2026-03-25 10:00,meeting,yes,,NO-SUCH-LEAD\n"
    ).encode()
    preview = client.post(
        "/pay/appointments/import",
        data={"file": (io.BytesIO(content), "crm.csv")},
        content_type="multipart/form-data",
    )
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Line 4: setter: no employee" in text
    assert "Line 5: Unknown lead" in text
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text).group(1)
    before = db.session.scalar(select(func.count(Appointment.id)))
    client.post("/pay/appointments/import/confirm", data={"token": token})
    assert db.session.scalar(select(func.count(Appointment.id))) == before + 1
    updated = db.session.scalar(select(Appointment).where(Appointment.external_id == "A206"))
    db.session.refresh(updated)
    assert updated.held is True
    # 25 held + the one now held + the new measurement: 27 -> target, (20 + 7 x 2) x 400.
    statements.calculate_month(MARCH)
    assert _statement(t2.id).total == D("20000") + D("13600.00")


def test_leads_name_their_seller_and_setter_by_file_and_api(scenario, client, login) -> None:
    s1, t1 = pay_world.agent(scenario, "S1"), pay_world.agent(scenario, "T1")
    login.as_user("payadmin@example.com")
    content = (
        "external_id,created_at,status,sale_amount,seller,setter\n"
        f"P-1,2026-03-05 10:00,won,5000,{s1.name},{t1.name}\n"
        "P-2,2026-03-05 10:00,won,5000,Nobody Known,\n"
    ).encode()
    preview = client.post(
        "/leads/import",
        data={"file": (io.BytesIO(content), "crm.csv")},
        content_type="multipart/form-data",
    )
    text = preview.get_data(as_text=True)
    assert "Line 3: seller: no employee" in text
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', text).group(1)
    client.post("/leads/import/confirm", data={"token": token})
    lead = db.session.scalar(select(Lead).where(Lead.external_id == "P-1"))
    assert (lead.seller_id, lead.setter_id) == (s1.id, t1.id)
    # A re-import without the columns keeps who closed it.
    _row, secret = api_tokens.create_token("CRM", None)
    db.session.commit()
    pushed = client.post(
        "/api/v1/leads",
        headers={"Authorization": f"Bearer {secret}"},
        json=[
            {"external_id": "P-1", "created_at": "2026-03-05T10:00", "status": "lost"},
            {
                "external_id": "P-3",
                "created_at": "2026-03-06T10:00",
                "seller": s1.name,
                "status": "won",
                "sale_amount": 100,
            },
        ],
    )
    assert pushed.status_code == 200, pushed.get_json()
    db.session.expire_all()
    lead = db.session.scalar(select(Lead).where(Lead.external_id == "P-1"))
    assert (lead.status, lead.seller_id, lead.setter_id) == ("lost", s1.id, t1.id)
    assert db.session.scalar(select(Lead.seller_id).where(Lead.external_id == "P-3")) == s1.id


def test_a_campaign_gets_its_owner_on_the_edit_page(scenario, client, login) -> None:
    login.as_role("marketing")
    campaign = scenario["campaigns"]["C1"]
    m2 = pay_world.agent(scenario, "M2")
    page = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "Сотрудник M1" in page
    assert "Сотрудник S1" not in page  # only marketers may own a campaign
    form = {
        "name": campaign.name,
        "kind": "mass",
        "spend": "50000",
        "views": "1000",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "owner_id": str(m2.id),
    }
    assert client.post(f"/campaigns/{campaign.id}/edit", data=form).status_code == 302
    db.session.refresh(campaign)
    assert campaign.owner_id == m2.id
    # M2 now owns both campaigns: 160 leads over 1200 views.
    statements.calculate_month(MARCH)
    assert D(_statement(m2.id).lines[1]["figure"]) == D("13.33")


def test_appointments_pushed_through_the_api(scenario, client) -> None:
    _row, secret = api_tokens.create_token("CRM", None)
    db.session.commit()
    t1 = pay_world.agent(scenario, "T1")
    headers = {"Authorization": f"Bearer {secret}"}
    items = [
        {
            "external_id": "API-1",
            "scheduled_at": "2026-03-15T10:00",
            "kind": "measurement",
            "held": True,
            "setter": t1.name,
            "lead": "L1",
        },
        {"external_id": "API-2", "scheduled_at": "2026-03-15T11:00", "held": "maybe"},
        {"external_id": "API-3", "scheduled_at": "2026-03-15T12:00", "colour": "red"},
        "not an object",
    ]
    response = client.post("/api/v1/appointments", headers=headers, json=items)
    body = response.get_json()
    assert response.status_code == 200, body
    assert (body["created"], [a["external_id"] for a in body["appointments"]]) == (1, ["API-1"])
    assert [e["index"] for e in body["errors"]] == [1, 2, 3]
    assert "yes or no" in body["errors"][0]["message"]
    assert "colour" in body["errors"][1]["message"]
    # Sent again: updated, not doubled; nothing stored gives a 400 that lists why.
    again = client.post("/api/v1/appointments", headers=headers, json=items[:1])
    assert again.get_json()["updated"] == 1
    refused = client.post("/api/v1/appointments", headers=headers, json=items[1:])
    assert refused.status_code == 400
    assert len(refused.get_json()["errors"]) == 3
    assert client.post("/api/v1/appointments", json=items[:1]).status_code == 401
    # T1 now has 15 held in March: threshold, 15 x 300 = 4500.00.
    statements.calculate_month(MARCH)
    assert _statement(t1.id).variable == D("4500.00")


def test_a_pay_line_dispute_is_not_decided_as_a_review(scenario, client, login) -> None:
    statements.calculate_month(MARCH)
    statement = _statement(pay_world.agent(scenario, "S3").id)
    statements.approve(statement, scenario["admin"])
    dispute = Dispute(
        statement=statement,
        item_key="lead_sale",
        status="open",
        reason="Two won leads of mine are missing.",
    )
    db.session.add(dispute)
    db.session.commit()
    login.as_role("qa_lead")
    response = client.post(
        f"/reviews/disputes/{dispute.id}/resolve", data={"outcome": "rejected", "note": "No."}
    )
    assert response.status_code == 404
    db.session.refresh(dispute)
    assert dispute.status == "open"
