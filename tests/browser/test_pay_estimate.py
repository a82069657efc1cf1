"""In Chromium: an employee logs in, opens My pay and reads their estimate for this month, the
next level's needs, and an approved statement of an earlier month with its lines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from playwright.sync_api import ConsoleMessage, Page, expect

from qa.extensions import db
from qa.models import Agent, Lead
from qa.models._base import utcnow
from qa.services.admin.users import create_user
from qa.services.pay import plans, statements
from tests.browser.conftest import PASSWORD, LiveServer

EMAIL = "seller-pay@example.com"
PLAN = {"fixed": "25000", "variable": "10000", "cap": "", "max_reduction": "50"}
REVENUE = {
    "key": "revenue",
    "weight": "100",
    "pay": "revenue_percent",
    "threshold": "10000",
    "target": "50000",
    "stretch": "100000",
    "threshold_pays": "2",
    "target_pays": "3",
    "stretch_pays": "4",
    "accelerator": "1",
    "penalty": "0",
}


def _seed() -> None:
    admin = create_user("pay-admin@example.com", "Admin", PASSWORD, "admin", "en")
    seller = Agent(name="Sasha Seller", pay_role="seller")
    other = Agent(name="Olga Other", pay_role="seller")
    db.session.add_all([seller, other])
    db.session.flush()
    employee = create_user(EMAIL, "Sasha Seller", PASSWORD, "employee", "en")
    employee.agent_id = seller.id
    plans.save_plan("seller", date(2000, 1, 1), PLAN, [REVENUE], admin)
    now = utcnow()
    last_month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    # This month: 20000 of revenue -> threshold, 2 % = 400.00; so far 25400.00.
    db.session.add_all(
        [
            Lead(
                external_id="B-1",
                created_at=now,
                status="won",
                sale_amount=Decimal("20000"),
                seller_id=seller.id,
            ),
            Lead(
                external_id="B-2",
                created_at=now,
                status="won",
                sale_amount=Decimal("90000"),
                seller_id=other.id,
            ),
            Lead(
                external_id="B-3",
                created_at=datetime.combine(last_month, time(12)) + timedelta(days=5),
                status="won",
                sale_amount=Decimal("60000"),
                seller_id=seller.id,
            ),
        ]
    )
    db.session.flush()
    statements.calculate_month(last_month)
    for statement in statements.month_statements(last_month):
        statements.approve(statement, admin)
    db.session.commit()


def test_employee_reads_their_estimate_and_an_approved_statement(
    live_server: LiveServer, page: Page
) -> None:
    with live_server.app.app_context():
        _seed()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            problems.append(message.text)

    page.on("console", on_console)
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.get_by_role("link", name="My pay").click()
    expect(page).to_have_url(f"{live_server.url}/pay/mine")

    lines = page.locator("table.pay-lines")
    expect(lines).to_contain_text("Fixed part")
    expect(lines).to_contain_text("Revenue")
    expect(lines).to_contain_text("20,000")
    expect(lines).to_contain_text("Threshold")
    expect(page.locator(".estimate-total")).to_contain_text("25,400.00")
    # The next level: 50000 of revenue, 30000 to go, the line would then pay 3 % = 1500.
    what_if = page.locator("table.what-if")
    expect(what_if).to_contain_text("Target")
    expect(what_if).to_contain_text("30,000")
    expect(what_if).to_contain_text("1,500.00")
    # Only their own approved statement is listed; it opens with its lines.
    expect(page.get_by_text("Olga Other")).to_have_count(0)
    page.locator("a[href^='/pay/statements/']").first.click()
    expect(page.locator("h1")).to_contain_text("Sasha Seller")
    # Last month: 60000 -> target, 3 % = 1800.00; 26800.00 in all.
    expect(page.locator("table.pay-lines")).to_contain_text("1,800.00")
    expect(page.get_by_text("26,800.00")).to_be_visible()
    assert problems == []
