"""In Chromium on a 375 px wide phone screen: a mystery shopper logs in, lands on My
assignments, reads the visit without scrolling sideways and starts it with a large button."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy import select

from qa.extensions import db
from qa.models import Location, Scenario, ShopAssignment, Wave
from qa.services.admin.users import create_user
from tests.browser.conftest import PASSWORD, LiveServer

EMAIL = "shopper-phone@example.com"


def _seed() -> int:
    shopper = create_user(EMAIL, "Sam Shopper", PASSWORD, "shopper", "en")
    location = Location(name="Tverskaya store", address="Moscow, Tverskaya street, 12",
                        phone="+74951234567")
    scenario = Scenario(
        name="Sofa for the country house", channel="visit",
        legend="You are 40, looking for a cheap folding sofa for your dacha; ask about "
               "delivery out of town and other upholstery colours. " * 3,
        objections=[{"label": "price", "wording": "That is more than I hoped to pay."}],
    )
    wave = Wave(name="March wave", scenario=scenario, starts_on=date(2026, 3, 2),
                ends_on=date(2026, 3, 8))
    assignment = ShopAssignment(wave=wave, location=location, shopper=shopper)
    db.session.add(assignment)
    db.session.commit()
    return assignment.id


def test_shopper_starts_an_assignment_on_a_phone(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        assignment_id = _seed()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The browser's own favicon request is no page's resource.
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            problems.append(message.text)

    page.on("console", on_console)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/shopping/")

    card = page.locator(f'[data-assignment="{assignment_id}"]')
    expect(card).to_contain_text("Tverskaya store")
    expect(card).to_contain_text("Moscow, Tverskaya street, 12")
    expect(card.locator("a[href='tel:+74951234567']")).to_be_visible()
    expect(card).to_contain_text("That is more than I hoped to pay.")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    start = card.get_by_role("button", name="Start")
    box = start.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 300

    start.click()
    expect(page.locator(".alert-success")).to_contain_text("Assignment started")
    expect(card.locator(".badge")).to_have_text("In progress")
    expect(card.get_by_role("button", name="Start")).to_have_count(0)
    assert problems == []
    with live_server.app.app_context():
        stored = db.session.scalar(select(ShopAssignment).where(ShopAssignment.id == assignment_id))
        assert stored.state == "in_progress"
        assert [(e.from_state, e.to_state) for e in stored.events] == [
            ("scheduled", "in_progress")]
