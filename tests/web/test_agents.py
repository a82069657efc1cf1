"""Agent pages: scores over time and objection rates, from stored reviews and findings."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from qa.extensions import db
from qa.models import CalibrationSession, Review
from qa.services.admin.settings import company_settings
from qa.services.quality import agents as agent_service
from tests.web import factories


@pytest.fixture
def agent_with_history(app):  # type: ignore[no-untyped-def]
    """Agent Ольга: 4 transcribed calls (2 with price, 1 with assortment), reviews in two weeks.

    Week of 2 March: one review, 80. Week of 9 March: 50 and 70 (average 60); one calibration
    review (10) that must not count. An uploaded, untranscribed call with a price finding does
    not count in the rates.
    """
    template = factories.make_scorecard()
    reviewer = factories.make_user(name="Ревьюер")
    olga = factories.make_agent(name="Ольга", team="Розница")
    other = factories.make_agent(name="Иван")
    days = [datetime(2026, 3, 3, 10), datetime(2026, 3, 9, 11), datetime(2026, 3, 12, 12),
            datetime(2026, 3, 13, 9)]
    calls = [factories.make_call(status="transcribed", agent=olga, called_at=d, title=f"c{i}")
             for i, d in enumerate(days)]
    factories.make_finding(calls[0], label="price")
    factories.make_finding(calls[0], label="price", time_start=20.0)
    factories.make_finding(calls[1], label="price")
    factories.make_finding(calls[1], label="assortment")
    factories.make_finding(calls[2], label="competitor")
    pending = factories.make_call(status="uploaded", agent=olga)
    factories.make_finding(pending, label="price")
    factories.make_call(status="transcribed", agent=other)
    for call, score in zip(calls[:3], (80.0, 50.0, 70.0), strict=True):
        db.session.add(Review(call=call, scorecard_version=template.current,
                              reviewer_id=reviewer.id, score=score))
    session = CalibrationSession(name="s", scorecard_version=template.current)
    db.session.add(session)
    db.session.flush()
    db.session.add(Review(call=calls[3], scorecard_version=template.current,
                          reviewer_id=reviewer.id, score=10.0, calibration_session_id=session.id))
    db.session.commit()
    return olga, other


def test_overview_numbers(agent_with_history) -> None:
    olga, _other = agent_with_history
    overview = agent_service.agent_overview(olga)
    assert [r.score for r in overview.reviews] == [70.0, 50.0, 80.0]
    assert [(str(w.week_start), w.average, w.reviews) for w in overview.weeks] == [
        ("2026-03-02", 80.0, 1),
        ("2026-03-09", 60.0, 2),
    ]
    assert overview.average_score == pytest.approx(200 / 3)
    rates = {r.label: (r.flagged, r.analysed) for r in overview.rates}
    assert rates == {"price": (2, 4), "assortment": (1, 4), "competitor": (1, 4)}
    assert [r.label for r in overview.rates][:2] == ["price", "assortment"]


def test_agents_list(client, login, agent_with_history) -> None:
    olga, other = agent_with_history
    login.as_role("reviewer")
    html = client.get("/agents/").get_data(as_text=True)
    row = html.split(f'href="/agents/{olga.id}"')[1].split("</tr>")[0]
    # 5 calls (4 transcribed + 1 uploaded), 3 regular reviews averaging 66.7
    assert '<td class="text-end">5</td>' in row
    assert '<td class="text-end">3</td>' in row
    assert "67%" in row
    assert "50%" in row
    assert "(2/4)" in row
    assert "25%" in row
    assert "(1/4)" in row
    other_row = html.split(f'href="/agents/{other.id}"')[1].split("</tr>")[0]
    assert "(0/1)" in other_row
    assert "–" in other_row


def test_agent_page_for_every_role_that_sees_calls(client, login, agent_with_history) -> None:
    olga, _other = agent_with_history
    for role in ("marketing", "qa_lead"):
        login.as_role(role)
        response = client.get(f"/agents/{olga.id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "data-agent-average>67%" in html
        assert "chart.js/chart.umd.min.js" in html
        data = json.loads(
            html.split('id="agent-score-data">')[1].split("</script>")[0]
        )
        assert data["labels"] == ["Mar 2, 2026", "Mar 9, 2026"]  # the reader's format
        assert data["values"] == [80.0, 60.0]
        assert ("/reviews/" in html) == (role == "qa_lead")
        login.logout()
    login.as_role("reviewer")
    assert client.get("/agents/999999").status_code == 404


def test_agent_without_reviews(client, login, agent_with_history) -> None:
    _olga, other = agent_with_history
    login.as_role("reviewer")
    html = client.get(f"/agents/{other.id}").get_data(as_text=True)
    assert "No reviews of this agent yet." in html
    assert "agent-score-chart" not in html


def test_weeks_are_the_company_weeks(app) -> None:
    # Sunday evening in UTC is already Monday morning in Vladivostok (UTC+10).
    company_settings().timezone = "Asia/Vladivostok"
    template = factories.make_scorecard()
    agent = factories.make_agent(name="Ольга")
    call = factories.make_call(status="transcribed", agent=agent,
                               called_at=datetime(2026, 3, 1, 20, 0))
    db.session.add(Review(call=call, scorecard_version=template.versions[0], score=90.0))
    db.session.flush()
    overview = agent_service.agent_overview(agent)
    assert [w.week_start.isoformat() for w in overview.weeks] == ["2026-03-02"]


# --- mystery shops beside call QA ---------------------------------------------------------------


def _shop_report(client, login, location, seller: str):  # type: ignore[no-untyped-def]
    """A shopper hands in a report naming ``seller``; a QA lead approves and publishes it."""
    shopper = factories.make_user(role="shopper")
    scenario = factories.make_scenario(template_id=factories.make_scorecard().id)
    assignment = factories.make_assignment(shopper, location=location, scenario=scenario,
                                           state="in_progress")
    db.session.commit()
    login.as_user(shopper.email)
    page = client.post(f"/shopping/{assignment.id}/report", follow_redirects=True, data={
        "started_at": "2026-03-03T12:20", "ended_at": "2026-03-03T12:45", "seller": seller,
        "narrative": "Встретили сразу.", "item-greet": "no", "item-needs": "4",
        "item-price": "yes", "submit": "1"})
    assert "Report submitted." in page.get_data(as_text=True)
    login.logout()
    login.as_role("qa_lead")
    for step in ("approved", "published"):
        assert client.post(f"/mystery/assignments/{assignment.id}/move",
                           data={"to_state": step}).status_code == 302
    login.logout()
    return assignment


def test_agent_page_shows_the_shops_that_name_them_beside_call_scores(
    client, login, agent_with_history
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    olga, ivan = agent_with_history
    store = factories.make_location(name="Салон на Тверской")
    olga.location, ivan.location = store, store
    db.session.commit()
    _shop_report(client, login, store, "ольга, светлые волосы")  # greet "no": 5 of 6 points
    _shop_report(client, login, store, "высокий мужчина без бейджа")  # two agents: nobody
    login.as_role("marketing")
    html = client.get(f"/agents/{olga.id}").get_data(as_text=True)
    assert "data-agent-average>67%" in html  # call reviews, as before
    shops = html.split('id="mystery-shop-scores"')[1].split("</section>")[0]
    assert "data-shop-average>83%" in shops
    assert "1 published report ·" in shops
    assert "Салон на Тверской" in shops
    other = client.get(f"/agents/{ivan.id}").get_data(as_text=True)
    assert "No published mystery-shop reports about this seller." in other


def test_the_only_agent_at_a_location_is_the_seller(app) -> None:
    from qa.services.mystery.reports import seller_agent

    store, elsewhere = factories.make_location(), factories.make_location()
    anna = factories.make_agent(name="Anna Miller")
    anna.location = store
    factories.make_agent(name="Boris").location = elsewhere
    shop = factories.make_assignment(factories.make_user(role="shopper"), location=store)
    assert seller_agent(shop, "a young woman") is anna
    assert seller_agent(shop, "Boris") is anna  # Boris works elsewhere
    anna.active = False
    assert seller_agent(shop, "Anna") is None
