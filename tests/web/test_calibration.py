"""Calibration: blind scoring, closing, and the agreement report checked against hand computation.

factories.SCORECARD: greet (yes/no, weight 1), needs (0..4, weight 2), price (yes/no, weight 3,
critical). Three reviewers score two calls:

            greet  needs  price   score
    C1  R1  yes    4      yes     (1 + 2 + 3) / 6             = 100
        R2  yes    2      yes     (1 + 1 + 3) / 6             = 83.33
        R3  no     4      yes     (0 + 2 + 3) / 6             = 83.33
    C2  R1  yes    3      no      critical failed             = 0
        R2  na     3      yes     (1.5 + 3) / 5               = 90
        R3  yes    3      yes     (1 + 1.5 + 3) / 6           = 91.67
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import CalibrationSession, Review
from qa.services.quality import calibration
from qa.services.quality.subjects import subject_for_call
from tests.web import factories

ANSWERS = {
    # (rater, call): (greet, needs, price)
    (0, 0): ("yes", "4", "yes"),
    (1, 0): ("yes", "2", "yes"),
    (2, 0): ("no", "4", "yes"),
    (0, 1): ("yes", "3", "no"),
    (1, 1): ("na", "3", "yes"),
    (2, 1): ("yes", "3", "yes"),
}


@pytest.fixture
def setup(app):  # type: ignore[no-untyped-def]
    template = factories.make_scorecard(name="Калибровка")
    raters = [factories.make_user(name=name) for name in ("Рита", "Саша", "Тимур")]
    outsider = factories.make_user(name="Посторонний")
    calls = [factories.make_call(status="transcribed", title=f"Звонок {i}") for i in (1, 2)]
    db.session.commit()
    return template, raters, calls, outsider


def _create(client, template, raters, calls, consensus="median"):  # type: ignore[no-untyped-def]
    return client.post(
        "/calibration/new",
        data={"name": "Март", "template": str(template.id), "consensus": consensus,
              "calls": [str(c.id) for c in calls], "participants": [str(r.id) for r in raters]},
    )


def _score(client, session, call, answers):  # type: ignore[no-untyped-def]
    greet, needs, price = answers
    return client.post(
        f"/calibration/{session.id}/subjects/{call.review_subject.id}",
        data={"scorecard_version_id": str(session.scorecard_version_id), "answer-greet": greet,
              "answer-needs": needs, "answer-price": price},
    )


def test_lead_creates_a_session_with_validation(client, login, setup) -> None:
    template, raters, calls, _outsider = setup
    login.as_role("qa_lead")
    form = client.get("/calibration/new").get_data(as_text=True)
    assert "Звонок 1" in form
    assert "Рита" in form
    too_few = _create(client, template, raters[:1], calls)
    assert too_few.status_code == 400
    assert "Choose at least two active reviewers." in too_few.get_data(as_text=True)
    no_calls = _create(client, template, raters, [])
    assert "Choose between 1 and 50 calls." in no_calls.get_data(as_text=True)
    response = _create(client, template, raters, calls)
    assert response.status_code == 302
    session = db.session.scalar(select(CalibrationSession))
    assert [u.name for u in session.participants] == ["Рита", "Саша", "Тимур"]
    assert [s.call_id for s in session.subjects] == [c.id for c in calls]
    assert session.scorecard_version_id == template.current.id
    login.logout()
    login.as_role("reviewer")
    assert client.get("/calibration/new").status_code == 403


def _session(template, raters, calls, consensus="median") -> CalibrationSession:  # type: ignore[no-untyped-def]
    session = calibration.create_session(
        name="Март", template_id=template.id, call_ids=[c.id for c in calls],
        participant_ids=[r.id for r in raters], consensus=consensus, user=raters[0],
    )
    db.session.commit()
    return session


def test_scoring_is_blind_until_the_session_closes(client, login, setup) -> None:
    template, raters, calls, outsider = setup
    session = _session(template, raters, calls)
    login.as_user(raters[0].email)
    assert _score(client, session, calls[0], ("no", "1", "yes")).status_code == 302
    login.logout()

    login.as_user(raters[1].email)
    page = client.get(f"/calibration/{session.id}").get_data(as_text=True)
    assert "✓" in page
    assert "100%" not in page
    first_item = f"/calibration/{session.id}/subjects/{calls[0].review_subject.id}"
    form = client.get(first_item).get_data(as_text=True)
    # the other rater's "no" and "1" are not pre-selected on my form
    assert "checked" not in form
    report = client.get(f"/calibration/{session.id}/report")
    assert report.status_code == 302
    # calibration answers stay out of the reviews list and the review pages
    hidden = db.session.scalar(select(Review))
    assert client.get(f"/reviews/{hidden.id}").status_code == 404
    assert "Звонок 1" not in client.get("/reviews/").get_data(as_text=True)
    login.logout()

    login.as_user(outsider.email)
    assert client.get(f"/calibration/{session.id}").status_code == 403
    assert client.get(first_item).status_code == 403
    assert "Март" not in client.get("/calibration/").get_data(as_text=True)
    login.logout()

    login.as_user(raters[0].email)
    # changing my own answers while open works; a call outside the session does not
    mine = client.get(first_item).get_data(as_text=True)
    assert 'name="version" value="1"' in mine
    other = subject_for_call(factories.make_call())
    db.session.commit()
    assert client.get(f"/calibration/{session.id}/subjects/{other.id}").status_code == 404


def _fill(client, login, session, raters, calls) -> None:  # type: ignore[no-untyped-def]
    for (rater, call), answers in ANSWERS.items():
        login.as_user(raters[rater].email)
        assert _score(client, session, calls[call], answers).status_code == 302
        login.logout()


def test_report_matches_hand_computation(client, login, setup) -> None:
    template, raters, calls, _outsider = setup
    session = _session(template, raters, calls)
    _fill(client, login, session, raters, calls)
    lead = login.as_role("qa_lead")
    assert client.post(f"/calibration/{session.id}/close").status_code == 302
    db.session.refresh(session)
    assert not session.is_open
    assert lead.id

    report = calibration.build_report(session)
    items = {row.item.key: row for row in report.items}
    # percent agreement: agreeing pairs / pairs per call, pooled over calls
    #   greet  C1 [yes yes no] 1/3, C2 [yes na yes] 1/3  -> 2/6
    #   needs  C1 [4 2 4] 1/3,      C2 [3 3 3] 3/3       -> 4/6
    #   price  C1 [yes yes yes] 3/3, C2 [no yes yes] 1/3 -> 4/6
    assert items["greet"].percent == pytest.approx(2 / 6)
    assert items["needs"].percent == pytest.approx(4 / 6)
    assert items["price"].percent == pytest.approx(4 / 6)
    assert report.overall_percent == pytest.approx(10 / 18)
    # Krippendorff's alpha from the coincidence matrices (n = 6 pairable values per item):
    #   greet nominal: o(yes,no)=o(no,yes)=o(yes,na)=o(na,yes)=1, o(yes,yes)=2;
    #     D_o = 4/6, D_e = 2*(4*1 + 4*1 + 1*1)/30 = 0.6, alpha = 1 - (4/6)/0.6 = -1/9
    #   price nominal: o(yes,no)=o(no,yes)=1; D_o = 2/6, D_e = 2*5*1/30 = 1/3, alpha = 0
    #   needs ordinal: n2=1, n3=3, n4=2; delta(2,3)=4, delta(3,4)=6.25, delta(2,4)=20.25;
    #     D_o = 2*20.25/2/6 = 6.75, D_e = 2*(3*4 + 6*6.25 + 2*20.25)/30 = 6, alpha = -0.125
    assert items["greet"].alpha == pytest.approx(-1 / 9)
    assert items["price"].alpha == pytest.approx(0.0, abs=1e-12)
    assert items["needs"].alpha == pytest.approx(-0.125)
    # overall alpha, interval metric on the six scores
    scores = [[100, 500 / 6, 500 / 6], [0, 90, 550 / 6]]
    values = [v for unit in scores for v in unit]
    d_o = sum((a - b) ** 2 for unit in scores for a in unit for b in unit) / 2 / 6
    d_e = sum((a - b) ** 2 for a in values for b in values) / 30
    assert report.overall_alpha == pytest.approx(1 - d_o / d_e)
    # consensus = median per call; deviation = score - consensus
    c1, c2 = calls
    assert report.consensus == {
        c1.review_subject.id: pytest.approx(500 / 6), c2.review_subject.id: pytest.approx(90.0)
    }
    deviations = {row.reviewer.name: row for row in report.deviations}
    # Рита: +16.67 on C1, -90 on C2
    assert deviations["Рита"].mean == pytest.approx((100 - 500 / 6 - 90) / 2)
    assert deviations["Рита"].mean_absolute == pytest.approx((100 - 500 / 6 + 90) / 2)
    assert deviations["Саша"].mean == pytest.approx(0.0)
    assert deviations["Тимур"].mean == pytest.approx((550 / 6 - 90) / 2)
    assert deviations["Тимур"].calls_scored == 2

    page = client.get(f"/calibration/{session.id}/report").get_data(as_text=True)
    assert 'data-overall-agreement>56%' in page
    assert '<td class="text-end">-0.11</td>' in page
    assert '<td class="text-end">-0.12</td>' in page
    rita_row = page.split(f'data-reviewer="{raters[0].id}"')[1].split("</tr>")[0]
    assert "-36.7" in rita_row
    assert "stricter" in rita_row
    # participants see the report too once closed
    login.logout()
    login.as_user(raters[1].email)
    assert client.get(f"/calibration/{session.id}/report").status_code == 200


def test_mean_consensus(app, setup) -> None:
    template, raters, calls, _outsider = setup
    session = _session(template, raters, calls, consensus="mean")
    for (rater, call), (greet, needs, price) in ANSWERS.items():
        from qa.services.quality import reviews

        reviews.save_review(
            calls[call].review_subject, session.scorecard_version, raters[rater],
            values={"greet": greet, "needs": needs, "price": price}, comments={}, comment=None,
            calibration_session_id=session.id,
        )
    calibration.close_session(session)
    report = calibration.build_report(session)
    # C1 mean (100 + 83.33 + 83.33) / 3 = 88.89; C2 mean (0 + 90 + 91.67) / 3 = 60.56
    assert report.consensus[calls[0].review_subject.id] == pytest.approx((100 + 1000 / 6) / 3)
    assert report.consensus[calls[1].review_subject.id] == pytest.approx((90 + 550 / 6) / 3)


def test_closing_rules(client, login, setup) -> None:
    template, raters, calls, _outsider = setup
    session = _session(template, raters, calls)
    login.as_role("qa_lead")
    client.post(f"/calibration/{session.id}/close")
    db.session.refresh(session)
    assert session.is_open  # nobody scored yet
    assert "Nobody has scored a call yet" in client.get(f"/calibration/{session.id}").get_data(
        as_text=True
    )
    login.logout()
    login.as_user(raters[0].email)
    _score(client, session, calls[0], ("yes", "4", "yes"))
    assert client.post(f"/calibration/{session.id}/close").status_code == 403
    login.logout()
    login.as_role("admin")
    client.post(f"/calibration/{session.id}/close")
    db.session.refresh(session)
    assert not session.is_open
    login.logout()
    # after closing, answers can no longer change
    login.as_user(raters[0].email)
    response = client.get(f"/calibration/{session.id}/subjects/{calls[0].review_subject.id}")
    assert response.status_code == 302
    assert "This session is closed" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_identical_answers_give_full_agreement_and_no_alpha(app, setup) -> None:
    template, raters, calls, _outsider = setup
    session = _session(template, raters[:2], calls[:1])
    from qa.services.quality import reviews

    for rater in raters[:2]:
        reviews.save_review(
            calls[0].review_subject, session.scorecard_version, rater,
            values={"greet": "yes", "needs": "4", "price": "yes"}, comments={}, comment=None,
            calibration_session_id=session.id,
        )
    calibration.close_session(session)
    report = calibration.build_report(session)
    assert report.overall_percent == 1.0
    assert all(row.alpha is None for row in report.items)
    assert report.overall_alpha is None


def _answers_shown(page: str, item: str) -> list[str]:
    """The "name: answer" pairs the report shows in an item's row, in order."""
    import re

    row = page.split(f'data-item="{item}"')[1].split("</tr>")[0]
    return [
        f"{name} {value}"
        for name, value in re.findall(
            r'<span class="text-muted">([^<]+):</span> <span class="badge[^"]*">([^<]+)</span>', row
        )
    ]


def test_report_names_who_gave_each_answer_only_once_closed(client, login, setup) -> None:
    template, raters, calls, _outsider = setup
    session = _session(template, raters, calls)
    _fill(client, login, session, raters, calls)
    login.as_user(raters[1].email)
    # Open: no report, and the session page shows who finished but not what anyone answered.
    assert client.get(f"/calibration/{session.id}/report").status_code == 302
    page = client.get(f"/calibration/{session.id}").get_data(as_text=True)
    assert "calibration-answer" not in page
    assert "Рита:" not in page
    login.logout()

    login.as_role("qa_lead")
    client.post(f"/calibration/{session.id}/close")
    login.logout()
    login.as_user(raters[1].email)
    page = client.get(f"/calibration/{session.id}/report").get_data(as_text=True)
    # Each call's column lists every reviewer's answer under their name (C1 then C2).
    assert _answers_shown(page, "greet") == [
        "Рита Yes", "Саша Yes", "Тимур No", "Рита Yes", "Саша N/A", "Тимур Yes"
    ]
    assert _answers_shown(page, "needs") == [
        "Рита 4", "Саша 2", "Тимур 4", "Рита 3", "Саша 3", "Тимур 3"
    ]
