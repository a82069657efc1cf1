"""Review subjects: made lazily for calls, following the call's agent and time; one regular
review per reviewer and subject (a double submit shows the stored review); hostile review input
refused with the stored review intact; who may score."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import url_for
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import Review, ReviewRevision, ReviewSubject
from qa.services.quality import calibration
from qa.services.quality import reviews as review_service
from qa.services.quality.subjects import describe, subject_for_call
from tests.web import factories


@pytest.fixture
def scored_call():  # type: ignore[no-untyped-def]
    template = factories.make_scorecard(name="Входящие")
    agent = factories.make_agent(name="Ольга")
    call = factories.make_call(status="transcribed", agent=agent, title="Звонок 1",
                               called_at=datetime(2026, 11, 2, 10, 0))
    db.session.commit()
    return call, template


def _form(template, **answers: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    values = {"greet": "yes", "needs": "3", "price": "yes", **answers}
    return {"scorecard_version_id": str(template.current.id),
            **{f"answer-{key}": value for key, value in values.items()}}


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_call_gets_its_subject_when_first_reviewed(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    assert client.get(f"/reviews/call/{call.id}").status_code == 200
    assert _count(ReviewSubject) == 0  # looking does not create it
    assert client.post(f"/reviews/call/{call.id}", data=_form(template)).status_code == 302
    subject = db.session.scalar(select(ReviewSubject))
    assert (subject.kind, subject.call_id, subject.agent_id, subject.occurred_at) == (
        "call", call.id, call.agent_id, datetime(2026, 11, 2, 10, 0)
    )
    assert db.session.scalar(select(Review)).subject_id == subject.id
    assert subject_for_call(call) is subject  # the same one every time


def test_the_subject_follows_its_calls_agent_and_time(app, scored_call) -> None:
    call, _template = scored_call
    subject = subject_for_call(call)
    db.session.commit()
    other = factories.make_agent(name="Пётр")
    call.agent_id = other.id
    call.called_at = datetime(2026, 11, 9, 8, 0)
    db.session.commit()
    db.session.refresh(subject)
    assert (subject.agent_id, subject.occurred_at) == (other.id, datetime(2026, 11, 9, 8, 0))
    call.agent = None
    db.session.commit()
    db.session.refresh(subject)
    assert subject.agent_id is None


def test_registry_describes_a_call_subject(app, scored_call) -> None:
    call, _template = scored_call
    view = describe(subject_for_call(call))
    assert (view.title, view.agent.name) == ("Звонок 1", "Ольга")
    with app.test_request_context():
        assert url_for(view.endpoint, **view.endpoint_args) == f"/calls/{call.id}"
        assert url_for(view.score_endpoint, **view.score_args) == f"/reviews/call/{call.id}"


def test_double_submit_stores_one_review_and_shows_it(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    first = client.post(f"/reviews/call/{call.id}", data=_form(template))
    review = db.session.scalar(select(Review))
    assert first.headers["Location"] == f"/reviews/{review.id}"
    # the second click carries no review id: it would have been a second review
    second = client.post(f"/reviews/call/{call.id}", data=_form(template, greet="no"))
    assert second.status_code == 303
    assert second.headers["Location"] == f"/reviews/{review.id}"
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "You had already saved a review of this; it is shown here." in page
    assert (_count(Review), _count(ReviewRevision)) == (1, 1)
    db.session.refresh(review)
    assert (review.answers["greet"]["value"], review.version) == ("yes", 1)


def test_the_database_refuses_a_second_regular_review(app, scored_call) -> None:
    call, template = scored_call
    reviewer = factories.make_user()
    subject = subject_for_call(call)
    version = template.current

    def review(**fields):  # type: ignore[no-untyped-def]
        return Review(subject=subject, scorecard_version=version, reviewer_id=reviewer.id,
                      answers={}, **fields)

    db.session.add(review())
    db.session.commit()
    # a calibration answer and a kept duplicate are not the reviewer's regular review
    session = calibration.create_session(
        name="Март", template_id=template.id, call_ids=[call.id],
        participant_ids=[reviewer.id, factories.make_user().id], consensus="median",
        user=reviewer,
    )
    db.session.add_all([review(calibration_session_id=session.id), review(status="duplicate")])
    db.session.commit()
    db.session.add(review())
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(review(calibration_session_id=session.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _count(Review) == 3


def test_double_submit_in_calibration_keeps_one_answer_set(client, login, scored_call) -> None:
    call, template = scored_call
    raters = [factories.make_user(), factories.make_user()]
    session = calibration.create_session(
        name="Март", template_id=template.id, call_ids=[call.id],
        participant_ids=[r.id for r in raters], consensus="median", user=raters[0],
    )
    db.session.commit()
    login.as_user(raters[0].email)
    url = f"/calibration/{session.id}/subjects/{call.review_subject.id}"
    assert client.post(url, data=_form(template)).status_code == 302
    again = client.post(url, data=_form(template, greet="no"))
    assert again.status_code == 303
    assert again.headers["Location"] == f"/calibration/{session.id}"
    assert "You had already saved a review" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )
    [stored] = db.session.scalars(select(Review)).all()
    assert stored.answers["greet"]["value"] == "yes"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comment", "Хорошо\x00", "Overall comment: contains control characters."),
        ("comment", "x" * 5001, "Overall comment: at most 5000 characters."),
        ("comment-greet", "ok\x00", "Greets the customer: contains control characters."),
        ("comment-greet", "x" * 2001, "Greets the customer: at most 2000 characters."),
        ("answer-needs", "NaN", "Finds out needs: choose a value from 0 to 4 or N/A"),
        ("answer-needs", "Infinity", "Finds out needs: choose a value from 0 to 4 or N/A"),
        ("answer-needs", "1e308", "Finds out needs: choose a value from 0 to 4 or N/A"),
        ("answer-greet", "yes\x00", "Greets the customer: answer yes, no or N/A"),
    ],
)
def test_hostile_review_input_is_refused_and_the_stored_review_kept(
    client, login, scored_call, field: str, value: str, message: str
) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    # a new review: nothing is stored
    refused = client.post(f"/reviews/call/{call.id}", data={**_form(template), field: value})
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert _count(Review) == 0
    # an edit: the stored review does not change
    client.post(f"/reviews/call/{call.id}", data={**_form(template), "comment": "Хорошо"})
    review = db.session.scalar(select(Review))
    edit = {**_form(template), "review_id": str(review.id), "version": "1", field: value}
    response = client.post(f"/reviews/call/{call.id}", data=edit)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(review)
    assert (review.version, review.comment, review.answers["needs"]["value"]) == (1, "Хорошо", 3)
    assert _count(ReviewRevision) == 1


@pytest.mark.parametrize(("role", "allowed"), [("reviewer", True), ("qa_lead", True),
                                               ("marketing", False)])
def test_who_may_score_a_call(client, login, scored_call, role: str, allowed: bool) -> None:
    call, template = scored_call
    login.as_role(role)
    response = client.post(f"/reviews/call/{call.id}", data=_form(template))
    if allowed:
        assert response.status_code == 302
        assert _count(Review) == 1
    else:
        assert response.status_code == 403
        assert "Your role does not give access to this page." in response.get_data(as_text=True)
        assert (_count(Review), _count(ReviewSubject)) == (0, 0)


def test_hostile_calibration_names_are_refused(client, login, scored_call) -> None:
    call, template = scored_call
    raters = [factories.make_user(), factories.make_user()]
    db.session.commit()
    login.as_role("qa_lead")
    data = {"template": str(template.id), "consensus": "median", "calls": [str(call.id)],
            "participants": [str(r.id) for r in raters]}
    response = client.post("/calibration/new", data={**data, "name": "Март\x00"})
    assert response.status_code == 400
    assert "Name: contains control characters." in response.get_data(as_text=True)
    assert _count(ReviewSubject) == 0
    login.logout()
    login.as_role("reviewer")
    assert client.post("/calibration/new", data={**data, "name": "Март"}).status_code == 403


def test_a_review_stored_by_a_parallel_request_wins_the_race(app, scored_call) -> None:
    """Two clicks as two requests: the second one's check ran before the first one committed."""
    call, template = scored_call
    reviewer = factories.make_user()
    subject = subject_for_call(call)
    db.session.commit()
    values = {"greet": "yes", "needs": "3", "price": "yes"}
    raced = []

    def other_request_commits(conn, cursor, statement, *_args):  # type: ignore[no-untyped-def]
        # Right after this request looked for an existing review (and found none), the
        # parallel request stores its own on another connection.
        if raced or not statement.lstrip().upper().startswith("SELECT REVIEWS."):
            return
        raced.append(True)
        with db.engine.connect() as other:
            other.execute(
                text("INSERT INTO reviews (subject_id, scorecard_version_id, reviewer_id, "
                     "status, answers, failed_critical, version, created_at, updated_at) "
                     "VALUES (:s, :v, :r, 'submitted', '{}', :no, 1, :t, :t)"),
                {"s": subject.id, "v": template.current.id, "r": reviewer.id, "no": False,
                 "t": datetime(2026, 11, 2, 11, 0)},
            )
            other.commit()

    event.listen(db.engine, "after_cursor_execute", other_request_commits)
    try:
        with pytest.raises(review_service.AlreadyReviewed) as caught:
            review_service.save_review(subject, template.current, reviewer, values=values,
                                       comments={}, comment=None)
    finally:
        event.remove(db.engine, "after_cursor_execute", other_request_commits)
    assert raced
    db.session.rollback()
    [stored] = db.session.scalars(select(Review)).all()
    assert caught.value.review.id == stored.id
    assert stored.created_at == datetime(2026, 11, 2, 11, 0)


def test_agent_scores_follow_the_subject(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("reviewer")
    client.post(f"/reviews/call/{call.id}", data=_form(template, needs="0"))
    first_agent = call.agent
    moved_to = factories.make_agent(name="Пётр")
    call.agent = moved_to  # the call was attributed to the wrong agent
    db.session.commit()
    login.logout()
    login.as_role("marketing")  # agents' pages are for everyone who sees calls
    page = client.get(f"/agents/{moved_to.id}").get_data(as_text=True)
    assert "Звонок 1" in page
    assert "Звонок 1" not in client.get(f"/agents/{first_agent.id}").get_data(as_text=True)


def test_messages_are_translated(client, login, scored_call) -> None:
    call, template = scored_call
    login.as_role("qa_lead")
    ru = {"Accept-Language": "ru-RU,ru;q=0.9"}
    client.post(f"/reviews/call/{call.id}", data=_form(template))
    again = client.post(f"/reviews/call/{call.id}", data=_form(template), headers=ru)
    page = client.get(again.headers["Location"], headers=ru).get_data(as_text=True)
    assert "Вы уже сохранили оценку; она показана здесь." in page
    deep = client.post("/scorecards/new", headers=ru,
                       data={"name": "X", "active": "y", "definition": "[" * 50})
    assert deep.status_code == 400
    assert "вложенность глубже 8 уровней." in deep.get_data(as_text=True)


def test_a_kept_duplicate_is_shown_but_not_edited_or_counted(client, login, scored_call) -> None:
    call, template = scored_call
    reviewer = login.as_role("reviewer")
    client.post(f"/reviews/call/{call.id}", data=_form(template))
    # what the migration left of an earlier double submit
    copy = Review(subject=call.review_subject, scorecard_version=template.current,
                  reviewer_id=reviewer.id, answers={"greet": {"value": "no"}}, score=10.0,
                  status="duplicate")
    db.session.add(copy)
    db.session.commit()
    page = client.get(f"/reviews/{copy.id}").get_data(as_text=True)
    assert "earlier copy of a review saved twice" in page
    assert client.get(f"/reviews/call/{call.id}?review={copy.id}").status_code == 404
    edit = {**_form(template), "review_id": str(copy.id), "version": "1"}
    assert client.post(f"/reviews/call/{call.id}", data=edit).status_code == 404
    db.session.refresh(copy)
    assert (copy.status, copy.score, copy.version) == ("duplicate", 10.0, 1)
    listed = client.get("/reviews/").get_data(as_text=True)
    assert f"/reviews/{copy.id}\"" not in listed
