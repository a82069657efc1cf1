"""An employee opens a review of their call, acknowledges it and disputes one item."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Call, Dispute, ReviewAcknowledgement, ScorecardTemplate, User
from qa.services.admin.users import create_user
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

EMAIL = "employee-dispute@example.com"
REASON = "I offered the customer an instalment plan at the end of the call."


def _employee_review(server: LiveServer) -> int:
    """An employee linked to an agent with one transcribed, reviewed call."""
    with server.app.app_context():
        agent = Agent(name="Ева Продавцова")
        db.session.add(agent)
        db.session.flush()
        user = create_user(EMAIL, "Ева", PASSWORD, "employee", "en")
        user.agent_id = agent.id
        reviewer = db.session.scalar(select(User).where(User.email == "reviewer@example.com"))
        call = Call(
            original_filename="eva.wav",
            recording_path="00/eva.wav",
            sha256="e7a0" * 16,
            status="transcribed",
            language="ru",
            duration=12.0,
            title="Звонок Евы",
            agent_id=agent.id,
        )
        db.session.add(call)
        db.session.flush()
        template = db.session.scalar(select(ScorecardTemplate))
        review = save_review(
            subject_for_call(call),
            template.versions[0],
            reviewer,
            values={
                "greeting": "yes",
                "needs": "2",
                "objection": "no",
                "next_step": "yes",
                "rudeness": "yes",
            },
            comments={"objection": "No answer to the price."},
            comment="Good call otherwise.",
        )
        db.session.commit()
        return review.id


def test_employee_acknowledges_and_disputes_an_item(live_server: LiveServer, page: Page) -> None:
    review_id = _employee_review(live_server)
    page.goto("/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))
    # Only their own pages in the menu.
    expect(page.locator("#main-nav a.nav-link", has_text="Calls")).to_have_count(0)
    page.click(f"a[href='/me/reviews/{review_id}']")
    expect(page).to_have_url(re.compile(rf"/me/reviews/{review_id}$"))
    expect(page.locator("[data-review-score]")).to_be_visible()

    page.click("#acknowledgement button[type=submit]")
    expect(page.locator("#acknowledgement")).to_contain_text("You acknowledged this review")

    page.select_option("#item_key", "objection")
    page.fill("#reason", REASON)
    page.click("#disputes button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("A QA lead will decide it")
    dispute_card = page.locator("#disputes .dispute-open")
    expect(dispute_card).to_contain_text("Handles price or assortment objections")
    expect(dispute_card).to_contain_text(REASON)
    # The item has an open dispute now; the form still offers the others, not a decision.
    expect(page.locator("textarea[name=note]")).to_have_count(0)

    with live_server.app.app_context():
        dispute = db.session.scalar(select(Dispute).where(Dispute.review_id == review_id))
        assert dispute is not None
        assert (dispute.item_key, dispute.status, dispute.reason) == ("objection", "open", REASON)
        assert dispute.raised_by.email == EMAIL
        ack = db.session.scalar(
            select(ReviewAcknowledgement).where(ReviewAcknowledgement.review_id == review_id)
        )
        assert ack is not None
        assert ack.user.email == EMAIL
