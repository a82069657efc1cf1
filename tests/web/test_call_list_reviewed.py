"""The calls list's "reviewed" figures: which calls count as reviewed, whichever way asked.

A call is reviewed when it has a regular review (not a calibration answer, not a kept double
submit). The list's badge count, the per-row mark and the reviewed filter must agree with that
rule and with each other.
"""

from __future__ import annotations

import pytest

from qa.extensions import db
from qa.models import CalibrationSession, Review, ReviewSubject
from qa.services.calls import listing
from tests.web import factories


@pytest.fixture
def calls_by_review():  # type: ignore[no-untyped-def]
    """Calls named by how they were reviewed; returns {name: call id}."""
    template = factories.make_scorecard(name="Входящие")
    version = template.current
    reviewer = factories.make_user(role="reviewer", email="r1@example.com")
    other = factories.make_user(role="reviewer", email="r2@example.com")
    session = CalibrationSession(name="Calibration", scorecard_version=version)
    db.session.add(session)
    calls = {
        name: factories.make_call(status="transcribed", title=name)
        for name in (
            "regular",
            "two regular",
            "calibration only",
            "duplicate only",
            "mixed",
            "none",
        )
    }
    db.session.flush()

    def review(name: str, user, **extra) -> None:  # type: ignore[no-untyped-def]
        subject = ReviewSubject.for_call(calls[name])
        db.session.add(
            Review(
                subject=subject,
                scorecard_version=version,
                reviewer_id=user.id,
                score=80.0,
                answers={},
                **extra,
            )
        )
        db.session.flush()

    review("regular", reviewer)
    review("two regular", reviewer)
    review("two regular", other)
    review("calibration only", reviewer, calibration_session_id=session.id)
    review("duplicate only", reviewer, status="duplicate")
    review("mixed", reviewer, status="duplicate")
    review("mixed", other)
    review("mixed", reviewer, calibration_session_id=session.id)
    db.session.commit()
    return {name: call.id for name, call in calls.items()}


REVIEWED = {"regular", "two regular", "mixed"}


def test_reviewed_calls_follow_the_regular_review_rule(app, calls_by_review) -> None:
    ids = calls_by_review
    expected = {ids[name] for name in REVIEWED}
    assert listing.reviewed_call_ids(list(ids.values())) == expected
    assert listing.reviewed_call_ids([ids["none"], ids["calibration only"]]) == set()
    assert listing.reviewed_call_ids([]) == set()
    assert listing.count_calls(listing.CallFilters()).reviewed == len(REVIEWED)


def test_the_reviewed_filter_agrees_with_the_marks(app, calls_by_review) -> None:
    ids = calls_by_review
    shown = {c.id for c in listing.list_calls(1, 50, listing.CallFilters(reviewed=True)).items}
    hidden = {c.id for c in listing.list_calls(1, 50, listing.CallFilters(reviewed=False)).items}
    assert shown == {ids[name] for name in REVIEWED}
    assert hidden == set(ids.values()) - shown
    counts = listing.count_calls(listing.CallFilters(reviewed=True))
    assert (counts.total, counts.reviewed) == (len(REVIEWED), len(REVIEWED))
    assert listing.count_calls(listing.CallFilters(reviewed=False)).reviewed == 0


def test_the_calls_page_marks_and_counts_the_reviewed_calls(client, login, calls_by_review) -> None:
    login.as_role("reviewer")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/calls/").get_data(as_text=True)
    assert page.count('<span class="badge text-bg-success">Reviewed</span>') == len(REVIEWED)
    assert f"Reviewed: {len(REVIEWED)}</a>" in page
    only = client.get("/calls/?reviewed=yes").get_data(as_text=True)
    for name, call_id in calls_by_review.items():
        assert (f'href="/calls/{call_id}"' in only) == (name in REVIEWED), name


def test_unfiltered_counts_equal_those_of_a_filter_every_call_passes(app, calls_by_review) -> None:
    """Without filters the counts skip the list of call ids; they must not change for it."""
    from datetime import date

    from qa.models import Call

    ids = calls_by_review
    for name, label in (("regular", "price"), ("regular", "price"), ("none", "assortment")):
        factories.make_finding(db.session.get(Call, ids[name]), label=label)
    factories.make_call(status="failed", title="not reviewed, not flagged")
    db.session.commit()
    unfiltered = listing.count_calls(listing.CallFilters())
    every_call = listing.count_calls(listing.CallFilters(date_from=date(2000, 1, 1)))
    assert unfiltered == every_call
    assert unfiltered.total == len(ids) + 1
    assert unfiltered.flagged == {"price": 1, "assortment": 1}
    assert unfiltered.reviewed == len(REVIEWED)
    assert listing.count_calls(listing.CallFilters(status="failed")).total == 1
