"""The dashboard's charts are drawn by the vendored Chart.js from the page's JSON block."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Campaign, Lead
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

PERIOD = "from=2025-06-02&to=2025-06-29"  # four weeks, Monday to Sunday, before other seeds


@pytest.fixture
def marketing(live_server: LiveServer, page: Page) -> Page:
    page.goto("/login")
    page.fill("input[name=email]", "marketing@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def _seed(server: LiveServer) -> int:
    """A mass campaign over the period with 12 leads, 5 won, spread over the four weeks."""
    with server.app.app_context():
        campaign = Campaign(
            name="Июнь <b>распродажа</b>",
            kind="mass",
            views=200,
            spend=Decimal("6000"),
            starts_on=date(2025, 6, 2),
            ends_on=date(2025, 6, 29),
        )
        db.session.add(campaign)
        db.session.flush()
        for i in range(12):
            db.session.add(
                Lead(
                    external_id=f"browser-june-{i}",
                    created_at=datetime(2025, 6, 3 + 2 * i, 9),
                    campaign_id=campaign.id,
                    channel="call",
                    status="won" if i < 5 else "new",
                )
            )
        db.session.commit()
        return campaign.id


def _painted_pixels(page: Page, canvas_id: str) -> int:
    """How many pixels of the canvas are not transparent."""
    return int(
        page.evaluate(
            """(id) => {
            const canvas = document.getElementById(id);
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
            return painted;
        }""",
            canvas_id,
        )
    )


def test_charts_render_with_the_period_data(live_server: LiveServer, marketing: Page) -> None:
    campaign_id = _seed(live_server)
    errors: list[str] = []
    marketing.on("pageerror", lambda exc: errors.append(str(exc)))
    marketing.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    marketing.goto(f"/dashboard/?{PERIOD}&campaign={campaign_id}")
    expect(marketing.locator(f'tr[data-row="{campaign_id}"] th')).to_have_text(
        "Июнь <b>распродажа</b>"
    )
    assert marketing.evaluate("typeof Chart") == "function"
    assert marketing.evaluate("window.qaDashboardCharts.length") == 3
    for canvas_id in ("chart-funnel", "chart-leads", "chart-conversion"):
        assert marketing.evaluate(f"!!Chart.getChart('{canvas_id}')"), canvas_id
        assert _painted_pixels(marketing, canvas_id) > 500, f"{canvas_id} is blank"
    funnel = marketing.evaluate("Chart.getChart('chart-funnel').data.datasets[0].data")
    assert funnel == [200, 12, 5, 5]
    leads = marketing.evaluate("Chart.getChart('chart-leads').data.datasets[0].data")
    assert leads == [3, 4, 3, 2]  # leads on the 3rd, 5th, ... 25th of June, by week
    assert marketing.evaluate("Chart.getChart('chart-funnel').options.scales.x.type") == (
        "logarithmic"
    )
    conversion = marketing.evaluate(
        "Chart.getChart('chart-conversion').data.datasets.map(d => d.label)"
    )
    assert any("red below 5 %" in label for label in conversion)  # the mass band drawn as lines
    assert errors == []


def test_empty_period_still_draws(live_server: LiveServer, marketing: Page) -> None:
    marketing.goto("/dashboard/?from=2024-01-01&to=2024-01-07")
    expect(marketing.locator("#figures")).to_contain_text("No campaigns, leads or calls")
    assert marketing.evaluate("window.qaDashboardCharts.length") == 3
    assert _painted_pixels(marketing, "chart-leads") > 500  # axes and legend
