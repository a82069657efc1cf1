"""Calls linked to leads by phone and time window, by hand, and kept links."""

from __future__ import annotations

from datetime import datetime

from qa.extensions import db
from qa.services.admin.settings import company_settings
from qa.services.marketing import linking
from tests.web import factories


def test_auto_link_picks_closest_lead_within_window(app) -> None:
    campaign = factories.make_campaign()
    far = factories.make_lead(phone="+79161234567", created_at=datetime(2026, 11, 1, 8, 0))
    near = factories.make_lead(phone="+79161234567", created_at=datetime(2026, 11, 2, 9, 0),
                               campaign_id=campaign.id)
    factories.make_lead(phone="+79160000000", created_at=datetime(2026, 11, 2, 10, 0))
    call = factories.make_call(phone="8 916 123-45-67", called_at=datetime(2026, 11, 2, 10, 0))
    assert linking.auto_link_call(call) is near
    assert (call.lead_link, call.campaign_id) == ("auto", campaign.id)
    assert far is not call.lead


def test_no_link_outside_window_and_window_is_a_setting(app) -> None:
    factories.make_lead(phone="+79161234567", created_at=datetime(2026, 11, 1, 8, 0))
    call = factories.make_call(phone="+79161234567", called_at=datetime(2026, 11, 2, 10, 0))
    assert linking.auto_link_call(call) is None
    company_settings().lead_link_window_hours = 48
    assert linking.auto_link_call(call) is not None


def test_manual_unlink_is_kept_by_auto_linking(app) -> None:
    lead = factories.make_lead(phone="+79161234567", created_at=datetime(2026, 11, 2, 9, 0))
    call = factories.make_call(phone="+79161234567", called_at=datetime(2026, 11, 2, 10, 0))
    linking.auto_link_call(call)
    linking.unlink_call(call)
    assert linking.auto_link_call(call) is None
    assert linking.auto_link_leads([lead]) == 0
    assert call.lead is None


def test_link_and_unlink_by_hand_in_web(client, login) -> None:
    login.as_role("reviewer")
    lead = factories.make_lead(phone="+79161234567")
    call = factories.make_call()
    db.session.commit()
    response = client.post(f"/leads/link-call/{call.id}", data={"lead_id": lead.id})
    assert response.headers["Location"].endswith(f"/calls/{call.id}")
    db.session.refresh(call)
    assert (call.lead_id, call.lead_link) == (lead.id, "manual")
    client.post(f"/leads/unlink-call/{call.id}")
    db.session.refresh(call)
    assert call.lead_id is None
    response = client.post(f"/leads/link-call/{call.id}", data={"lead_id": 424242},
                           follow_redirects=True)
    assert "There is no lead number 424242" in response.get_data(as_text=True)


def test_marketing_cannot_link(client, login) -> None:
    login.as_role("marketing")
    call = factories.make_call()
    db.session.commit()
    assert client.post(f"/leads/link-call/{call.id}", data={"lead_id": 1}).status_code == 403
