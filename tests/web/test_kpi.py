"""KPI arithmetic against the hand-computed scenario in tests/web/dashboard_data.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from qa.extensions import db
from qa.models import Campaign, ShopReport
from qa.services.admin.settings import company_settings
from qa.services.errors import ValidationFailed
from qa.services.marketing import dashboard_exports, dashboards
from qa.services.marketing.dashboards import Period, band, overlap_share
from qa.services.mystery.assignments import move
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_shop
from tests.web import dashboard_data, factories

pytestmark = pytest.mark.db


@pytest.fixture
def scenario(app):  # type: ignore[no-untyped-def]
    return dashboard_data.build()


def shop(visited: datetime, values: dict[str, str], state: str = "published") -> None:
    """A mystery shop visited at ``visited`` (UTC), scored with ``values``, moved to ``state``."""
    lead = factories.make_user(role="qa_lead")
    template = factories.make_scorecard()
    assignment = factories.make_assignment(
        factories.make_user(role="shopper"),
        state="submitted",
        starts_on=visited.date(),
        ends_on=visited.date(),
    )
    db.session.add(ShopReport(assignment=assignment, answers={}, visit_started_at=visited))
    save_review(
        subject_for_shop(assignment),
        template.current,
        lead,
        values=values,
        comments={},
        comment=None,
    )
    for step in ("approved", "published"):
        if state == "submitted":
            break
        move(assignment, step, lead)
    db.session.flush()


ALL_YES = {"greet": "yes", "needs": "4", "price": "yes"}


def _rows(board: dashboards.Dashboard) -> dict[str, dashboards.Figures]:
    return {row.key: row for row in [*board.rows, *board.totals, board.overall]}


def test_campaign_figures(scenario) -> None:
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    spring = _rows(board)[str(scenario.spring.id)]
    assert spring.views == pytest.approx(2000)
    assert spring.spend == Decimal("5000.00")
    assert (spring.leads.leads, spring.leads.won, spring.leads.reached) == (10, 4, 6)
    assert spring.view_to_lead == pytest.approx(0.5)
    assert spring.lead_to_sale == pytest.approx(40.0)
    assert spring.bands["view_to_lead"] == "red"
    assert spring.bands["lead_to_sale"] == "red"
    assert spring.cost_per_lead == Decimal("500.00")
    assert spring.cost_per_channel_lead("call") == Decimal("1000.00")
    assert spring.cost_per_channel_lead("site_request") == Decimal("1666.67")
    assert spring.cost_per_channel_lead("store_visit") == Decimal("2500.00")
    assert spring.cost_per_sale == Decimal("1250.00")
    assert (spring.buyers, spring.repeat_buyers) == (3, 1)
    assert spring.repeat_rate == pytest.approx(100 / 3)
    assert spring.calls.calls == 4
    assert spring.price_share == pytest.approx(50.0)
    assert spring.assortment_share == pytest.approx(50.0)
    assert spring.lead_quality == pytest.approx(56.0)
    assert spring.reached_share == pytest.approx(60.0)
    assert spring.resistance_shares == (pytest.approx(20.0), pytest.approx(20.0))
    assert spring.qa_score == pytest.approx(85.0)
    assert (spring.ads.texts, spring.ads.audited, spring.ads.passed) == (3, 2, 1)
    # One of three texts passed: the unaudited one has not.
    assert spring.ad_pass_share == pytest.approx(100 / 3)
    assert spring.bands["ad_audit"] == "amber"


def test_targeted_campaign_with_zero_spend(scenario) -> None:
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    retarget = _rows(board)[str(scenario.retarget.id)]
    # No dates: the whole 40 views count; 10 leads is 25 %, amber in the targeted 20-30 % band.
    assert retarget.views == 40
    assert retarget.view_to_lead == pytest.approx(25.0)
    assert retarget.bands["view_to_lead"] == "amber"
    assert retarget.lead_to_sale == pytest.approx(80.0)
    assert retarget.bands["lead_to_sale"] == "green"
    assert retarget.cost_per_lead == Decimal("0.00")
    assert retarget.cost_per_sale == Decimal("0.00")
    assert retarget.cost_per_channel_lead("call") is None  # no call leads: nothing to divide
    assert retarget.price_share is None
    assert retarget.qa_score is None
    assert retarget.lead_quality == pytest.approx(80.0)
    assert retarget.repeat_rate == pytest.approx(100.0)
    assert retarget.bands["ad_audit"] == "green"


def test_totals_and_overall(scenario) -> None:
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    rows = _rows(board)
    none = rows["none"]
    assert (none.leads.leads, none.leads.won) == (2, 1)
    assert none.views is None
    assert none.cost_per_lead is None
    assert none.view_to_lead is None
    assert rows["mass"].leads.leads == 10
    assert rows["targeted"].leads.leads == 10
    overall = rows["all"]
    assert overall.views == pytest.approx(2040)
    assert overall.view_to_lead == pytest.approx(100 * 20 / 2040)
    assert overall.bands["view_to_lead"] is None  # mass and targeted mixed: no single band
    assert overall.leads.leads == 22
    assert overall.leads.won == 13
    assert overall.lead_to_sale == pytest.approx(100 * 13 / 22)
    assert overall.bands["lead_to_sale"] == "red"
    # Costs count only the leads that campaign spend paid for (20, of which 12 won).
    assert overall.cost_per_lead == Decimal("250.00")
    assert overall.cost_per_channel_lead("site_request") == Decimal("384.62")
    assert overall.cost_per_sale == Decimal("416.67")
    # c1 bought in both campaigns: counted once; of c1, c2, c3, c7 only c1 bought before.
    assert (overall.buyers, overall.repeat_buyers) == (4, 1)
    assert overall.lead_quality == pytest.approx(1490 / 22)
    assert overall.qa_score == pytest.approx(85.0)
    assert overall.ad_pass_share == pytest.approx(50.0)


def test_period_uses_company_time_zone(scenario) -> None:
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    assert _rows(board)[str(scenario.spring.id)].leads.leads == 10  # 00:30 in, 23:30 out
    company_settings().timezone = "UTC"
    db.session.flush()
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    # In UTC both leads of 28 February fall before the period.
    assert _rows(board)[str(scenario.spring.id)].leads.leads == 9


def test_weekly_trend(scenario) -> None:
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    trend = board.trend
    assert trend.weeks[0] == date(2026, 2, 23)
    assert trend.weeks[-1] == date(2026, 3, 30)
    assert trend.leads == [1, 6, 6, 5, 4, 0]
    assert trend.won == [1, 5, 4, 3, 0, 0]
    assert trend.lead_to_sale[1] == pytest.approx(100 * 5 / 6)
    assert trend.lead_to_sale[5] is None
    focused = dashboards.build_dashboard(
        dashboard_data.PERIOD, scenario.spring.id, today=date(2026, 5, 1)
    )
    assert focused.focus.campaign is scenario.spring
    assert focused.trend.leads == [1, 0, 0, 5, 4, 0]
    # Week of 16 March: 7 of the campaign's 30 days, so 4000 * 7 / 30 views.
    assert focused.trend.view_to_lead[3] == pytest.approx(100 * 5 / (4000 * 7 / 30))
    assert [value for _step, value in focused.funnel] == [2000, 10, 6, 4]


def test_empty_period_gives_no_figures_not_errors(scenario) -> None:
    board = dashboards.build_dashboard(
        Period(date(2025, 1, 1), date(2025, 1, 7)), today=date(2026, 5, 1)
    )
    keys = [row.key for row in board.rows]
    assert keys == [str(scenario.retarget.id)]  # the undated campaign only
    row = board.rows[0]
    assert row.leads.leads == 0
    assert row.view_to_lead == 0
    assert row.lead_to_sale is None
    assert row.cost_per_lead is None
    assert row.cost_per_sale is None
    assert row.repeat_rate is None
    assert row.lead_quality is None
    assert row.bands["lead_to_sale"] is None
    assert board.overall.lead_to_sale is None
    assert board.overall.qa_score is None
    text = dashboard_exports.figures_csv(board).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Retarget,")


def test_empty_database(app) -> None:
    board = dashboards.build_dashboard(dashboards.Period.last_days())
    assert board.rows == []
    assert board.totals == []
    assert board.overall.view_to_lead is None
    assert board.overall.cost_per_lead is None
    assert [value for _step, value in board.funnel] == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (0.0, "red"),
        (4.99, "red"),
        (5.0, "amber"),
        (9.99, "amber"),
        (10.0, "green"),
        (100 * 1 / 10, "green"),
        (55.0, "green"),
    ],
)
def test_band_mass_view_to_lead(value, expected) -> None:
    assert band(value, 5, 10) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(59.9, "red"), (60.0, "amber"), (70.0, "amber"), (100 * 7 / 10, "amber"), (70.01, "green")],
)
def test_band_lead_to_sale_green_only_above(value, expected) -> None:
    assert band(value, 60, 70, green_inclusive=False) == expected


def test_bands_follow_company_settings(scenario) -> None:
    settings = company_settings()
    settings.lead_sale_red, settings.lead_sale_green_above = 30.0, 39.0
    settings.mass_view_lead_red, settings.mass_view_lead_green = 0.1, 0.5
    db.session.flush()
    board = dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    spring = _rows(board)[str(scenario.spring.id)]
    assert spring.bands == {"view_to_lead": "green", "lead_to_sale": "green", "ad_audit": "amber"}


def test_overlap_share() -> None:
    campaign = Campaign(starts_on=date(2026, 3, 16), ends_on=date(2026, 4, 14))
    assert overlap_share(campaign, date(2026, 3, 1), date(2026, 3, 30), date(2026, 5, 1)) == 0.5
    assert overlap_share(campaign, date(2026, 5, 1), date(2026, 5, 30), date(2026, 6, 1)) == 0
    ongoing = Campaign(starts_on=date(2026, 3, 1))
    # Runs until "today" (10 March): 10 days, 5 of them in 6-20 March.
    assert overlap_share(ongoing, date(2026, 3, 6), date(2026, 3, 20), date(2026, 3, 10)) == 0.5
    assert overlap_share(Campaign(), date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 2)) == 1.0


def test_weekly_views_prorate_only_the_weeks_a_run_touches_and_sum_as_before() -> None:
    """The weekly views equal the plain sum over every campaign and week, to the last bit."""
    period = Period(date(2026, 2, 25), date(2026, 5, 6))
    today = date(2026, 4, 20)
    campaigns = [
        Campaign(views=7001, starts_on=date(2026, 3, 16), ends_on=date(2026, 4, 14)),
        Campaign(views=333, starts_on=date(2026, 1, 5), ends_on=date(2026, 3, 3)),
        Campaign(views=12345, starts_on=date(2026, 4, 1)),  # runs until today
        Campaign(views=99, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30)),  # after it
        Campaign(views=50),  # no dates: in full every week
        Campaign(views=10, starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 2)),  # before it
    ]
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = [
        first_monday + timedelta(weeks=i) for i in range((period.end - first_monday).days // 7 + 1)
    ]
    plain = [
        sum(
            c.views
            * overlap_share(
                c, max(monday, period.start), min(monday + timedelta(days=6), period.end), today
            )
            for c in campaigns
        )
        for monday in weeks
    ]
    assert dashboards._weekly_views(weeks, period, campaigns, today) == plain


def test_period_checks() -> None:
    with pytest.raises(ValidationFailed, match="ends before it starts"):
        Period.checked(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(ValidationFailed, match="three years"):
        Period.checked(date(2020, 1, 1), date(2026, 1, 1))
    assert Period.last_days(today=date(2026, 3, 30)) == dashboard_data.PERIOD
    assert dashboard_data.PERIOD.utc_bounds("Europe/Moscow")[0] == dashboard_data.FIRST_MOMENT_UTC


def test_mystery_shops_feed_seller_quality_apart_from_calls_and_leads(scenario) -> None:
    before = _rows(dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1)))
    shop(datetime(2026, 3, 10, 11, 0), ALL_YES)  # 100
    shop(datetime(2026, 3, 12, 15, 0), {**ALL_YES, "greet": "no"})  # 5 of 6 points: 83.3
    shop(datetime(2026, 4, 5, 11, 0), {**ALL_YES, "price": "no"})  # visited after the period
    shop(datetime(2026, 3, 20, 11, 0), {**ALL_YES, "price": "no"}, state="submitted")  # not final
    db.session.commit()
    rows = _rows(dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1)))
    overall = rows["all"]
    assert (overall.calls.shops, overall.shop_score) == (2, pytest.approx((100 + 500 / 6) / 2))
    # Shops without a recording of a campaign sit in the row without a campaign.
    assert rows["none"].shop_score == pytest.approx(overall.shop_score)
    assert rows[str(scenario.spring.id)].shop_score is None
    # Call QA and lead quality are untouched by them.
    for key in ("all", "none", str(scenario.spring.id)):
        assert rows[key].qa_score == before[key].qa_score
        assert rows[key].lead_quality == before[key].lead_quality
    csv_text = dashboard_exports.figures_csv(
        dashboards.build_dashboard(dashboard_data.PERIOD, today=date(2026, 5, 1))
    ).decode("utf-8-sig")
    header, *lines = csv_text.splitlines()
    columns = header.split(",")
    last = dict(zip(columns, lines[-1].split(","), strict=True))
    assert (last["mystery_shop_score"], last["mystery_shops"], last["qa_score"]) == (
        "91.7",
        "2",
        "85.0",
    )
