"""The dashboard's cached aggregates: new figures right after every kind of write, from this
process or another, and no recomputation for writes the cache does not read (reviews).

Marked ``db``: the suite runs these again on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, event, insert, select, update

from qa import create_app
from qa.data_versions import current, renew, written_groups
from qa.extensions import db
from qa.models import Finding, Lead
from qa.services.quality.subjects import subject_for_call
from tests.web import factories
from tests.web.app_config import app_settings

pytestmark = pytest.mark.db

PERIOD = "from=2026-03-01&to=2026-03-30"
MARCH = datetime(2026, 3, 10, 9)
GROUP = "lead_figures"


def overall(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The export's overall row (the same build as the page) for March 2026."""
    response = client.get(f"/dashboard/export.csv?{PERIOD}")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    return rows[-1]


def committed_version() -> tuple[str, int] | None:
    """The version as another request would read it (a new transaction, not this one's snapshot)."""
    db.session.rollback()
    return current(GROUP)


@pytest.fixture
def marketing(client, login):  # type: ignore[no-untyped-def]
    campaign = factories.make_campaign(name="Spring", views=1000)
    factories.make_lead(external_id="L1", campaign_id=campaign.id, created_at=MARCH)
    db.session.commit()
    login.as_role("marketing")
    assert overall(client)["leads"] == "1"
    return campaign


def test_orm_add_update_and_delete_show_at_once(client, marketing) -> None:
    lead = factories.make_lead(external_id="L2", campaign_id=marketing.id, created_at=MARCH)
    db.session.commit()
    assert overall(client)["leads"] == "2"
    lead.status = "won"
    db.session.commit()
    assert overall(client)["won"] == "1"
    db.session.delete(lead)
    db.session.commit()
    figures = overall(client)
    assert (figures["leads"], figures["won"]) == ("1", "0")


def test_core_and_orm_bulk_statements_show_at_once(client, marketing) -> None:
    rows = [
        {"external_id": f"B{n}", "campaign_id": marketing.id, "created_at": MARCH} for n in range(5)
    ]
    for row in rows:
        row.update(channel="site", status="new")
    db.session.execute(insert(Lead), rows)  # executemany, as a bulk load writes
    db.session.commit()
    assert overall(client)["leads"] == "6"
    db.session.execute(update(Lead).where(Lead.external_id.like("B%")).values(status="won"))
    db.session.commit()
    assert overall(client)["won"] == "5"
    db.session.execute(delete(Lead).where(Lead.external_id.like("B%")))
    db.session.commit()
    assert overall(client)["leads"] == "1"


def test_lead_import_shows_at_once(client, marketing) -> None:
    upload = b"external_id,created_at,status\nIMP-1,2026-03-12 10:00,won\nIMP-2,2026-03-13,new\n"
    page = client.post(
        "/leads/import",
        data={"file": (io.BytesIO(upload), "leads.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert token, page
    assert client.post("/leads/import/confirm", data={"token": token.group(1)}).status_code == 302
    figures = overall(client)
    assert (figures["leads"], figures["won"]) == ("3", "1")


def test_calls_findings_and_campaigns_show_at_once(client, marketing) -> None:
    call = factories.make_call(status="transcribed", campaign_id=marketing.id, called_at=MARCH)
    db.session.commit()
    assert overall(client)["transcribed_calls"] == "1"
    factories.make_finding(call, label="price")
    db.session.commit()
    assert overall(client)["price_objection_calls_pct"] == "100.00"
    # Deleting the transcript deletes its findings by ON DELETE CASCADE, out of SQLAlchemy's sight.
    segment = factories.make_segment(call)
    factories.make_finding(call, label="assortment", segment_id=segment.id)
    db.session.commit()
    assert overall(client)["assortment_objection_calls_pct"] == "100.00"
    db.session.delete(segment)
    db.session.commit()
    assert db.session.scalar(select(Finding.id).where(Finding.label == "assortment")) is None
    assert overall(client)["assortment_objection_calls_pct"] == "0.00"
    marketing.views = 0  # the campaign recorded no views: no view -> lead figure
    db.session.commit()
    assert overall(client)["view_to_lead_pct"] == ""


def test_write_by_another_process_shows_at_once(client, marketing, app, tmp_path: Path) -> None:
    other = create_app(app_settings(tmp_path / "other", app.config["SQLALCHEMY_DATABASE_URI"]))
    with other.app_context():
        db.session.add(Lead(external_id="P2", campaign_id=marketing.id, created_at=MARCH))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert overall(client)["leads"] == "2"


def test_figures_are_cached_until_the_version_changes(client, marketing) -> None:
    """A row written behind SQLAlchemy's back (as a restore writes) is not seen until renew()."""
    before = committed_version()
    assert before is not None
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        sql = (
            "INSERT INTO leads (external_id, campaign_id, channel, status, created_at, updated_at)"
            " VALUES ('RAW', ?, 'site', 'new', ?, ?)"
        )
        if db.engine.dialect.name != "sqlite":
            sql = sql.replace("?", "%s")
        cursor.execute(sql, (marketing.id, str(MARCH), str(MARCH)))
        raw.commit()
    finally:
        raw.close()
    assert committed_version() == before
    assert overall(client)["leads"] == "1"  # served from the cache
    renew()
    db.session.commit()
    assert committed_version()[0] != before[0]
    assert overall(client)["leads"] == "2"


def test_review_submit_keeps_the_cached_figures_and_shows_its_score(client, login) -> None:
    template = factories.make_scorecard()
    call = factories.make_call(status="transcribed", called_at=MARCH)
    subject_for_call(call)
    db.session.commit()
    login.as_role("marketing")
    assert overall(client)["reviews"] == "0"
    version = committed_version()
    assert version is not None
    login.logout()
    login.as_role("reviewer")
    data = {"scorecard_version_id": str(template.current.id)}
    data.update({"answer-greet": "yes", "answer-needs": "3", "answer-price": "yes"})
    assert client.post(f"/reviews/call/{call.id}", data=data).status_code == 302
    assert committed_version() == version
    login.logout()
    login.as_role("marketing")
    assert overall(client)["reviews"] == "1"


def test_a_transaction_that_wrote_reads_its_own_figures_uncached(app, marketing) -> None:
    from qa.services.marketing.dashboards import Period, build_dashboard

    period = Period(datetime(2026, 3, 1).date(), datetime(2026, 3, 30).date())
    assert build_dashboard(period).overall.leads.leads == 1
    db.session.add(Lead(external_id="U2", campaign_id=marketing.id, created_at=MARCH))
    assert current(GROUP) is None
    assert build_dashboard(period).overall.leads.leads == 2
    db.session.rollback()
    assert build_dashboard(period).overall.leads.leads == 1


@pytest.mark.parametrize(
    ("statement", "groups"),
    [
        ("INSERT INTO leads (id) VALUES (1)", {GROUP}),
        ('UPDATE "calls" SET status = 1', {GROUP}),
        ("DELETE FROM public.findings WHERE id = 1", {GROUP}),
        ("INSERT OR REPLACE INTO campaigns VALUES (1)", {GROUP}),
        ("WITH x AS (SELECT 1) DELETE FROM transcript_segments", {GROUP}),
        ("TRUNCATE reviews, leads", {GROUP}),
        ("UPDATE reviews SET score = 1", set()),
        ("SELECT * FROM leads FOR UPDATE", set()),
        ("INSERT INTO audit_events (updated_at) SELECT created_at FROM leads", set()),
    ],
)
def test_written_groups(statement: str, groups: set[str]) -> None:
    assert written_groups(statement) == groups


def test_cached_queries_read_only_watched_tables(app) -> None:
    """A table joined into a cached aggregate must be watched, or its writes would not show."""
    from qa.data_versions import WATCHED
    from qa.services.marketing import kpi_queries as q

    read: set[str] = set()

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        read.update(re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', statement, re.IGNORECASE))

    bounds = (datetime(2026, 3, 1), datetime(2026, 3, 31))
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        q.lead_stats(bounds)
        q.call_counts(bounds)
        q.buyer_counts(bounds)
        q.daily_leads(bounds, 180, None)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    # Subqueries and CTEs are read by name too; the rest must be tables the group watches.
    assert read - {"lead_flags", "buyers", "leads_1"} <= WATCHED[GROUP]
    assert {"leads", "calls", "findings", "campaigns"} <= read


def test_a_rollback_on_a_broken_connection_still_rolls_back(app) -> None:
    """A database outage invalidates the connection mid-transaction; the rollback that follows
    (a worker's sweeper does one and then tries again) must not fail in the version hooks."""
    with db.engine.connect() as conn:
        conn.begin()
        conn.execute(insert(Lead.__table__), {"phone": "+79001112233", "channel": "call"})
        conn.invalidate()
        conn.rollback()
        assert conn.invalidated
    assert db.session.scalar(select(Lead.id)) is None
