"""Dashboard pages: access, figures and colours, period form, drill-down, CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from babel.dates import format_date

from qa.extensions import db
from qa.timefmt import local_today
from tests.web import dashboard_data, factories

PERIOD_ARGS = "from=2026-03-01&to=2026-03-30"


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    """Assertions read the English UI whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def scenario(app):  # type: ignore[no-untyped-def]
    return dashboard_data.build()


def _row(html: str, key: str) -> str:
    match = re.search(rf'<tr data-row="{key}">(.*?)</tr>', html, re.S)
    assert match, f"no row {key}"
    return match.group(1)


def _cells(row_html: str) -> list[str]:
    """Text of each figure cell, tags stripped."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


@pytest.mark.parametrize("role", ["marketing", "admin"])
def test_dashboard_shows_figures_to_marketing_and_admin(client, login, scenario, role) -> None:
    login.as_role(role)
    response = client.get(f"/dashboard/?{PERIOD_ARGS}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    spring = _row(html, str(scenario.spring.id))
    # kind, views, spend, leads, view->lead, lead->sale, CPL (all, site, call, store), CPS,
    # repeat, price, assortment, lead quality, seller quality (calls, mystery shops), ad copy.
    assert _cells(spring) == [
        "Mass",
        "2 000",
        "5 000.00",
        "10",
        "0.5 %",
        "40.0 %",
        "500.00",
        "1 666.67",
        "1 000.00",
        "2 500.00",
        "1 250.00",
        "33.3 %",
        "50.0 %",
        "50.0 %",
        "56.0",
        "85.0",
        "–",
        "33.3 %",
    ]
    assert re.search(r'data-band="red"[^>]*><a href="[^"]*metric=leads"[^>]*>0.5 %', spring)
    assert 'data-band="amber"' in spring  # the ad-copy audit
    retarget = _row(html, str(scenario.retarget.id))
    assert 'data-band="green"' in retarget
    assert "0.00" in retarget
    overall = _cells(_row(html, "all"))
    assert overall[3:6] == ["22", "1.0 %", "59.1 %"]
    assert "–" in _cells(_row(html, "none"))  # no views or spend without a campaign
    assert "How the figures are computed" in html
    assert "Lead quality" in html
    assert "QA score (seller quality)" in html
    assert "Mystery-shop score (seller quality)" in html


@pytest.mark.parametrize("role", ["reviewer", "qa_lead"])
def test_dashboard_refused_to_other_roles(client, login, role) -> None:
    login.as_role(role)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/drill?metric=leads").status_code == 403
    assert client.get("/dashboard/export.csv").status_code == 403


def test_default_period_is_last_30_days(client, login) -> None:
    login.as_role("marketing")
    html = client.get("/dashboard/").get_data(as_text=True)
    today = local_today()  # the company's day, which may differ from the machine's
    start = today - timedelta(days=29)
    shown = " – ".join(format_date(day, "medium", locale="en") for day in (start, today))
    assert f"Period: {shown} (30 days)." in html
    assert "No campaigns, leads or calls in this period." in html


def test_backwards_period_is_refused_with_a_message(client, login) -> None:
    login.as_role("marketing")
    html = client.get("/dashboard/?from=2026-03-30&to=2026-03-01").get_data(as_text=True)
    assert "The period ends before it starts." in html
    assert "(30 days)." in html  # fell back to the default period
    html = client.get("/dashboard/?from=not-a-date").get_data(as_text=True)
    assert "Not a valid date value." in html


def test_chart_data_block_is_json_and_escapes_names(client, login) -> None:
    login.as_role("marketing")
    campaign = factories.make_campaign(name="</script><script>alert(1)</script>", views=10)
    factories.make_lead(external_id="x1", campaign_id=campaign.id, status="won")
    db.session.commit()
    today = local_today().isoformat()
    html = client.get(f"/dashboard/?to={today}&campaign={campaign.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    block = re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', html, re.S
    )
    data = json.loads(block.group(1))
    assert data["title"] == campaign.name
    assert data["funnel"]["values"] == [10, 1, 1, 1]
    assert sum(data["leads"]) == 1
    assert data["lead_to_sale_band"] == [60.0, 70.0]
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert "js/dashboard.js" in html


def test_drill_down_price_calls(client, login, scenario) -> None:
    login.as_role("marketing")
    response = client.get(
        f"/dashboard/drill?{PERIOD_ARGS}&campaign={scenario.spring.id}&metric=price_calls"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'<tr data-call="(\d+)">', html)}
    assert shown == {c.id for c in scenario.price_calls}
    for call in scenario.price_calls:
        assert f'href="/calls/{call.id}"' in html
    assert "Calls with a price objection" in html
    assert "Весна" in html


def test_drill_down_reviewed_calls_and_scope(client, login, scenario) -> None:
    login.as_role("marketing")
    html = client.get(f"/dashboard/drill?{PERIOD_ARGS}&campaign=all&metric=reviewed_calls")
    shown = {int(i) for i in re.findall(r'<tr data-call="(\d+)">', html.get_data(as_text=True))}
    assert shown == {c.id for c in scenario.reviewed_calls}
    html = client.get(f"/dashboard/drill?{PERIOD_ARGS}&campaign=targeted&metric=assortment_calls")
    assert "<tr data-call=" not in html.get_data(as_text=True)


def test_drill_down_leads_show_lead_quality(client, login, scenario) -> None:
    login.as_role("marketing")
    html = client.get(
        f"/dashboard/drill?{PERIOD_ARGS}&campaign={scenario.spring.id}&metric=leads"
    ).get_data(as_text=True)
    assert len(re.findall(r"<tr data-lead=", html)) == 10
    first = re.search(rf'<tr data-lead="{scenario.spring_leads[0].id}">(.*?)</tr>', html, re.S)
    assert "Price" in first.group(1)
    assert "80.0" in first.group(1)
    assert "Mar 1, 2026, 12:30\u202fAM" in first.group(1)  # company time (Moscow), stored as UTC
    html = client.get(f"/dashboard/drill?{PERIOD_ARGS}&campaign=all&metric=repeat")
    rows = re.findall(r"<tr data-lead=", html.get_data(as_text=True))
    assert len(rows) == 2  # c1's won leads in the period: one per campaign
    html = client.get(f"/dashboard/drill?{PERIOD_ARGS}&campaign=none&metric=won")
    assert "N1" in html.get_data(as_text=True)
    html = client.get(
        f"/dashboard/drill?{PERIOD_ARGS}&campaign={scenario.spring.id}&metric=leads_store_visit"
    )
    assert len(re.findall(r"<tr data-lead=", html.get_data(as_text=True))) == 2


def test_drill_down_failed_ad_texts(client, login, scenario) -> None:
    login.as_role("marketing")
    html = client.get(f"/dashboard/drill?campaign={scenario.spring.id}&metric=ads_failed")
    text = html.get_data(as_text=True)
    assert len(re.findall(r"<tr data-ad=", text)) == 1
    assert "expired" in text
    assert "failed" in text


def test_drill_down_bad_input(client, login, scenario) -> None:
    login.as_role("marketing")
    assert client.get("/dashboard/drill?metric=nonsense").status_code == 400
    assert client.get("/dashboard/drill?metric=leads&campaign=999999").status_code == 404
    assert client.get("/dashboard/drill?metric=leads&campaign=abc").status_code == 404


def test_csv_export_parses(client, login, scenario) -> None:
    login.as_role("marketing")
    response = client.get(f"/dashboard/export.csv?{PERIOD_ARGS}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "dashboard-2026-03-01-2026-03-30.csv" in response.headers["Content-Disposition"]
    # The BOM lets Excel read the Cyrillic names correctly.
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_name = {row["row"]: row for row in rows}
    assert set(by_name) == {
        "Весна",
        "Retarget",
        "Without a campaign",
        "All mass campaigns",
        "All targeted campaigns",
        "Overall",
    }
    spring = by_name["Весна"]
    assert spring["leads"] == "10"
    assert spring["view_to_lead_pct"] == "0.50"
    assert spring["view_to_lead_band"] == "red"
    assert spring["cost_per_lead_call"] == "1000.00"
    assert spring["lead_quality"] == "56.0"
    assert spring["qa_score"] == "85.0"
    assert by_name["Without a campaign"]["cost_per_lead"] == ""
    assert by_name["Overall"]["buying_customers"] == "4"
    assert (spring["ad_texts"], spring["ad_texts_audited"], spring["ad_texts_passed"]) == (
        "3",
        "2",
        "1",
    )
