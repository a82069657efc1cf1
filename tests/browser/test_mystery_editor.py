"""In Chromium: a QA lead opens a shopper's submitted report, approves and publishes it with the
buttons of the assignment page, and the league table then ranks the store and its seller with
the report's score."""

from __future__ import annotations

from datetime import date, datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from qa.extensions import db
from qa.models import (
    Agent,
    Location,
    Scenario,
    ScorecardTemplate,
    ScorecardVersion,
    ShopAssignment,
    Wave,
)
from qa.services.admin.users import create_user
from qa.services.mystery import reports
from tests.browser.conftest import PASSWORD, SCORECARD, LiveServer

LEAD = "mystery-editor@example.com"
STORE = "Arbat store (league)"
SELLER = "Vera Vasilyeva"
# Weights 1, 2, 3, 2, 1: greeting no (0/1), needs 3/3 (2), objection yes (3), next step no
# (0/2), polite (1): 6 of 9 points.
ANSWERS = {"greeting": "no", "needs": 3, "objection": "yes", "next_step": "no", "rudeness": "yes"}


def _seed() -> int:
    """A report the shopper submitted through the report service, naming the seller."""
    create_user(LEAD, "Lena Lead", PASSWORD, "qa_lead", "en")
    shopper = create_user("mystery-editor-shopper@example.com", "Sam", PASSWORD, "shopper", "en")
    template = ScorecardTemplate(name="Store visit (league)")
    template.versions.append(ScorecardVersion(number=1, definition=SCORECARD))
    location = Location(name=STORE, address="Moscow, Arbat street, 20")
    db.session.add(Agent(name=SELLER, location=location))
    scenario = Scenario(
        name="Sofa visit (league)",
        channel="visit",
        template=template,
        legend="Ask for a cheap folding sofa.",
        objections=[],
    )
    wave = Wave(
        name="League wave", scenario=scenario, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 8)
    )
    assignment = ShopAssignment(wave=wave, location=location, shopper=shopper, state="in_progress")
    db.session.add(assignment)
    db.session.flush()
    facts = reports.VisitFacts(
        started_at=datetime(2026, 3, 3, 12, 0),
        ended_at=datetime(2026, 3, 3, 12, 30),
        seller="Vera, at the till",
        wait_minutes=2,
        narrative="Greeted late, showed two sofas.",
    )
    reports.save_draft(assignment, shopper, facts, ANSWERS, {})
    reports.submit(assignment, shopper)
    db.session.commit()
    return assignment.id


def test_editor_approves_and_publishes_and_the_league_shows_it(
    live_server: LiveServer, page: Page
) -> None:
    with live_server.app.app_context():
        assignment_id = _seed()
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", LEAD)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")

    page.goto(f"{live_server.url}/mystery/assignments/{assignment_id}")
    expect(page.locator("h1")).to_have_text(STORE)
    expect(page.locator("[data-review-score]").first).to_have_text("67%")
    expect(page.get_by_text("Vera, at the till")).to_be_visible()
    page.get_by_role("button", name="Approved").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name="Published").click()
    expect(page.get_by_role("button", name="Published")).to_have_count(0)
    expect(page.locator("main .badge").first).to_have_text("Published")

    page.goto(f"{live_server.url}/mystery/league")
    row = page.locator("#league tbody tr", has_text=STORE)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("67")
    page.locator("#by").select_option("agent")
    page.get_by_role("button", name="Show").click()
    seller_row = page.locator("#league tbody tr", has_text=SELLER)
    expect(seller_row.locator("td").nth(2)).to_have_text("67")
    expect(seller_row.locator("td").nth(3)).to_have_text("1")
    with live_server.app.app_context():
        shop = db.session.scalar(select(ShopAssignment).where(ShopAssignment.id == assignment_id))
        assert [e.to_state for e in shop.events][-2:] == ["approved", "published"]
