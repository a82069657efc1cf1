"""Employees' own work: only their calls, reviews and mystery-shop results; acknowledge and
dispute through the one dispute mechanism; a QA lead's decision seen on their review page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Dispute, Review, ReviewAcknowledgement
from qa.models._base import utcnow
from qa.services.errors import Conflict, NotAllowed, NotFound
from qa.services.mystery.assignments import move
from qa.services.pay import plans, statements
from qa.services.quality import disputes, own_work
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call, subject_for_shop
from tests.web import factories, pay_scenario

ANSWERS = {"greet": "yes", "needs": "4", "price": "no"}
REASON = "I did handle the price objection; listen at 01:20."


def employee_with_review(name: str = "Ева") -> tuple[object, object, Review]:
    """An employee linked to an agent with one reviewed, transcribed call."""
    agent = factories.make_agent(name=f"{name} agent")
    user = factories.make_user(role="employee", name=name, agent_id=agent.id)
    reviewer = factories.make_user(role="reviewer", name="Рита")
    call = factories.make_call(
        status="transcribed", agent_id=agent.id, duration=12.0, title=f"Call of {name}"
    )
    segment = factories.make_segment(call, text="Это дорого для нас.", speaker="customer")
    factories.make_finding(call, segment_id=segment.id, text="дорого", start_char=4, end_char=10)
    review = save_review(
        subject_for_call(call),
        factories.make_scorecard().current,
        reviewer,
        values=ANSWERS,
        comments={"price": "No offer made"},
        comment="Обучение",
    )
    db.session.commit()
    return user, call, review


def _log_in(client, user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_the_rule_sees_own_calls_and_reviews_only(app) -> None:
    eva, call, review = employee_with_review("Ева")
    ivan, other_call, other_review = employee_with_review("Иван")
    assert [c.id for c in own_work.calls_of(eva)] == [call.id]
    assert own_work.call_visible_to(eva, call)
    assert not own_work.call_visible_to(eva, other_call)
    assert own_work.review_visible_to(eva, review)
    assert not own_work.review_visible_to(eva, other_review)
    with pytest.raises(NotFound):
        own_work.get_review(eva, other_review.id)
    with pytest.raises(NotFound):
        own_work.get_call(eva, 999_999)
    unlinked = factories.make_user(role="employee")
    assert own_work.calls_of(unlinked) == []
    assert own_work.overview(unlinked) is None
    assert not own_work.review_visible_to(unlinked, review)


def test_mystery_shop_results_are_theirs_when_the_subject_names_their_agent(app) -> None:
    eva, _call, _review = employee_with_review()
    lead = factories.make_user(role="qa_lead")
    shop = factories.make_assignment(factories.make_user(role="shopper"), state="submitted")
    subject = subject_for_shop(shop)
    shop_review = save_review(
        subject, factories.make_scorecard().current, lead, values=ANSWERS, comments={}, comment=None
    )
    # Not final yet, and not attributed: hidden.
    assert not own_work.review_visible_to(eva, shop_review)
    subject.agent_id = eva.agent_id
    assert not own_work.review_visible_to(eva, shop_review)
    for step in ("approved", "published"):
        move(shop, step, lead)
    db.session.commit()
    assert own_work.review_visible_to(eva, shop_review)
    assert [r.review.id for r in own_work.shop_results_of(eva)] == [shop_review.id]
    # A mystery shop is the location manager's to dispute; the employee reads it.
    assert not disputes.can_raise(shop_review, eva)
    with pytest.raises(NotAllowed):
        disputes.raise_dispute(shop_review, "price", REASON, eva)


def test_overview_shows_scores_rates_and_calls(client, app) -> None:
    eva, call, review = employee_with_review()
    _log_in(client, eva)
    assert client.get("/").headers["Location"].endswith("/me/")
    page = client.get("/me/").get_data(as_text=True)
    assert call.display_title in page
    assert f"/me/reviews/{review.id}" in page
    assert f"/me/calls/{call.id}" in page
    assert "100%" in page  # one analysed call, with a price objection
    assert 'href="/calls/' not in page
    assert 'href="/agents/' not in page
    nav = page.split("</nav>")[0]
    assert "/me/" in nav
    assert "/calls/" not in nav
    assert "/reviews/" not in nav


def test_overview_links_to_this_months_pay_estimate(client, app) -> None:
    eva, call, review = employee_with_review()
    _log_in(client, eva)
    assert "data-pay-estimate" not in client.get("/me/").get_data(as_text=True)  # not paid so
    agent = db.session.get(Agent, eva.agent_id)
    agent.pay_role = "seller"
    values, rows = pay_scenario.PLANS["seller"]
    plans.save_plan("seller", date(2026, 1, 1), values, rows, factories.make_user(role="admin"))
    db.session.commit()
    estimate = statements.estimate(agent)
    assert estimate.result is not None
    assert estimate.result.total > 0
    page = client.get("/me/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    shown = page.split("data-pay-estimate>")[1].split("<")[0]
    assert shown.replace("\xa0", "").replace(",", "").startswith(str(int(estimate.result.total)))
    assert 'href="/pay/mine"' in page


def test_unlinked_employee_sees_a_clear_message(client, login) -> None:
    login.as_role("employee")
    page = client.get("/me/").get_data(as_text=True)
    assert 'id="no-agent"' in page


def test_call_page_is_read_only(client, app) -> None:
    eva, call, review = employee_with_review()
    _log_in(client, eva)
    response = client.get(f"/me/calls/{call.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "дорого" in page
    assert 'id="player"' in page
    assert f"/me/calls/{call.id}/recording" in page
    assert f"/me/reviews/{review.id}" in page
    for staff in (
        "line-edit-form",
        "wrong-flag-form",
        "missed-form",
        "swap-roles-form",
        f'href="/calls/{call.id}',
        f'"/calls/{call.id}"',
        f'"/calls/{call.id}/recording',
        '"/agents/',
    ):
        assert staff not in page, staff
    # Comments are theirs to write: the forms post to the comments routes, nothing else.
    assert f'action="/calls/{call.id}/comments"' in page


def test_another_employees_ids_are_not_found(client, app) -> None:
    eva, _call, _review = employee_with_review("Ева")
    _ivan, other_call, other_review = employee_with_review("Иван")
    _log_in(client, eva)
    assert client.get(f"/me/calls/{other_call.id}").status_code == 404
    assert client.get(f"/me/calls/{other_call.id}/recording").status_code == 404
    assert client.get(f"/me/reviews/{other_review.id}").status_code == 404
    assert client.post(f"/me/reviews/{other_review.id}/acknowledge").status_code == 404
    assert (
        client.post(
            f"/me/reviews/{other_review.id}/disputes", data={"item_key": "*", "reason": REASON}
        ).status_code
        == 404
    )
    assert db.session.scalar(select(Dispute)) is None
    assert db.session.scalar(select(ReviewAcknowledgement)) is None
    # Staff pages stay closed, the ids they know included.
    for url in (f"/calls/{other_call.id}", f"/reviews/{other_review.id}", "/calls/", "/agents/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["shopper", "location_manager", "marketing", "reviewer"])
def test_other_roles_are_refused_the_employee_pages(client, login, app, role) -> None:
    _eva, call, review = employee_with_review()
    login.as_role(role)
    for url in ("/me/", f"/me/calls/{call.id}", f"/me/reviews/{review.id}"):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/me/reviews/{review.id}/disputes", data={"item_key": "*", "reason": REASON}
        ).status_code
        == 403
    )


def test_acknowledge_dispute_decision_and_revision_seen_by_the_employee(client, login, app):
    eva, call, review = employee_with_review()
    _log_in(client, eva)
    assert client.post(f"/me/reviews/{review.id}/acknowledge").status_code == 302
    assert client.post(f"/me/reviews/{review.id}/acknowledge").status_code == 302  # once
    acks = list(db.session.scalars(select(ReviewAcknowledgement)))
    assert [(a.review_id, a.user_id) for a in acks] == [(review.id, eva.id)]
    page = client.get(f"/me/reviews/{review.id}").get_data(as_text=True)
    assert "You acknowledged this review" in page
    response = client.post(
        f"/me/reviews/{review.id}/disputes", data={"item_key": "price", "reason": REASON}
    )
    assert response.status_code == 302
    dispute = db.session.scalar(select(Dispute))
    assert (dispute.item_key, dispute.raised_by_id, dispute.status) == ("price", eva.id, "open")
    again = client.post(
        f"/me/reviews/{review.id}/disputes",
        data={"item_key": "price", "reason": REASON},
        follow_redirects=True,
    )
    assert "already disputed" in again.get_data(as_text=True)
    score_before = review.score
    login.logout()
    # The QA lead sees the acknowledgement and the dispute on the staff page, and upholds it.
    login.as_role("qa_lead")
    staff_page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Acknowledged by Ева" in staff_page
    assert REASON in staff_page
    assert (
        client.post(
            f"/reviews/disputes/{dispute.id}/resolve",
            data={
                "outcome": "upheld",
                "note": "Heard it: the offer was made.",
                "new_answer": "yes",
            },
        ).status_code
        == 302
    )
    db.session.refresh(review)
    db.session.refresh(dispute)
    assert dispute.status == "upheld"
    assert dispute.revision is not None
    assert review.score > score_before
    assert len(review.revisions) == 2
    login.logout()
    _log_in(client, eva)
    page = client.get(f"/me/reviews/{review.id}").get_data(as_text=True)
    assert "Upheld" in page
    assert "Heard it: the offer was made." in page
    assert f"{review.score:.0f}%" in page
    assert 'name="new_answer"' not in page  # no decision tools for the employee


def test_the_window_and_role_rules_hold_for_employees(app) -> None:
    eva, _call, review = employee_with_review("Ева")
    ivan, _other_call, _other = employee_with_review("Иван")
    settings = disputes.company_settings()
    late = utcnow() + timedelta(days=settings.dispute_window_days + 1)
    assert disputes.can_raise(review, eva)
    assert not disputes.can_raise(review, eva, now=late)
    with pytest.raises(Conflict, match="over"):
        disputes.raise_dispute(review, "*", REASON, eva, now=late)
    with pytest.raises(NotFound):
        disputes.raise_dispute(review, "*", REASON, ivan)
    with pytest.raises(NotFound):
        disputes.acknowledge(review, ivan)
    lead = factories.make_user(role="qa_lead")
    with pytest.raises(NotAllowed):
        disputes.acknowledge(review, lead)
    dispute = disputes.raise_dispute(review, "*", REASON, eva)
    assert disputes.get_dispute(dispute.id, eva) is dispute
    with pytest.raises(NotFound):
        disputes.get_dispute(dispute.id, ivan)
    with pytest.raises(NotAllowed):
        disputes.resolve(dispute, "upheld", "mine", eva)
