"""Demo data: one user per role, campaigns tied to the recordings, audited ads, figures to show."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from qa.extensions import db
from qa.models import AdText, Call, Campaign, Lead, Location, ShopAssignment, User
from qa.roles import ROLES
from qa.services.admin.demo import load_demo


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


def test_demo_has_mystery_shopping_in_several_states(app, client) -> None:
    result = load_demo(transcribe=False)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Location)) == 4
    states = sorted(db.session.scalars(select(ShopAssignment.state)))
    assert states == ["disputed", "in_progress", "scheduled", "submitted"]
    client.post("/login", data={"email": "shopper@demo.example.com",
                                "password": result.password})
    page = client.get("/shopping/").get_data(as_text=True)
    assert "Салон на Тверской" in page
    assert "Колл-центр" in page


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
    dispute = db.session.scalar(select(Dispute))
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
