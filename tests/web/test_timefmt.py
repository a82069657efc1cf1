"""qa.timefmt: stored UTC shown in the company's zone, in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import render_template_string
from flask_login import login_user

from qa import timefmt
from qa.extensions import db
from qa.models import Review
from qa.services.admin.settings import company_settings
from qa.services.calls import listing
from qa.services.quality import reviews as review_service
from tests.web import factories

BERLIN = ZoneInfo("Europe/Berlin")  # CET, CEST from 2026-03-29 01:00 UTC
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")  # UTC+10 all year
LATE_UTC = datetime(2026, 2, 28, 17, 37, 41, 123456)  # already 1 March in Vladivostok


def test_midnight_crossing_shows_the_local_day_in_both_languages() -> None:
    assert timefmt.format_moment(LATE_UTC, zone=VLADIVOSTOK, locale="ru") == (
        "1 мар. 2026\u202fг., 03:37"
    )
    assert timefmt.format_moment(LATE_UTC, zone=VLADIVOSTOK, locale="en") == (
        "Mar 1, 2026, 3:37\u202fAM"
    )
    assert timefmt.format_day(LATE_UTC, zone=VLADIVOSTOK, locale="en") == "Mar 1, 2026"
    assert timefmt.format_day(LATE_UTC, zone=VLADIVOSTOK, locale="ru") == "1 мар. 2026\u202fг."
    assert timefmt.format_clock(LATE_UTC, zone=VLADIVOSTOK, locale="ru") == "03:37"
    assert timefmt.table_cell(LATE_UTC, zone=VLADIVOSTOK) == "2026-03-01 03:37"
    assert timefmt.iso_local(LATE_UTC, zone=VLADIVOSTOK) == "2026-03-01T03:37:41+10:00"


def test_daylight_saving_change_moves_the_offset() -> None:
    before, after = datetime(2026, 3, 29, 0, 30), datetime(2026, 3, 29, 1, 30)
    assert timefmt.format_clock(before, zone=BERLIN, locale="ru") == "01:30"
    assert timefmt.format_clock(after, zone=BERLIN, locale="ru") == "03:30"
    assert timefmt.iso_local(before, zone=BERLIN) == "2026-03-29T01:30:00+01:00"
    assert timefmt.iso_local(after, zone=BERLIN) == "2026-03-29T03:30:00+02:00"
    # The local day of the change is 23 hours long.
    start, end = timefmt.day_bounds(date(2026, 3, 29), date(2026, 3, 29), BERLIN)
    assert end - start == timedelta(hours=23)


def test_typed_local_time_is_stored_as_utc_once() -> None:
    typed = datetime(2026, 3, 1, 3, 37, 41, 999)
    stored = timefmt.stored_from_local(typed, VLADIVOSTOK)
    assert stored == datetime(2026, 2, 28, 17, 37, 41)
    assert stored.tzinfo is None
    # A time that already says its zone keeps its instant.
    aware = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert timefmt.stored_from_local(aware, VLADIVOSTOK) == datetime(2026, 3, 1, 9, 0)
    assert timefmt.day_bounds(date(2026, 3, 1), date(2026, 3, 1), VLADIVOSTOK) == (
        datetime(2026, 2, 28, 14, 0), datetime(2026, 3, 1, 14, 0)
    )


def test_nothing_shows_microseconds_or_a_naive_reading() -> None:
    for locale in ("ru", "en"):
        shown = timefmt.format_moment(LATE_UTC, zone=UTC, locale=locale)
        assert "41" not in shown
        assert "123" not in shown
    assert timefmt.iso_local(LATE_UTC, zone=UTC) == "2026-02-28T17:37:41+00:00"
    assert timefmt.format_moment(None) == "–"
    assert timefmt.iso_local(None) is None
    assert timefmt.table_cell(None) == ""


def test_company_zone_comes_from_the_settings_and_follows_changes(app) -> None:
    company_settings().timezone = "Asia/Vladivostok"
    timefmt.forget_company_zone()
    assert timefmt.company_zone() == VLADIVOSTOK
    assert timefmt.iso_local(LATE_UTC) == "2026-03-01T03:37:41+10:00"
    company_settings().timezone = "Europe/Berlin"
    timefmt.forget_company_zone()
    assert timefmt.iso_local(LATE_UTC) == "2026-02-28T18:37:41+01:00"


def test_template_filters_use_the_company_zone_and_reader_language(app) -> None:
    company_settings().timezone = "Asia/Vladivostok"
    user = factories.make_user(role="reviewer", language="ru")
    db.session.commit()
    page = "{{ t|moment }} | {{ t|day }} | {{ none|moment }}"
    with app.test_request_context():
        app.preprocess_request()
        login_user(user)
        assert render_template_string(page, t=LATE_UTC) == (
            "1 мар. 2026\u202fг., 03:37 | 1 мар. 2026\u202fг. | –"
        )


def test_date_filters_are_company_days(app) -> None:
    company_settings().timezone = "Asia/Vladivostok"
    template = factories.make_scorecard()
    call = factories.make_call(called_at=LATE_UTC)
    db.session.add(Review(call=call, scorecard_version=template.versions[0], score=90.0,
                          created_at=LATE_UTC))
    db.session.flush()
    for day, found in ((date(2026, 3, 1), 1), (date(2026, 2, 28), 0)):
        calls = listing.list_calls(1, 10, listing.CallFilters(date_from=day, date_to=day))
        reviews = review_service.list_reviews(
            review_service.ReviewFilters(date_from=day, date_to=day), 1, 10)
        assert (calls.total, reviews.total) == (found, found), day
