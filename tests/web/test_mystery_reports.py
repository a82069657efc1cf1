"""Mystery-shop results: figures per location and seller, the league table's percentile cut-off,
exports safe against spreadsheet formulas, and who may see them."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from qa.extensions import db
from qa.models import AssignmentEvent, ShopReport
from qa.services.errors import ValidationFailed
from qa.services.mystery import results as reports
from qa.services.mystery.assignments import move
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_shop
from tests.web import factories

ANSWERS = {  # greet (1), needs (2, scale of 4), price (3, critical; a "no" makes the score 0)
    100: {"greet": "yes", "needs": "4", "price": "yes"},
    83: {"greet": "no", "needs": "4", "price": "yes"},
    0: {"greet": "yes", "needs": "4", "price": "no"},
}
EVIL = "=HYPERLINK(\"http://evil\")"


def shop_scored(lead, location, score: int, agent=None, state: str = "published"):  # type: ignore[no-untyped-def]
    template = factories.make_scorecard()
    shop = factories.make_assignment(factories.make_user(role="shopper"), location=location,
                                     state="submitted")
    subject = subject_for_shop(shop)
    if agent is not None:
        subject.agent = agent
    save_review(subject, template.current, lead, values=ANSWERS[score], comments={}, comment=None)
    for step in ("approved", "published"):
        if state == "submitted":
            break
        move(shop, step, lead)
    return shop


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    lead = factories.make_user(role="qa_lead")
    names = ["Арбат", "Тверская", "Садовая", EVIL]
    locations = [factories.make_location(name=n) for n in names]
    seller = factories.make_agent(name="Олег")
    shop_scored(lead, locations[0], 100, agent=seller)
    shop_scored(lead, locations[0], 0, agent=seller)  # Арбат 50, one failed critical item
    shop_scored(lead, locations[1], 83)  # Тверская 83
    shop_scored(lead, locations[2], 0)  # Садовая 0
    shop_scored(lead, locations[3], 100)  # the formula-like name: 100
    shop_scored(lead, locations[1], 0, state="submitted")  # not published: not counted
    db.session.commit()
    return {"lead": lead, "locations": locations, "seller": seller}


def test_summary_per_location(world) -> None:
    rows = reports.summary("location")
    assert [(r.name, r.count) for r in rows] == [
        (EVIL, 1), ("Тверская", 1), ("Арбат", 2), ("Садовая", 1)]
    arbat = rows[2]
    assert arbat.average == pytest.approx(50.0)
    assert arbat.failed_critical == 1
    assert arbat.months[0][1] == 2
    assert arbat.days_to_publish is not None


def test_summary_per_seller_keeps_unnamed_apart(world) -> None:
    rows = {r.name: r for r in reports.summary("agent")}
    assert rows["Олег"].count == 2
    assert rows["Seller not named"].count == 3


def test_league_order_and_percentile_cut(world) -> None:
    table = reports.league("location", 25)
    assert [row.name for _, row in table.rows] == [EVIL, "Тверская", "Арбат", "Садовая"]
    assert [rank for rank, _ in table.rows] == [1, 2, 3, 4]
    assert table.cut == 1
    assert [row.name for _, row in table.top] == [EVIL]
    assert [row.name for _, row in table.bottom] == ["Садовая"]
    assert reports.league("location", 26).cut == 2  # ceil(4 x 0.26)
    with pytest.raises(ValidationFailed):
        reports.league("location", 0)
    with pytest.raises(ValidationFailed):
        reports.league("scenario", 10)


def test_exports_are_safe_against_formulas(world) -> None:
    text = reports.export("location", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    book = load_workbook(io.BytesIO(reports.export("location", "xlsx")))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "'" + EVIL in cells
    assert 50.0 in cells  # numbers stay numbers


def test_pages_and_downloads(client, login, world) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login.as_role("qa_lead")
    page = client.get("/mystery/reports?by=agent").get_data(as_text=True)
    assert "Олег" in page
    league = client.get("/mystery/league?by=location&percent=25").get_data(as_text=True)
    assert league.index("Тверская") < league.index("Садовая")
    assert "league-top" in league
    assert "league-bottom" in league
    download = client.get("/mystery/reports/export.xlsx?by=location")
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/mystery/reports/export.pdf").status_code == 404
    assert client.get("/mystery/league?percent=99").status_code == 400
    assert client.get("/mystery/reports?by=nope").status_code == 400


@pytest.mark.parametrize("role", ["reviewer", "marketing", "shopper", "location_manager"])
def test_reports_are_for_qa_leads(client, login, world, role) -> None:
    login.as_role(role)
    for url in ("/mystery/reports", "/mystery/league", "/mystery/reports/export.csv"):
        assert client.get(url).status_code == 403


def test_agent_page_shows_shop_scores_apart(client, login, world) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login.as_role("qa_lead")
    page = client.get(f"/agents/{world['seller'].id}").get_data(as_text=True)
    assert 'id="mystery-shop-scores"' in page
    assert "50%" in page


def test_turnaround_medians_from_submission_and_from_visit(client, login) -> None:
    lead = factories.make_user(role="qa_lead")
    visit = datetime(2026, 3, 3, 9, 0)
    # Days after the visit: (handed in, published); one shop handed in again after a return.
    for submissions, published in (((1,), 2), ((1, 2), 5), ((2,), 8)):
        shop = shop_scored(lead, factories.make_location(), 100)
        db.session.add(ShopReport(assignment=shop, answers={}, visit_started_at=visit))
        for day in submissions:
            db.session.add(AssignmentEvent(assignment=shop, to_state="submitted",
                                           created_at=visit + timedelta(days=day)))
        (event,) = [e for e in shop.events if e.to_state == "published"]
        event.created_at = visit + timedelta(days=published)
    shop_scored(lead, factories.make_location(), 0, state="submitted")  # not final: left out
    db.session.commit()
    found = reports.turnaround()
    # From the last hand-in: 1, 3 and 6 days; from the visit: 2, 5 and 8 days.
    assert (found.shops, found.submission_to_publication, found.visit_to_publication) == (
        3, pytest.approx(3.0), pytest.approx(5.0))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login.as_user(lead.email)
    for url in ("/mystery/league", "/mystery/reports"):
        page = client.get(url).get_data(as_text=True)
        assert "submission to publication: 3.0 days" in page
        assert "from visit to publication: 5.0 days" in page
