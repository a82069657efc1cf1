"""Demo data: one user per role, campaigns tied to the recordings, audited ads, figures to show."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from qa.extensions import db
from qa.models import (
    AdText,
    Agent,
    Appointment,
    Call,
    Campaign,
    Dispute,
    Lead,
    Location,
    PayPlan,
    PayStatement,
    ShopAssignment,
    ShopReport,
    User,
)
from qa.roles import ROLES
from qa.services.admin.demo import load_demo
from qa.services.admin.demo_pay import previous_month
from qa.services.mystery import results
from qa.services.mystery.checks import check_report
from qa.services.pay import statements
from qa.services.pay.figures import month_start
from qa.timefmt import local_today
from qa.vocabulary import SHOP_STATE


def test_demo_loads_once_with_real_recordings(app, client) -> None:
    result = load_demo(transcribe=False)
    db.session.commit()
    assert result.created
    assert result.password
    assert sorted(db.session.scalars(select(User.role))) == sorted(ROLES)

    calls = db.session.scalars(select(Call)).all()
    assert len(calls) == 4
    for call in calls:
        assert call.campaign is not None
        assert call.lead is not None
        assert call.agent is not None
        assert os.path.getsize(os.path.join(app.config["RECORDINGS_DIR"], call.recording_path)) > 0
    # Every manifest campaign exists, so each call sits in its own campaign.
    assert len({call.campaign_id for call in calls}) == 4
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 4
    audited = db.session.scalars(select(AdText)).all()
    assert len(audited) == 8
    assert all(ad.latest_audit for ad in audited)
    assert any(ad.latest_audit.passed for ad in audited)
    assert any(not ad.latest_audit.passed for ad in audited)
    assert db.session.scalar(select(func.count()).select_from(Lead)) > 100

    again = load_demo(transcribe=False)
    assert not again.created
    assert db.session.scalar(select(func.count()).select_from(Call)) == 4

    # The dashboard's default period (the last 30 days) shows the demo month.
    response = client.post("/login", data={"email": "marketing@demo.example.com",
                                           "password": result.password})
    assert response.status_code == 302
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Яндекс Директ: диваны, ноябрь" in page


def test_demo_has_mystery_shops_in_every_state_through_the_services(app, client) -> None:
    result = load_demo(transcribe=False)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Location)) == 8
    shops = db.session.scalars(select(ShopAssignment)).all()
    assert sorted(shop.state for shop in shops) == sorted(SHOP_STATE.values)
    by_state = {shop.state: shop for shop in shops}
    # Each state was reached by its moves, one event each, from the schedule on.
    for shop in shops:
        assert [e.from_state for e in shop.events][1:] == [e.to_state for e in shop.events][:-1]
        assert shop.events[-1].to_state == shop.state
    assert [e.to_state for e in by_state["resolved"].events] == [
        "scheduled", "in_progress", "submitted", "approved", "published", "disputed", "resolved"]
    assert by_state["returned"].due_on is not None
    # Submitted reports carry a photo whose EXIF places it at the shop, and a scored review.
    for state in ("submitted", "approved", "published", "disputed", "resolved"):
        report = db.session.scalar(
            select(ShopReport).where(ShopReport.assignment_id == by_state[state].id))
        assert report.review is not None
        assert report.review.score is not None
        checks = {c.name: c.status for c in check_report(report).checks}
        assert (checks["visit_time"], checks["photo_place"]) == ("pass", "pass"), state
    resolved = db.session.scalar(select(Dispute).where(Dispute.status == "upheld"))
    assert resolved is not None
    # One open dispute about a shop (the disputed visit); the demo employee's is about a call.
    disputed = db.session.scalar(
        select(ShopReport).where(ShopReport.assignment_id == by_state["disputed"].id))
    assert db.session.scalar(select(func.count()).select_from(Dispute).where(
        Dispute.status == "open", Dispute.review_id == disputed.review.id)) == 1
    assert [r.assignment.state for r in results.results()] == ["resolved", "disputed",
                                                                 "published"]
    client.post("/login", data={"email": "shopper@demo.example.com",
                                "password": result.password})
    page = client.get("/shopping/").get_data(as_text=True)
    assert "Салон на Тверской" in page
    assert "Колл-центр" in page
    client.post("/logout")
    client.post("/login", data={"email": "qalead@demo.example.com",
                                "password": result.password})
    league = client.get("/mystery/league").get_data(as_text=True)
    assert 'id="turnaround"' in league


def test_demo_scorecard_is_valid_and_suggests_from_flags() -> None:
    from qa.services.admin.demo import DEFAULT_SCORECARD
    from scoring.scorecard import ScorecardDefinition

    definition = ScorecardDefinition.from_dict(DEFAULT_SCORECARD)
    assert {item.suggest_from for item in definition.items} >= {"price", "assortment"}
    assert any(item.critical for item in definition.items)


def test_demo_employee_sees_reviews_an_acknowledgement_and_an_open_dispute(app, client) -> None:
    from qa.models import Dispute, ReviewAcknowledgement

    result = load_demo(transcribe=False)
    db.session.commit()
    employee = db.session.scalar(select(User).where(User.role == "employee"))
    assert employee.agent is not None
    own_calls = [c for c in db.session.scalars(select(Call)) if c.agent_id == employee.agent_id]
    assert len(own_calls) >= 2
    ack = db.session.scalar(select(ReviewAcknowledgement))
    dispute = db.session.scalar(select(Dispute).where(Dispute.raised_by_id == employee.id))
    assert ack.user_id == employee.id
    assert (dispute.raised_by_id, dispute.status) == (employee.id, "open")
    assert ack.review.call.agent_id == employee.agent_id
    assert dispute.review.call.agent_id == employee.agent_id
    client.post("/login", data={"email": employee.email, "password": result.password})
    page = client.get("/me/").get_data(as_text=True)
    assert f"/me/reviews/{ack.review_id}" in page
    assert f"/me/reviews/{dispute.review_id}" in page
    review_page = client.get(f"/me/reviews/{dispute.review_id}").get_data(as_text=True)
    assert dispute.reason in review_page


def test_demo_shows_pay_for_last_month_and_this_one(app, client) -> None:
    result = load_demo(transcribe=False)
    db.session.commit()
    assert sorted(db.session.scalars(select(PayPlan.role))) == ["marketer", "seller", "setter"]
    paid = db.session.scalars(select(Agent).where(Agent.pay_role.is_not(None))).all()
    assert {agent.pay_role for agent in paid} == {"marketer", "seller", "setter"}
    assert all(c.owner is not None and c.owner.pay_role == "marketer"
               for c in db.session.scalars(select(Campaign)))
    leads = db.session.scalars(select(Lead)).all()
    assert any(lead.seller_id for lead in leads)
    assert any(lead.setter_id for lead in leads)
    assert any(not lead.seller_id for lead in leads)  # only some leads
    assert db.session.scalar(select(func.count()).select_from(Appointment)) > 0
    last, this = previous_month(), month_start(local_today())
    for month, state in ((last, "approved"), (this, "draft")):
        found = statements.month_statements(month)
        assert {s.agent_id for s in found} == {agent.id for agent in paid}
        assert {s.state for s in found} == {state}
    assert any(s.variable > 0 for s in statements.month_statements(last))

    employee = db.session.scalar(select(User).where(User.role == "employee"))
    own = db.session.scalar(
        select(PayStatement).where(
            PayStatement.agent_id == employee.agent_id, PayStatement.period == last
        )
    )
    assert own.state == "approved"
    client.post("/login", data={"email": employee.email, "password": result.password})
    mine = client.get("/pay/mine").get_data(as_text=True)
    assert f"/pay/statements/{own.id}" in mine
    assert client.get(f"/pay/statements/{own.id}").status_code == 200
    assert 'href="/pay/mine"' in client.get("/me/").get_data(as_text=True)
    client.post("/logout")
    client.post("/login", data={"email": "admin@demo.example.com", "password": result.password})
    board = client.get(f"/pay/?month={last:%Y-%m}").get_data(as_text=True)
    assert all(agent.name in board for agent in paid)
