"""Reviews: scoring a call, arithmetic with N/A and critical items, edits, conflicts, the list."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import render_template_string
from sqlalchemy import select, text

from qa.extensions import db
from qa.models import Review, ReviewRevision
from qa.services.quality import reviews as review_service
from qa.services.quality.subjects import subject_for_call
from tests.web import factories

# factories.SCORECARD: greet (yes/no, weight 1), needs (0..4, weight 2), price (yes/no, weight 3,
# critical, suggestions from price findings).


@pytest.fixture
def scored_call():  # type: ignore[no-untyped-def]
    """A transcribed call with a customer price objection at 2:14 and an active scorecard."""
    template = factories.make_scorecard(name="Входящие")
    agent = factories.make_agent(name="Ольга")
    call = factories.make_call(status="transcribed", agent=agent, title="Звонок 1")
    segment = factories.make_segment(
        call, speaker="customer", start=134.0, end=137.0, text="Ну это дороговато для нас."
    )
    factories.make_finding(call, segment_id=segment.id, time_start=134.2, text="дороговато")
    factories.make_finding(call, time_start=200.0, text="дорого")
    db.session.commit()
    return call, template


def _answers(**values: str) -> dict[str, str]:
    data = {"greet": "yes", "needs": "3", "price": "yes"}
    data.update(values)
    return {f"answer-{key}": value for key, value in data.items()}


def _submit(client, call, template, **extra):  # type: ignore[no-untyped-def]
    data = {"scorecard_version_id": str(template.current.id), **extra}
    return client.post(f"/reviews/call/{call.id}", data=data)


def test_score_page_shows_items_guidance_and_suggestions(client, login, scored_call) -> None:
    call, _template = scored_call
    login.as_role("reviewer")
    page = client.get(f"/reviews/call/{call.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Handles the price objection" in html
    assert 'name="answer-needs"' in html
    assert 'value="4"' in html
    assert 'value="na"' in html
    assert "Customer raised a price objection at 02:14: «дороговато» (1 more in this call)" in html
    assert "Ну это дороговато для нас." in html


def test_suggestions_only_for_items_that_ask_and_say_when_nothing_was_found(app) -> None:
    template = factories.make_scorecard()
    call = factories.make_call(status="transcribed")
    factories.make_segment(call, speaker="customer", text="Хорошо, беру.")
    factories.make_finding(call, label="assortment", time_start=3725.0, speaker_unknown=True)
    untranscribed = factories.make_call()
    db.session.commit()
    assert review_service.suggestions_for(call, template.current) == {
        "price": "No price objection was found in the transcript."
    }
    assert review_service.suggestions_for(untranscribed, template.current) == {}
    definition = {"sections": [{"title": "S", "items": [
        {"key": "range", "text": "Offers an alternative", "type": "yes_no",
         "suggest_from": "assortment"}]}]}
    other = factories.make_scorecard(definition)
    assert review_service.suggestions_for(call, other.current) == {
        "range": "An assortment objection was found at 1:02:05 (speaker unknown): «дороговато»"
    }


def test_submit_review_computes_weighted_score(client, login, scored_call) -> None:
    call, template = scored_call
    reviewer = login.as_role("reviewer")
    response = _submit(
        client, call, template, **_answers(), **{"comment-needs": "Спросил про бюджет"},
        comment="Хороший звонок",
    )
    assert response.status_code == 302
    review = db.session.scalar(select(Review))
    assert response.headers["Location"] == f"/reviews/{review.id}"
    # greet 1 + needs 2*3/4 + price 3 = 5.5 of 6
    assert review.score == pytest.approx(5.5 / 6 * 100)
    assert review.failed_critical is False
    assert review.reviewer_id == reviewer.id
    assert review.answers == {
        "greet": {"value": "yes"},
        "needs": {"value": 3, "comment": "Спросил про бюджет"},
        "price": {"value": "yes"},
    }
    assert review.comment == "Хороший звонок"
    assert [r.score for r in review.revisions] == [review.score]
    detail = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "92%" in detail
    assert "Спросил про бюджет" in detail
    assert "Хороший звонок" in detail
    assert "1.5 / 2" in detail


def test_na_drops_items_and_failed_critical_zeroes(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    # greet N/A: (2*2/4 + 3) / (2 + 3) = 80%
    _submit(client, call, template, **_answers(greet="na", needs="2"))
    first = db.session.scalar(select(Review).order_by(Review.id.desc()))
    assert first.score == pytest.approx(80.0)

    login.logout()
    login.as_role("qa_lead")
    response = _submit(client, call, template, **_answers(price="no", needs="4"))
    assert response.status_code == 302
    second = db.session.scalar(select(Review).order_by(Review.id.desc()))
    assert (second.score, second.failed_critical) == (0.0, True)
    page = client.get(f"/reviews/{second.id}").get_data(as_text=True)
    assert "Critical item failed" in page

    login.logout()
    login.as_role("reviewer")
    response = _submit(client, call, template, **_answers(greet="na", needs="na", price="na"))
    assert response.status_code == 302
    third = db.session.scalar(select(Review).order_by(Review.id.desc()))
    assert third.score is None
    assert "there is no score" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_incomplete_or_invalid_answers_are_refused_and_kept(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    data = _answers(needs="9")
    del data["answer-greet"]
    response = _submit(client, call, template, **data, **{"comment-price": "мой комментарий"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Greets the customer: choose an answer" in html
    assert "Finds out needs: choose a value from 0 to 4 or N/A" in html
    # what the reviewer entered is still on the page
    assert 'id="answer-price-yes"\n                 value="yes" autocomplete="off" checked' in html
    assert "мой комментарий" in html
    assert db.session.scalars(select(Review)).all() == []
    unknown = client.post(f"/reviews/call/{call.id}", data={"scorecard_version_id": "999"})
    assert unknown.status_code == 404


def _edit(client, call, review, version, **values):  # type: ignore[no-untyped-def]
    data = {
        "scorecard_version_id": str(review.scorecard_version_id),
        "review_id": str(review.id),
        "version": str(version),
        **_answers(**values),
    }
    return client.post(f"/reviews/call/{call.id}", data=data)


def test_edit_later_keeps_revisions_with_what_changed(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    _submit(client, call, template, **_answers())
    review = db.session.scalar(select(Review))
    edit_page = client.get(f"/reviews/call/{call.id}").get_data(as_text=True)
    assert f'name="review_id" value="{review.id}"' in edit_page
    assert 'name="version" value="1"' in edit_page

    login.logout()
    lead = login.as_role("qa_lead")
    response = _edit(client, call, review, 1, greet="no")
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.version == 2
    # greet 0 + needs 1.5 + price 3 = 4.5 of 6
    assert review.score == pytest.approx(75.0)
    revisions = db.session.scalars(select(ReviewRevision).order_by(ReviewRevision.id)).all()
    assert [r.user_id for r in revisions][-1] == lead.id
    assert len(revisions) == 2
    history = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Greets the customer: Yes → No" in history
    assert "Score: 92% → 75%" in history


def test_concurrent_edit_gets_a_conflict_and_loses_nothing(client, login, scored_call) -> None:
    call, template = scored_call
    first = login.as_role("reviewer")
    _submit(client, call, template, **_answers())
    review = db.session.scalar(select(Review))

    # a second reviewer saves while the first still has version 1 open
    login.logout()
    second = login.as_role("reviewer")
    assert _edit(client, call, review, 1, needs="4").status_code == 302

    login.logout()
    login.as_user(first.email)
    response = _edit(client, call, review, 1, greet="no")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f"{second.name} saved this review" in html
    # the stale answer is shown, with what is saved now beside it, and the new version to retry
    assert 'id="answer-greet-no"\n                 value="no" autocomplete="off" checked' in html
    assert "Saved now" in html
    assert 'name="version" value="2"' in html
    db.session.refresh(review)
    assert review.answers["greet"]["value"] == "yes"
    assert review.answers["needs"]["value"] == 4
    assert len(review.revisions) == 2

    retry = _edit(client, call, review, 2, greet="no")
    assert retry.status_code == 302
    db.session.refresh(review)
    assert (review.version, review.answers["greet"]["value"]) == (3, "no")


def test_write_race_is_caught_by_the_version_column(app, scored_call) -> None:
    call, template = scored_call
    user = factories.make_user()
    review = review_service.save_review(
        subject_for_call(call), template.current, user,
        values={"greet": "yes", "needs": 1, "price": "yes"}, comments={}, comment=None,
    )
    db.session.commit()
    loaded_version = review.version
    # another process commits between our read and our write
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE reviews SET version = version + 1 WHERE id = :id"),
                     {"id": review.id})
    with pytest.raises(review_service.ReviewConflict, match="Someone else saved this review"):
        review_service.save_review(
            subject_for_call(call), template.current, user,
            values={"greet": "no", "needs": 1, "price": "yes"},
            comments={}, comment=None, review=review, expected_version=loaded_version,
        )
    db.session.rollback()
    db.session.refresh(review)
    assert review.answers["greet"]["value"] == "yes"


def test_reviews_list_filters(client, login) -> None:
    template = factories.make_scorecard()
    anna = factories.make_user(name="Анна")
    boris = factories.make_user(name="Борис")
    agent_a, agent_b = factories.make_agent(name="Агент А"), factories.make_agent(name="Агент Б")

    def review(reviewer, agent, score, day):  # type: ignore[no-untyped-def]
        call = factories.make_call(status="transcribed", agent=agent, title=f"call-{score}")
        row = Review(call=call, scorecard_version=template.current, reviewer_id=reviewer.id,
                     score=score, created_at=datetime(2026, 3, day, 12, 0))
        db.session.add(row)
        return row

    review(anna, agent_a, 90.0, 2)
    review(anna, agent_b, 40.0, 10)
    review(boris, agent_a, 70.0, 20)
    db.session.commit()
    login.as_role("qa_lead")

    def titles(query: str) -> list[str]:
        html = client.get(f"/reviews/?{query}").get_data(as_text=True)
        return [t for t in ("call-90", "call-40", "call-70") if t in html]

    assert titles("") == ["call-90", "call-40", "call-70"]
    assert titles(f"reviewer={anna.id}") == ["call-90", "call-40"]
    assert titles(f"agent={agent_a.id}") == ["call-90", "call-70"]
    assert titles("date_from=2026-03-05&date_to=2026-03-10") == ["call-40"]
    assert titles("score_min=60&score_max=80") == ["call-70"]
    assert titles(f"reviewer={anna.id}&score_min=50") == ["call-90"]
    # an out-of-range filter is flagged on the field and not applied
    bad = client.get("/reviews/?score_min=150").get_data(as_text=True)
    assert 'is-invalid" id="score_min" name="score_min" type="text" value="150"' in bad
    assert all(t in bad for t in ("call-90", "call-40", "call-70"))


def test_roles_and_calibration_reviews_stay_private(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("marketing")
    assert client.get(f"/reviews/call/{call.id}").status_code == 403
    assert client.get("/reviews/").status_code == 403
    login.logout()
    user = factories.make_user()
    from qa.models import CalibrationSession

    session = CalibrationSession(
        name="S", scorecard_version=template.current, created_by_id=user.id
    )
    db.session.add(session)
    db.session.flush()
    hidden = Review(call=call, scorecard_version=template.current, reviewer_id=user.id,
                    score=10.0, calibration_session_id=session.id)
    db.session.add(hidden)
    db.session.commit()
    login.as_role("reviewer")
    assert client.get(f"/reviews/{hidden.id}").status_code == 404
    assert "Звонок 1" not in client.get("/reviews/").get_data(as_text=True)
    assert client.get(f"/reviews/call/{call.id}?review={hidden.id}").status_code == 404


def test_next_is_followed_only_within_the_site(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    ok = _submit(client, call, template, **_answers(), next=f"/calls/{call.id}")
    assert ok.headers["Location"] == f"/calls/{call.id}"
    evil = _submit(client, call, template, **_answers(), next="//evil.example/x")
    assert evil.headers["Location"].startswith("/reviews/")


def test_partial_renders_from_the_call_page_context(app, scored_call) -> None:
    call, _template = scored_call
    user = factories.make_user()
    db.session.commit()
    context = review_service.scorecard_form_context(call, user)
    assert set(context) >= {"call", "scorecard_version", "review", "suggestions"}
    with app.test_request_context(), app.test_client() as client:
        client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        from flask_login import login_user

        login_user(user)
        html = render_template_string(
            '{% include "reviews/_scorecard_form.html" %}', scorecard=context, call=call
        )
    assert f'action="/reviews/call/{call.id}"' in html
    assert "Customer raised a price objection at 02:14" in html
